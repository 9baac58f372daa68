// TrueType parsing (sfnt tables head, hhea, maxp, hmtx, loca, glyf, name, cmap, OS/2, post), checked against the
// font's own limits, and glyph-id-preserving subsetting.
#include "pipelines/ttf_font.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "core/file_io.hpp"

namespace wfa {

namespace {

constexpr const char* font_hint = "use an intact TrueType (.ttf) font file";

std::uint32_t tag_of(const char* tag) {
  return (std::uint32_t(std::uint8_t(tag[0])) << 24) | (std::uint32_t(std::uint8_t(tag[1])) << 16) |
         (std::uint32_t(std::uint8_t(tag[2])) << 8) | std::uint32_t(std::uint8_t(tag[3]));
}

/// tag_text spells TAG for a message, bytes outside printable ASCII as '?'.
std::string tag_text(std::uint32_t tag) {
  std::string out;
  for (int shift : {24, 16, 8, 0}) {
    auto c = char((tag >> shift) & 0xff);
    out += c >= 0x20 && c < 0x7f ? c : '?';
  }
  return out;
}

/// code_point_text spells CP as U+XXXX.
std::string code_point_text(std::uint32_t cp) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", cp);
  return buffer;
}

/// decimal spells V for a message.
std::string decimal(std::uint64_t v) { return std::to_string(v); }

/// fail_table ends parsing: one line naming the font PATH and its table TAG (nullptr: the table directory).
[[noreturn]] void fail_table(const std::string& path, const char* tag, const std::string& what) {
  throw InvalidInputError(
      "font " + path + ": " + (tag ? "'" + std::string(tag) + "' table " : std::string("table directory ")) + what,
      font_hint);
}

/// Reader gives bounds-checked big-endian reads of one table; running off its end is fail_table.
struct Reader {
  std::string_view data;
  const std::string* path;
  const char* tag;  ///< nullptr for the whole file (the table directory)
  [[noreturn]] void fail(const std::string& what) const { fail_table(*path, tag, what); }
  void need(std::size_t offset, std::size_t count) const {
    if (offset > data.size() || count > data.size() - offset)
      fail("is truncated: needs " + decimal(count) + " bytes at offset " + decimal(offset) + ", has " +
           decimal(data.size()));
  }
  std::uint8_t byte(std::size_t o) const { return std::uint8_t(data[o]); }
  std::uint16_t u16(std::size_t o) const {
    need(o, 2);
    return std::uint16_t((byte(o) << 8) | byte(o + 1));
  }
  std::int16_t s16(std::size_t o) const { return std::int16_t(u16(o)); }
  std::uint32_t u32(std::size_t o) const {
    need(o, 4);
    return (std::uint32_t(u16(o)) << 16) | u16(o + 2);
  }
};

/// postscript_token keeps what may stand in a PDF name unescaped: printable ASCII but delimiters and '#', at most 63.
std::string postscript_token(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c > ' ' && c < 0x7f && std::string_view("[](){}<>/%#").find(c) == std::string_view::npos && out.size() < 63)
      out += c;
  return out;
}

/// simple_glyph_fits says whether the simple glyph GLYPH with CONTOURS contours holds its increasing contour ends,
/// instructions, flags and coordinates within its bytes; flags repeated past the last point count up to it.
bool simple_glyph_fits(const Reader& glyph, std::size_t contours) {
  auto at = 10 + 2 * contours;
  if (at + 2 > glyph.data.size()) return false;
  std::size_t points = 0;
  for (std::size_t c = 0; c < contours; ++c) {
    std::size_t end = glyph.u16(10 + 2 * c) + std::size_t(1);
    if (end <= points) return false;
    points = end;
  }
  at += 2 + glyph.u16(at);
  std::size_t coordinates = 0;
  for (std::size_t p = 0; p < points;) {
    if (at >= glyph.data.size()) return false;
    auto flags = glyph.byte(at++);
    std::size_t repeat = 1;
    if (flags & 8) {
      if (at >= glyph.data.size()) return false;
      repeat += glyph.byte(at++);
    }
    repeat = std::min(repeat, points - p);
    p += repeat;
    coordinates += repeat * (((flags & 2) ? 1 : (flags & 0x10) ? 0 : 2) + ((flags & 4) ? 1 : (flags & 0x20) ? 0 : 2));
  }
  return at <= glyph.data.size() && coordinates <= glyph.data.size() - at;
}

