// TrueType parsing (sfnt tables head, hhea, maxp, hmtx, cmap, loca, glyf, OS/2, post, name)
// and glyph-id-preserving subsetting.
#include "pipelines/ttf_font.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "core/file_io.hpp"

namespace wfa {

namespace {

std::uint32_t tag_of(const char* tag) {
  return (std::uint32_t(std::uint8_t(tag[0])) << 24) | (std::uint32_t(std::uint8_t(tag[1])) << 16) |
         (std::uint32_t(std::uint8_t(tag[2])) << 8) | std::uint32_t(std::uint8_t(tag[3]));
}

/// Reader gives bounds-checked big-endian reads; running off the end is a malformed font.
struct Reader {
  std::string_view data;
  const std::string* path;
  void need(std::size_t offset, std::size_t n) const {
    if (offset > data.size() || n > data.size() - offset)
      throw InvalidInputError("font " + *path + " is truncated or malformed", "use a TrueType (.ttf) font file");
  }
  std::uint8_t u8(std::size_t o) const {
    need(o, 1);
    return std::uint8_t(data[o]);
  }
  std::uint16_t u16(std::size_t o) const {
    need(o, 2);
    return std::uint16_t((u8(o) << 8) | u8(o + 1));
  }
  std::int16_t s16(std::size_t o) const { return std::int16_t(u16(o)); }
  std::uint32_t u32(std::size_t o) const { return (std::uint32_t(u16(o)) << 16) | u16(o + 2); }
};

void put16(std::string& out, std::uint16_t v) {
  out += char(v >> 8);
  out += char(v & 0xff);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, std::uint16_t(v >> 16));
  put16(out, std::uint16_t(v & 0xffff));
}

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
  auto font = std::make_shared<TrueTypeFont>();
  font->bytes_ = read_file(path, "font");
  font->parse(path);
  return font;
}

std::string_view TrueTypeFont::table(const char* tag) const {
  auto it = tables_.find(tag_of(tag));
  if (it == tables_.end()) return {};
  return std::string_view(bytes_).substr(it->second.first, it->second.second);
}

void TrueTypeFont::parse(const std::string& path) {
  Reader file{bytes_, &path};
  auto version = file.u32(0);
  if (version != 0x00010000 && version != tag_of("true"))
    throw InvalidInputError("font " + path + " is not a TrueType font", "use a .ttf file with TrueType outlines");
  auto count = file.u16(4);
  for (std::uint16_t i = 0; i < count; ++i) {
    auto entry = 12 + 16 * std::size_t(i);
    auto offset = file.u32(entry + 8), length = file.u32(entry + 12);
    file.need(offset, length);
    tables_[file.u32(entry)] = {offset, length};
  }
  for (const char* required : {"head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"})
    if (table(required).empty())
      throw InvalidInputError("font " + path + " has no '" + required + "' table",
                              "use a .ttf file with TrueType outlines");

  Reader head{table("head"), &path}, hhea{table("hhea"), &path}, maxp{table("maxp"), &path};
  units_per_em_ = head.u16(18);
  if (units_per_em_ == 0) units_per_em_ = 1000;
  auto scale = [&](double v) { return int(std::lround(v * 1000.0 / units_per_em_)); };
  for (int i = 0; i < 4; ++i) bbox_[i] = scale(head.s16(36 + 2 * std::size_t(i)));
  bool long_loca = head.s16(50) != 0;
  glyph_count_ = maxp.u16(4);
  ascent_ = scale(hhea.s16(4));
  descent_ = scale(hhea.s16(6));
  cap_height_ = ascent_;
  if (auto os2 = table("OS/2"); os2.size() >= 90) cap_height_ = scale(Reader{os2, &path}.s16(88));
  if (auto post = table("post"); post.size() >= 8)
    italic_angle_ = Reader{post, &path}.s16(4) + Reader{post, &path}.u16(6) / 65536.0;

  Reader hmtx{table("hmtx"), &path};
  std::size_t metrics = std::max<std::size_t>(1, hhea.u16(34));
  advances_.resize(glyph_count_);
  for (std::size_t g = 0; g < glyph_count_; ++g) advances_[g] = hmtx.u16(4 * std::min(g, metrics - 1));

  Reader loca{table("loca"), &path};
  loca_.resize(std::size_t(glyph_count_) + 1);
  for (std::size_t g = 0; g <= glyph_count_; ++g) loca_[g] = long_loca ? loca.u32(4 * g) : 2u * loca.u16(2 * g);

  postscript_name_ = path.substr(path.find_last_of('/') + 1);
  postscript_name_ = postscript_name_.substr(0, postscript_name_.find('.'));
  if (auto name = table("name"); !name.empty()) {
    Reader names{name, &path};
    auto storage = names.u16(4);
    for (std::size_t i = 0, n = names.u16(2); i < n; ++i) {
      auto record = 6 + 12 * i;
      if (names.u16(record + 6) != 6) continue;
      auto platform = names.u16(record), length = names.u16(record + 8), offset = names.u16(record + 10);
      names.need(storage + offset, length);
      std::string text;
      for (std::size_t k = 0; k < length; k += platform == 1 ? 1 : 2)
        text += char(names.u8(storage + offset + k + (platform == 1 ? 0 : 1)));
      if (!text.empty()) postscript_name_ = text;
      break;
    }
  }
  parse_cmap(table("cmap"));
}

