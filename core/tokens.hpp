#pragma once
/// Secrets wfa hands out (invitation tokens, domain verification tokens) and how they are compared.
#include <cstddef>
#include <string>
#include <string_view>

namespace wfa {

/// random_token returns BYTES of OpenSSL randomness, base64url without padding (16 bytes = 128 bits), never
/// starting with "-".
std::string random_token(std::size_t bytes = 24);
/// token_hash is the hex SHA-256 wfa stores instead of a token.
std::string token_hash(std::string_view token);
/// constant_time_equal compares secrets without leaking where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace wfa
