#pragma once
/// UTF-8 checks and conversions: validation and Latin-1 conversion for the CSV reader and
/// importers, code-point decoding and UTF-16 hex for PDF text.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/utf8.hpp"

namespace wfa {

/// latin1_to_utf8 writes IN (ISO 8859-1) as UTF-8 to OUT, which has room for 2 * IN.size()
/// bytes, and returns the number of bytes written.
std::size_t latin1_to_utf8(std::string_view in, char* out);

/// next_code_point decodes the sequence of TEXT at I (utf8proc's strict decoder) and advances I past it; a byte that
/// does not start a valid sequence (overlong forms such as C0 AF, surrogates, truncations) gives U+FFFD and advances
/// one byte, so "\xC0\xAF" never becomes '/' and no lone surrogate reaches a PDF.
char32_t next_code_point(std::string_view text, std::size_t& i);

/// append_utf16be_hex appends CP as UTF-16BE hex digits (a surrogate pair above U+FFFF), as PDF strings need.
inline void append_utf16be_hex(std::string& out, char32_t cp) {
  static const char* hex = "0123456789ABCDEF";
  auto unit = [&](unsigned v) {
    for (int shift : {12, 8, 4, 0}) out += hex[(v >> shift) & 15];
  };
  if (cp < 0x10000) return unit(static_cast<unsigned>(cp));
  cp -= 0x10000;
  unit(static_cast<unsigned>(0xD800 + (cp >> 10)));
  unit(static_cast<unsigned>(0xDC00 + (cp & 0x3FF)));
}

}  // namespace wfa
