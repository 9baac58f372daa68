#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "cli/display_width.hpp"

namespace wfa {

namespace {

struct Range {
  char32_t first;
  char32_t last;
};

constexpr std::array zero_width_ranges{
    Range{0x0300, 0x036F}, Range{0x1AB0, 0x1AFF}, Range{0x1DC0, 0x1DFF}, Range{0x200B, 0x200F}, Range{0x2060, 0x2064},
    Range{0x20D0, 0x20FF}, Range{0xFE00, 0xFE0F}, Range{0xFE20, 0xFE2F}, Range{0xFEFF, 0xFEFF},
};

constexpr std::array wide_ranges{
    Range{0x1100, 0x115F},   Range{0x2E80, 0x303E},   Range{0x3041, 0x33FF},   Range{0x3400, 0x4DBF},
    Range{0x4E00, 0x9FFF},   Range{0xA000, 0xA4CF},   Range{0xAC00, 0xD7A3},   Range{0xF900, 0xFAFF},
    Range{0xFE30, 0xFE4F},   Range{0xFF00, 0xFF60},   Range{0xFFE0, 0xFFE6},   Range{0x1F300, 0x1F64F},
    Range{0x1F900, 0x1F9FF}, Range{0x20000, 0x2FFFD}, Range{0x30000, 0x3FFFD},
};

template <std::size_t N>
bool in_ranges(char32_t cp, const std::array<Range, N>& ranges) {
  return std::any_of(ranges.begin(), ranges.end(), [cp](Range r) { return cp >= r.first && cp <= r.last; });
}

std::size_t code_point_width(char32_t cp) {
  if (in_ranges(cp, zero_width_ranges)) return 0;
  return in_ranges(cp, wide_ranges) ? 2 : 1;
}

/// decode_utf8 reads one code point at text[pos]; nullopt for an invalid, overlong, surrogate or truncated sequence.
std::optional<std::pair<char32_t, std::size_t>> decode_utf8(std::string_view text, std::size_t pos) {
  auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return std::pair{char32_t{lead}, std::size_t{1}};
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1F;
    minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0F;
    minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07;
    minimum = 0x10000;
  } else
    return std::nullopt;
  if (text.size() - pos < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return std::pair{cp, length};
}

}  // namespace

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  for (std::size_t pos = 0; pos < utf8.size();) {
    auto decoded = decode_utf8(utf8, pos);
    if (!decoded) {
      ++width;
      ++pos;
      continue;
    }
    width += code_point_width(decoded->first);
    pos += decoded->second;
  }
  return width;
}

}  // namespace wfa
