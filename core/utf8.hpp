#pragma once
/// Strict UTF-8 validation shared by every layer (CSV rows, arguments, host names).
#include <cstddef>
#include <string_view>

namespace wfa {

/// utf8_invalid_at is the offset of the first byte that is not valid UTF-8 (overlongs,
/// surrogates and code points above U+10FFFF are invalid), or npos when TEXT is valid.
std::size_t utf8_invalid_at(std::string_view text);

}  // namespace wfa
