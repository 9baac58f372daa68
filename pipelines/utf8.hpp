#pragma once
/// UTF-8 checks and conversions used by the CSV reader and the importers.
#include <cstddef>
#include <string_view>

namespace wfa {

/// utf8_invalid_at is the offset of the first byte that is not valid UTF-8 (overlongs,
/// surrogates and code points above U+10FFFF are invalid), or npos when TEXT is valid.
std::size_t utf8_invalid_at(std::string_view text);

/// latin1_to_utf8 writes IN (ISO 8859-1) as UTF-8 to OUT, which has room for 2 * IN.size()
/// bytes, and returns the number of bytes written.
std::size_t latin1_to_utf8(std::string_view in, char* out);

}  // namespace wfa