/// put16 and put32 append V big-endian.
void put16(std::string& out, std::uint16_t v) {
  out += char(v >> 8);
  out += char(v & 0xff);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, std::uint16_t(v >> 16));
  put16(out, std::uint16_t(v & 0xffff));
}

/// checksum is the sfnt table checksum: the sum of its big-endian words, zero-padded.
std::uint32_t checksum(std::string_view table) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < table.size(); i += 4) {
    std::uint32_t word = 0;
    for (std::size_t k = 0; k < 4; ++k) word = (word << 8) | (i + k < table.size() ? std::uint8_t(table[i + k]) : 0);
    sum += word;
  }
  return sum;
}

}  // namespace

std::shared_ptr<const TrueTypeFont> TrueTypeFont::load(const std::string& path) {
  std::error_code error;
  auto status = std::filesystem::status(path, error);
  if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw InvalidInputError("font " + path + " is not a regular file", "give the path of a .ttf file");
  if (auto size = std::filesystem::file_size(path, error); !error && size > max_font_bytes)
    throw InvalidInputError("font " + path + " is " + decimal(size) + " bytes, over the " +
                                decimal(max_font_bytes >> 20) + " MiB a font may have",
                            "use a smaller font");
  return from_bytes(read_file(path, "font"), path);
}

std::shared_ptr<const TrueTypeFont> TrueTypeFont::from_bytes(std::string bytes, const std::string& name) {
  if (bytes.size() > max_font_bytes)
    throw InvalidInputError("font " + name + " is " + decimal(bytes.size()) + " bytes, over the " +
                                decimal(max_font_bytes >> 20) + " MiB a font may have",
                            "use a smaller font");
  auto font = std::make_shared<TrueTypeFont>();
  font->bytes_ = std::move(bytes);
  font->path_ = name;
  font->parse();
  return font;
}

std::string_view TrueTypeFont::table(const char* tag) const {
  auto it = tables_.find(tag_of(tag));
  if (it == tables_.end()) return {};
  return std::string_view(bytes_).substr(it->second.first, it->second.second);
}

void TrueTypeFont::parse() {
  parse_directory();
  parse_metrics();
  parse_glyphs();
  parse_name();
  parse_cmap();
}

void TrueTypeFont::parse_directory() {
  Reader file{bytes_, &path_, nullptr};
  auto version = file.u32(0);
  if (version != 0x00010000 && version != tag_of("true"))
    throw InvalidInputError("font " + path_ + " is not a TrueType font", "use a .ttf file with TrueType outlines");
  std::size_t count = file.u16(4);
  file.need(12, 16 * count);
  for (std::size_t i = 0; i < count; ++i) {
    auto entry = 12 + 16 * i;
    auto tag = file.u32(entry), offset = file.u32(entry + 8), length = file.u32(entry + 12);
    if (offset > bytes_.size() || length > bytes_.size() - offset)
      file.fail("puts '" + tag_text(tag) + "' at bytes " + decimal(offset) + ".." +
                decimal(std::uint64_t(offset) + length) + ", past the file's " + decimal(bytes_.size()));
    if (!tables_.emplace(tag, std::make_pair(offset, length)).second) file.fail("lists '" + tag_text(tag) + "' twice");
  }
  for (const char* required : {"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"})
    if (table(required).empty())
      throw InvalidInputError("font " + path_ + " has no '" + required + "' table",
                              "use a .ttf file with TrueType outlines");
}

