#pragma once
/// Terminal columns of text, for aligning table output.
#include <cstddef>
#include <string_view>

namespace wfa {

/// display_width counts terminal columns of UTF-8 text without locale: wide CJK/emoji 2, combining marks 0.
std::size_t display_width(std::string_view utf8);

}  // namespace wfa
