#pragma once
/// Terminal columns of text, for aligning table output.
#include <cstddef>
#include <string_view>

namespace wfa {

/// display_width counts terminal columns of UTF-8 text, whatever the locale: wide CJK and emoji 2, combining marks
/// (Arabic harakat, Thai and Devanagari vowel signs) and zero-width characters 0, an invalid byte 1.
std::size_t display_width(std::string_view utf8);

}  // namespace wfa