void TrueTypeFont::parse_cmap(std::string_view data) {
  std::string where = "cmap";
  Reader cmap{data, &where};
  std::size_t best = 0;
  int best_rank = 0;
  for (std::size_t i = 0, n = cmap.u16(2); i < n; ++i) {
    auto platform = cmap.u16(4 + 8 * i), encoding = cmap.u16(6 + 8 * i);
    auto offset = cmap.u32(8 + 8 * i);
    int rank = (platform == 3 && encoding == 10) ? 3 : (platform == 3 && encoding == 1) ? 2 : platform == 0 ? 1 : 0;
    auto format = cmap.u16(offset);
    if ((format == 4 || format == 12) && rank > best_rank) best = offset, best_rank = rank;
  }
  bmp_.assign(0x10000, 0);
  unicode_.assign(glyph_count_, 0);
  auto map = [&](char32_t cp, std::uint32_t glyph) {
    if (glyph == 0 || glyph >= glyph_count_) return;
    if (cp < 0x10000)
      bmp_[cp] = std::uint16_t(glyph);
    else
      astral_[cp] = std::uint16_t(glyph);
    if (unicode_[glyph] == 0) unicode_[glyph] = cp;
  };
  if (best_rank == 0) return;
  if (cmap.u16(best) == 12) {
    for (std::size_t i = 0, n = cmap.u32(best + 12); i < n; ++i) {
      auto group = best + 16 + 12 * i;
      auto first = cmap.u32(group), last = cmap.u32(group + 4), glyph = cmap.u32(group + 8);
      for (std::uint32_t cp = first; cp <= last && cp <= 0x10FFFF; ++cp) map(cp, glyph + (cp - first));
    }
    return;
  }
  std::size_t segments = cmap.u16(best + 6) / 2;
  auto ends = best + 14, starts = ends + 2 * segments + 2, deltas = starts + 2 * segments,
       ranges = deltas + 2 * segments;
  for (std::size_t s = 0; s < segments; ++s) {
    std::uint32_t start = cmap.u16(starts + 2 * s), end = cmap.u16(ends + 2 * s);
    auto delta = cmap.u16(deltas + 2 * s), range = cmap.u16(ranges + 2 * s);
    for (std::uint32_t cp = start; cp <= end && cp != 0xFFFF; ++cp) {
      std::uint32_t glyph;
      if (range == 0) {
        glyph = (cp + delta) & 0xFFFF;
      } else {
        glyph = cmap.u16(ranges + 2 * s + range + 2 * (cp - start));
        if (glyph != 0) glyph = (glyph + delta) & 0xFFFF;
      }
      map(cp, glyph);
    }
  }
}

std::uint16_t TrueTypeFont::glyph(char32_t cp) const {
  if (cp < 0x10000) return bmp_[cp];
  auto it = astral_.find(cp);
  return it == astral_.end() ? 0 : it->second;
}

char32_t TrueTypeFont::unicode(std::uint16_t glyph) const { return glyph < unicode_.size() ? unicode_[glyph] : 0; }

double TrueTypeFont::advance(std::uint16_t glyph) const {
  return glyph < advances_.size() ? advances_[glyph] * 1000.0 / units_per_em_ : 0;
}

std::string TrueTypeFont::subset(const std::vector<bool>& used) const {
  std::string where = "glyf";
  Reader glyf{table("glyf"), &where};
  std::vector<bool> keep(glyph_count_, false);
  std::vector<std::uint16_t> pending{0};
  for (std::size_t g = 0; g < used.size() && g < glyph_count_; ++g)
    if (used[g]) pending.push_back(std::uint16_t(g));
  while (!pending.empty()) {  // composite glyphs pull in their components
    auto g = pending.back();
    pending.pop_back();
    if (keep[g]) continue;
    keep[g] = true;
    if (loca_[g + 1] <= loca_[g] || glyf.s16(loca_[g]) >= 0) continue;
    for (std::size_t at = loca_[g] + 10;;) {
      auto flags = glyf.u16(at);
      pending.push_back(glyf.u16(at + 2));
      at += 4 + ((flags & 1) ? 4 : 2) + ((flags & 8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0);
      if (!(flags & 0x20)) break;
    }
  }
  std::string new_glyf, new_loca;
  for (std::size_t g = 0; g < glyph_count_; ++g) {
    put32(new_loca, std::uint32_t(new_glyf.size()));
    if (keep[g] && loca_[g + 1] > loca_[g]) {
      new_glyf.append(glyf.data.substr(loca_[g], loca_[g + 1] - loca_[g]));
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
  for (const char* tag : {"hhea", "maxp", "hmtx", "cvt ", "fpgm", "prep", "OS/2"})
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
