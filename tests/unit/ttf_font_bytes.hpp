#pragma once
/// Helpers for font tests: a real TrueType font's bytes, its table directory, big-endian patching and temp files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/file_io.hpp"

namespace wfa::test_font {

/// real_font_path is the font the standard layout embeds; the tests patch copies of its bytes.
inline const std::string real_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// real_font returns the bytes of real_font_path, read once.
inline const std::string& real_font() {
  static const std::string bytes = read_file(real_font_path, "font");
  return bytes;
}

inline std::uint32_t get16(const std::string& b, std::size_t at) {
  return (std::uint32_t(std::uint8_t(b.at(at))) << 8) | std::uint8_t(b.at(at + 1));
}
inline std::uint32_t get32(const std::string& b, std::size_t at) { return (get16(b, at) << 16) | get16(b, at + 2); }
inline void set16(std::string& b, std::size_t at, std::uint32_t v) {
  b.at(at) = char((v >> 8) & 0xff);
  b.at(at + 1) = char(v & 0xff);
}
inline void set32(std::string& b, std::size_t at, std::uint32_t v) {
  set16(b, at, v >> 16);
  set16(b, at + 2, v & 0xffff);
}

/// TableEntry is one table directory record: where the record is, and the table's offset and length.
struct TableEntry {
  std::size_t record = 0;
  std::uint32_t offset = 0, length = 0;
};

/// table_entry finds TAG in the directory of FONT; a missing table fails the calling test by exception.
inline TableEntry table_entry(const std::string& font, const char* tag) {
  for (std::size_t i = 0, n = get16(font, 4); i < n; ++i) {
    auto record = 12 + 16 * i;
    if (font.compare(record, 4, tag, 4) == 0) return {record, get32(font, record + 8), get32(font, record + 12)};
  }
  throw std::runtime_error(std::string("test font has no ") + tag + " table");
}

/// replace_table appends DATA to FONT and points TAG's directory record at it; the old bytes stay, unreferenced.
inline void replace_table(std::string& font, const char* tag, const std::string& data) {
  auto entry = table_entry(font, tag);
  while (font.size() % 4) font += '\0';
  set32(font, entry.record + 8, std::uint32_t(font.size()));
  set32(font, entry.record + 12, std::uint32_t(data.size()));
  font += data;
}

/// glyph_offsets gives each glyph's start in FONT (file offsets) from loca, plus the end of the last glyph.
inline std::vector<std::size_t> glyph_offsets(const std::string& font) {
  auto head = table_entry(font, "head"), maxp = table_entry(font, "maxp");
  auto loca = table_entry(font, "loca"), glyf = table_entry(font, "glyf");
  bool long_loca = get16(font, head.offset + 50) == 1;
  std::vector<std::size_t> out;
  for (std::size_t g = 0, n = get16(font, maxp.offset + 4); g <= n; ++g)
    out.push_back(glyf.offset + (long_loca ? get32(font, loca.offset + 4 * g) : 2 * get16(font, loca.offset + 2 * g)));
  return out;
}

/// composite_glyphs lists the glyph ids of FONT's composite glyphs (a negative contour count).
inline std::vector<std::uint16_t> composite_glyphs(const std::string& font) {
  auto offsets = glyph_offsets(font);
  std::vector<std::uint16_t> out;
  for (std::size_t g = 0; g + 1 < offsets.size(); ++g)
    if (offsets[g + 1] > offsets[g] && get16(font, offsets[g]) >= 0x8000) out.push_back(std::uint16_t(g));
  return out;
}

/// CmapGroup is one format 12 cmap group: code points FIRST..LAST to glyphs from GLYPH.
struct CmapGroup {
  std::uint32_t first, last, glyph;
};

/// format12_cmap is a cmap table whose one subtable (Windows, full Unicode) is format 12 with GROUPS.
inline std::string format12_cmap(std::size_t count, const std::function<CmapGroup(std::size_t)>& groups) {
  std::string cmap(12, '\0');
  set16(cmap, 2, 1);   // one subtable
  set16(cmap, 4, 3);   // Windows
  set16(cmap, 6, 10);  // full Unicode
  set32(cmap, 8, 12);  // at offset 12
  std::string sub(16, '\0');
  set16(sub, 0, 12);
  set32(sub, 4, std::uint32_t(16 + 12 * count));
  set32(sub, 12, std::uint32_t(count));
  sub.resize(16 + 12 * count);
  for (std::size_t i = 0; i < count; ++i) {
    auto group = groups(i);
    set32(sub, 16 + 12 * i, group.first);
    set32(sub, 20 + 12 * i, group.last);
    set32(sub, 24 + 12 * i, group.glyph);
  }
  return cmap + sub;
}

/// format4_cmap is a cmap table whose one subtable (Windows, BMP) is format 4 with SEGMENTS segments, each
/// START..END with delta 1 and no glyph array.
inline std::string format4_cmap(std::size_t segments, std::uint16_t start, std::uint16_t end) {
  std::string cmap(12, '\0');
  set16(cmap, 2, 1);
  set16(cmap, 4, 3);
  set16(cmap, 6, 1);
  set32(cmap, 8, 12);
  std::string sub(16 + 8 * segments, '\0');
  set16(sub, 0, 4);
  set16(sub, 2, std::uint32_t(sub.size()));
  set16(sub, 6, std::uint32_t(2 * segments));
  for (std::size_t s = 0; s < segments; ++s) {
    set16(sub, 14 + 2 * s, end);
    set16(sub, 16 + 2 * segments + 2 * s, start);
    set16(sub, 16 + 4 * segments + 2 * s, 1);
  }
  return cmap + sub;
}

/// FontTempFile is a file under the test temp directory, removed when it goes out of scope.
class FontTempFile {
 public:
  explicit FontTempFile(const std::string& name)
      : path_(std::filesystem::path(::testing::TempDir()) / (std::to_string(::getpid()) + "-" + name)) {}
  ~FontTempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  FontTempFile(const FontTempFile&) = delete;
  FontTempFile& operator=(const FontTempFile&) = delete;
  /// write replaces the file's contents with BYTES and returns its path.
  const std::string& write(const std::string& bytes) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc).write(bytes.data(), std::streamsize(bytes.size()));
    text_ = path_.string();
    return text_;
  }

 private:
  std::filesystem::path path_;
  std::string text_;
};

}  // namespace wfa::test_font