void TrueTypeFont::parse_metrics() {
  Reader head{table("head"), &path_, "head"}, hhea{table("hhea"), &path_, "hhea"}, maxp{table("maxp"), &path_, "maxp"};
  head.need(0, 54);
  units_per_em_ = head.u16(18);
  if (units_per_em_ < 16 || units_per_em_ > 16384)
    head.fail("gives unitsPerEm " + decimal(units_per_em_) + ", not 16..16384");
  auto scale = [&](double v) { return int(std::lround(v * 1000.0 / units_per_em_)); };
  for (int i = 0; i < 4; ++i) bbox_[i] = scale(head.s16(36 + 2 * std::size_t(i)));
  if (auto format = head.s16(50); format != 0 && format != 1)
    head.fail("gives indexToLocFormat " + std::to_string(format) + ", neither 0 nor 1");
  glyph_count_ = maxp.u16(4);
  if (glyph_count_ == 0) maxp.fail("gives numGlyphs 0, but a font needs at least the .notdef glyph");
  hhea.need(0, 36);
  ascent_ = scale(hhea.s16(4));
  descent_ = scale(hhea.s16(6));
  cap_height_ = ascent_;
  if (auto os2 = table("OS/2"); os2.size() >= 90) cap_height_ = scale(Reader{os2, &path_, "OS/2"}.s16(88));
  if (auto post = table("post"); post.size() >= 8)
    italic_angle_ = Reader{post, &path_, "post"}.s16(4) + Reader{post, &path_, "post"}.u16(6) / 65536.0;

  std::size_t metrics = hhea.u16(34), glyphs = glyph_count_;
  if (metrics == 0 || metrics > glyphs)
    hhea.fail("gives numberOfHMetrics " + decimal(metrics) + " for " + decimal(glyphs) + " glyphs, not 1.." +
              decimal(glyphs));
  Reader hmtx{table("hmtx"), &path_, "hmtx"};
  if (auto size = 4 * metrics + 2 * (glyphs - metrics); hmtx.data.size() < size)
    hmtx.fail("is " + decimal(hmtx.data.size()) + " bytes, but " + decimal(metrics) + " metrics for " +
              decimal(glyphs) + " glyphs need " + decimal(size));
  advances_.resize(glyphs);
  for (std::size_t g = 0; g < glyphs; ++g) advances_[g] = hmtx.u16(4 * std::min(g, metrics - 1));
}

