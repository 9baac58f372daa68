#pragma once
/// UTF-8 decoding for text layout: one code point at a time, invalid bytes as U+FFFD.
#include <string>
#include <string_view>

namespace wfa {

/// next_code_point decodes the sequence of TEXT at I and advances I past it.
inline char32_t next_code_point(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i++);
  if (lead < 0x80) return lead;
  int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : -1;
  if (extra < 0 || i + static_cast<std::size_t>(extra) > text.size()) return 0xFFFD;
  char32_t cp = lead & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if ((byte(i) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (byte(i++) & 0x3F);
  }
  return cp;
}

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
