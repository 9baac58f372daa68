#pragma once
/// Content digests: SHA-256 as lowercase hex, for checksums and content-addressed storage.
#include <string>
#include <string_view>

namespace wfa {

std::string sha256_hex(std::string_view bytes);

}  // namespace wfa