void TrueTypeFont::parse_glyphs() {
  bool long_loca = Reader{table("head"), &path_, "head"}.s16(50) == 1;
  Reader loca{table("loca"), &path_, "loca"}, glyf{table("glyf"), &path_, "glyf"};
  std::size_t glyphs = glyph_count_;
  if (auto size = (glyphs + 1) * (long_loca ? 4 : 2); loca.data.size() < size)
    loca.fail("is " + decimal(loca.data.size()) + " bytes, but " + decimal(glyphs) + " glyphs need " + decimal(size));
  loca_.resize(glyphs + 1);
  for (std::size_t g = 0; g <= glyphs; ++g) {
    loca_[g] = long_loca ? loca.u32(4 * g) : 2u * loca.u16(2 * g);
    if (loca_[g] > glyf.data.size())
      loca.fail("entry " + decimal(g) + " points at offset " + decimal(loca_[g]) + ", past the end of 'glyf' (" +
                decimal(glyf.data.size()) + " bytes)");
    if (g > 0 && loca_[g] < loca_[g - 1])
      loca.fail("entry " + decimal(g) + " (" + decimal(loca_[g]) + ") is below entry " + decimal(g - 1) + " (" +
                decimal(loca_[g - 1]) + ")");
  }
  first_part_.assign(glyphs + 1, 0);
  for (std::size_t g = 0; g < glyphs; ++g) {
    first_part_[g] = std::uint32_t(parts_.size());
    auto length = loca_[g + 1] - loca_[g];
    if (length == 0) continue;
    auto bad = [&](const std::string& what) {
      glyf.fail("glyph " + decimal(g) + " (" + decimal(length) + " bytes) " + what);
    };
    if (length < 10) bad("is shorter than a glyph header");
    Reader glyph{glyf.data.substr(loca_[g], length), &path_, "glyf"};
    if (auto contours = glyph.s16(0); contours >= 0) {
      if (!simple_glyph_fits(glyph, std::size_t(contours))) bad("has an outline that runs past its end");
      continue;
    }
    std::size_t at = 10;
    for (std::uint16_t flags = 0x20; flags & 0x20;) {  // 0x20: more components follow
      if (at + 4 > length) bad("has components that run past its end");
      flags = glyph.u16(at);
      auto part = glyph.u16(at + 2);
      if (part >= glyphs) bad("uses glyph " + decimal(part) + ", past the font's " + decimal(glyphs) + " glyphs");
      if (part == g) bad("uses itself");
      parts_.push_back(part);
      at += 4 + ((flags & 1) ? 4 : 2) + ((flags & 8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0);
      if (at > length) bad("has components that run past its end");
      if ((flags & 0x20) || !(flags & 0x100)) continue;  // 0x100: instructions follow the last component
      if (at + 2 > length) bad("has instructions that run past its end");
      at += 2 + glyph.u16(at);
      if (at > length) bad("has instructions that run past its end");
    }
  }
  first_part_[glyphs] = std::uint32_t(parts_.size());
  std::vector<signed char> depths(glyphs, -1);
  for (std::size_t g = 0; g < glyphs; ++g) component_depth(std::uint16_t(g), 0, depths);
}

int TrueTypeFont::component_depth(std::uint16_t glyph, int level, std::vector<signed char>& depths) const {
  if (depths[glyph] >= 0) return depths[glyph];
  int depth = 0;
  if (level <= max_component_depth)
    for (auto k = first_part_[glyph]; k < first_part_[glyph + 1]; ++k)
      depth = std::max(depth, 1 + component_depth(parts_[k], level + 1, depths));
  if (level > max_component_depth || depth > max_component_depth)
    fail_table(path_, "glyf",
               "glyph " + decimal(glyph) + " nests components more than " + decimal(max_component_depth) +
                   " deep, or in a cycle");
  depths[glyph] = static_cast<signed char>(depth);
  return depth;
}

void TrueTypeFont::parse_name() {
  auto file = path_.substr(path_.find_last_of('/') + 1);
  postscript_name_ = postscript_token(file.substr(0, file.find('.')));
  if (postscript_name_.empty()) postscript_name_ = "Font";
  auto data = table("name");
  if (data.empty()) return;
  Reader names{data, &path_, "name"};
  std::size_t count = names.u16(2), storage = names.u16(4);
  names.need(6, 12 * count);
  bool found = false;
  for (std::size_t i = 0; i < count; ++i) {
    auto record = 6 + 12 * i;
    std::size_t platform = names.u16(record), id = names.u16(record + 6), length = names.u16(record + 8),
                start = storage + names.u16(record + 10);
    if (start > data.size() || length > data.size() - start)
      names.fail("record " + decimal(i) + " puts its string at bytes " + decimal(start) + ".." +
                 decimal(start + length) + ", past the table's " + decimal(data.size()));
    if (id != 6 || found) continue;  // the first PostScript name counts
    found = true;
    std::string text;
    for (std::size_t k = 0; k < length; k += platform == 1 ? 1 : 2) {  // Macintosh bytes, else UTF-16BE
      if (platform == 1)
        text += char(names.byte(start + k));
      else if (k + 1 < length && names.byte(start + k) == 0)
        text += char(names.byte(start + k + 1));
    }
    if (auto token = postscript_token(text); !token.empty()) postscript_name_ = token;
  }
}

void TrueTypeFont::parse_cmap() {
  auto data = table("cmap");
  Reader cmap{data, &path_, "cmap"};
  std::size_t count = cmap.u16(2);
  cmap.need(4, 8 * count);
  std::string_view best;
  int best_rank = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t platform = cmap.u16(4 + 8 * i), encoding = cmap.u16(6 + 8 * i), offset = cmap.u32(8 + 8 * i);
    if (offset > data.size() || data.size() - offset < 2)
      cmap.fail("subtable " + decimal(i) + " starts at offset " + decimal(offset) + ", past the table's " +
                decimal(data.size()));
    auto format = cmap.u16(offset);
    std::size_t length = 2;  // formats not named below: only the format is read
    if (format <= 6 && format % 2 == 0)
      length = cmap.u16(offset + 2);
    else if (format == 8 || format == 10 || format == 12 || format == 13)
      length = cmap.u32(offset + 4);
    else if (format == 14)
      length = cmap.u32(offset + 2);
    if (length > data.size() - offset)
      cmap.fail("subtable " + decimal(i) + " (format " + decimal(format) + ") runs to byte " +
                decimal(offset + length) + ", past the table's " + decimal(data.size()));
    int rank = (platform == 3 && encoding == 10) ? 3 : (platform == 3 && encoding == 1) ? 2 : platform == 0 ? 1 : 0;
    if ((format == 4 || format == 12) && rank > best_rank) best = data.substr(offset, length), best_rank = rank;
  }
  bmp_.assign(0x10000, 0);
  unicode_.assign(glyph_count_, 0);
  if (best_rank == 0) return;
  if (Reader{best, &path_, "cmap"}.u16(0) == 12)
    parse_cmap_format12(best);
  else
    parse_cmap_format4(best);
}

