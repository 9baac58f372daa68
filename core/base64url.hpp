#pragma once
/// Base64url without padding (RFC 4648 §5): tokens and cursors that travel on command lines and in URLs; and plain
/// base64 with padding (§4), as signatures and stored bodies use it.
#include <optional>
#include <string>
#include <string_view>

namespace wfa {

std::string base64_encode(std::string_view bytes);
std::string base64url_encode(std::string_view bytes);
/// base64url_decode returns nullopt for text that is not base64url.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace wfa