void TrueTypeFont::parse_cmap_format4(std::string_view subtable) {
  Reader cmap{subtable, &path_, "cmap"};
  std::size_t segments = cmap.u16(6) / 2u;
  if (segments == 0) cmap.fail("has a format 4 subtable without segments");
  auto ends = std::size_t(14), starts = ends + 2 * segments + 2, deltas = starts + 2 * segments,
       ranges = deltas + 2 * segments;
  cmap.need(ranges, 2 * segments);
  std::uint32_t next = 0;  // binary search finds the segment with the first end at or above a code point
  for (std::size_t s = 0; s < segments; ++s) {
    std::uint32_t end = cmap.u16(ends + 2 * s), start = cmap.u16(starts + 2 * s);
    auto delta = cmap.u16(deltas + 2 * s), range = cmap.u16(ranges + 2 * s);
    if (end < next)
      cmap.fail("format 4 segment " + decimal(s) + " ends at " + code_point_text(end) + ", not after segment " +
                decimal(s - 1));
    for (std::uint32_t cp = std::max(start, next); cp <= end && cp != 0xFFFF; ++cp) {
      std::uint32_t glyph = (cp + delta) & 0xFFFF;
      if (range != 0) {
        auto at = ranges + 2 * s + range + 2 * std::size_t(cp - start);
        if (at + 2 > subtable.size())
          cmap.fail("format 4 segment " + decimal(s) + " reads the glyph of " + code_point_text(cp) + " at offset " +
                    decimal(at) + ", past its subtable's " + decimal(subtable.size()) + " bytes");
        glyph = cmap.u16(at);
        if (glyph != 0) glyph = (glyph + delta) & 0xFFFF;
      }
      map_code_point(cp, glyph);
    }
    next = end + 1;
  }
}

void TrueTypeFont::parse_cmap_format12(std::string_view subtable) {
  Reader cmap{subtable, &path_, "cmap"};
  std::uint64_t groups = cmap.u32(12);
  if (16 + 12 * groups > subtable.size())
    cmap.fail("has a format 12 subtable of " + decimal(subtable.size()) + " bytes that declares " + decimal(groups) +
              " groups");
  std::uint64_t next = 0;  // groups ascend without overlapping, so at most U+10FFFF + 1 code points are mapped
  for (std::size_t i = 0; i < groups; ++i) {
    auto at = 16 + 12 * i;
    std::uint32_t first = cmap.u32(at), last = cmap.u32(at + 4), glyph = cmap.u32(at + 8);
    if (first < next || last < first || last > 0x10FFFF)
      cmap.fail("format 12 group " + decimal(i) + " (" + code_point_text(first) + ".." + code_point_text(last) +
                ") is reversed, overlaps the group before it or is past U+10FFFF");
    if (std::uint64_t(glyph) + (last - first) >= glyph_count_)
      cmap.fail("format 12 group " + decimal(i) + " maps " + code_point_text(first) + ".." + code_point_text(last) +
                " to glyphs up to " + decimal(std::uint64_t(glyph) + (last - first)) + ", past the font's " +
                decimal(glyph_count_) + " glyphs");
    next = std::uint64_t(last) + 1;
    for (std::uint32_t cp = first; cp <= last; ++cp) map_code_point(cp, std::uint16_t(glyph + (cp - first)));
    if (last > 0xFFFF) {
      auto from = std::max<std::uint32_t>(first, 0x10000);
      astral_.push_back({from, last, std::uint16_t(glyph + (from - first))});
    }
  }
}

void TrueTypeFont::map_code_point(char32_t cp, std::uint16_t glyph) {
  if (glyph >= glyph_count_)
    fail_table(path_, "cmap",
               "maps " + code_point_text(cp) + " to glyph " + decimal(glyph) + ", past the font's " +
                   decimal(glyph_count_) + " glyphs");
  if (glyph == 0) return;
  if (cp < 0x10000) bmp_[cp] = glyph;
  if (unicode_[glyph] == 0) unicode_[glyph] = cp;
}

std::uint16_t TrueTypeFont::glyph(char32_t cp) const {
  if (cp < 0x10000) return bmp_[cp];
  auto it = std::upper_bound(astral_.begin(), astral_.end(), cp,
                             [](char32_t c, const AstralRange& range) { return c < range.first; });
  if (it == astral_.begin() || cp > (--it)->last) return 0;
  return std::uint16_t(it->glyph + (cp - it->first));
}

char32_t TrueTypeFont::unicode(std::uint16_t glyph) const { return glyph < unicode_.size() ? unicode_[glyph] : 0; }

double TrueTypeFont::advance(std::uint16_t glyph) const {
  return glyph < advances_.size() ? advances_[glyph] * 1000.0 / units_per_em_ : 0;
}

namespace {

/// unhinted is GLYPH (already validated by the constructor) without its TrueType instructions: a subset carries
/// no bytecode, so a hostile font's hinting program never reaches a PDF reader's interpreter.
std::string unhinted(std::string_view glyph) {
  auto u16 = [&](std::size_t at) { return std::size_t(std::uint8_t(glyph[at]) << 8 | std::uint8_t(glyph[at + 1])); };
  auto contours = std::int16_t(u16(0));
  if (contours >= 0) {
    auto at = 10 + 2 * std::size_t(contours);
    std::string out(glyph.substr(0, at));
    out.append(2, '\0');  // instructionLength 0
    out.append(glyph.substr(at + 2 + u16(at)));
    return out;
  }
  std::size_t at = 10;
  for (std::size_t flags = 0x20; flags & 0x20;) {
    flags = u16(at);
    auto next = at + 4 + ((flags & 1) ? 4 : 2) + ((flags & 8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0);
    if (!(flags & 0x20) && (flags & 0x100)) {  // WE_HAVE_INSTRUCTIONS on the last component: clear it, drop them
      std::string out(glyph.substr(0, next));
      out[at] = char(std::uint8_t(out[at]) & ~0x01);
      return out;
    }
    at = next;
  }
  return std::string(glyph.substr(0, at));
}

}  // namespace

std::string TrueTypeFont::subset(const std::vector<bool>& used) const {
  auto glyf = table("glyf");
  std::vector<bool> keep(glyph_count_, false);
  std::vector<std::uint16_t> pending{0};
  for (std::size_t g = 0; g < used.size() && g < glyph_count_; ++g)
    if (used[g]) pending.push_back(std::uint16_t(g));
  while (!pending.empty()) {  // composite glyphs pull in their components
    auto g = pending.back();
    pending.pop_back();
    if (keep[g]) continue;
    keep[g] = true;
    for (auto k = first_part_[g]; k < first_part_[g + 1]; ++k) pending.push_back(parts_[k]);
  }
  std::string new_glyf, new_loca;
  for (std::size_t g = 0; g < glyph_count_; ++g) {
    put32(new_loca, std::uint32_t(new_glyf.size()));
    if (keep[g] && loca_[g + 1] > loca_[g]) {
      new_glyf.append(unhinted(glyf.substr(loca_[g], loca_[g + 1] - loca_[g])));
      while (new_glyf.size() % 4) new_glyf += '\0';
    }
  }
  put32(new_loca, std::uint32_t(new_glyf.size()));
  std::string head(table("head"));
  head[8] = head[9] = head[10] = head[11] = 0;  // checksumAdjustment: recomputed by nobody, allowed to be 0 in PDF
  head[50] = 0;
  head[51] = 1;                              // indexToLocFormat: long offsets
  std::map<std::uint32_t, std::string> out;  // sorted by tag, as the table directory must be
  out[tag_of("head")] = head;
  out[tag_of("loca")] = new_loca;
  out[tag_of("glyf")] = new_glyf;
  for (const char* tag : {"hhea", "maxp", "hmtx", "OS/2"})  // no cvt/fpgm/prep: see unhinted
    if (auto t = table(tag); !t.empty()) out[tag_of(tag)] = std::string(t);
  std::string file;
  std::uint16_t n = std::uint16_t(out.size()), power = 1, log = 0;
  while (power * 2 <= n) power *= 2, ++log;
  put32(file, 0x00010000);
  put16(file, n);
  put16(file, std::uint16_t(power * 16));
  put16(file, log);
  put16(file, std::uint16_t(n * 16 - power * 16));
  std::size_t offset = 12 + 16 * std::size_t(n);
  for (const auto& [tag, data] : out) {
    put32(file, tag);
    put32(file, checksum(data));
    put32(file, std::uint32_t(offset));
    put32(file, std::uint32_t(data.size()));
    offset += (data.size() + 3) & ~std::size_t(3);
  }
  for (const auto& [tag, data] : out) {
    file += data;
    file.append((4 - data.size() % 4) % 4, '\0');
  }
  return file;
}

}  // namespace wfa
