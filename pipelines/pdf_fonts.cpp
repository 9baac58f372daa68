// PdfFonts: TrueType fonts embedded as Type 0 / CIDFontType2 subsets, one subset per glyph set.
#include <cstdint>
#include <cstdio>

#include "pipelines/pdf_document.hpp"
#include "pipelines/utf8.hpp"

namespace wfa {

namespace {

/// Code points every document gets glyphs for, so most documents share one cached subset.
constexpr std::pair<char32_t, char32_t> common_ranges[] = {{0x20, 0x7E},     {0xA0, 0x17F},    {0x2010, 0x2027},
                                                           {0x2030, 0x203A}, {0x20AC, 0x20AC}, {0x2122, 0x2122}};

std::string hex4(std::uint32_t v) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04X", v);
  return buffer;
}

std::string utf16(char32_t cp) {
  std::string out;
  append_utf16be_hex(out, cp);
  return out;
}

std::string widths_array(const TrueTypeFont& font, const std::vector<bool>& used) {
  std::string out = "[";
  for (std::size_t g = 0; g < used.size();) {
    if (!used[g]) {
      ++g;
      continue;
    }
    out += std::to_string(g) + " [";
    for (; g < used.size() && used[g]; ++g)
      out += std::to_string(static_cast<long>(font.advance(static_cast<std::uint16_t>(g)) + 0.5)) + " ";
    out += "] ";
  }
  return out + "]";
}

std::string to_unicode_cmap(const TrueTypeFont& font, const std::vector<bool>& used) {
  std::vector<std::string> entries;
  for (std::size_t g = 0; g < used.size(); ++g)
    if (auto cp = font.unicode(static_cast<std::uint16_t>(g)); used[g] && cp != 0)
      entries.push_back("<" + hex4(static_cast<std::uint32_t>(g)) + "> <" + utf16(cp) + ">\n");
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  for (std::size_t i = 0; i < entries.size(); i += 100) {
    auto n = std::min<std::size_t>(100, entries.size() - i);
    cmap += std::to_string(n) + " beginbfchar\n";
    for (std::size_t k = i; k < i + n; ++k) cmap += entries[k];
    cmap += "endbfchar\n";
  }
  return cmap + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

/// subset_tag derives the six-letter subset prefix from the glyph set, so equal sets get equal names.
std::string subset_tag(const std::vector<bool>& used) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::size_t g = 0; g < used.size(); ++g)
    if (used[g]) h = (h ^ g) * 1099511628211ULL;
  std::string tag;
  for (int i = 0; i < 6; ++i, h /= 26) tag += static_cast<char>('A' + h % 26);
  return tag;
}

}  // namespace

int PdfFonts::add(const std::string& path) {
  fonts_.push_back(TrueTypeFont::load(path));
  const auto& font = *fonts_.back();
  auto base = empty_glyph_set(font.glyph_count());
  for (auto [first, last] : common_ranges)
    for (char32_t cp = first; cp <= last; ++cp) glyph_set_add(base, font.glyph(cp));
  base_glyphs_.push_back(std::move(base));
  return static_cast<int>(fonts_.size() - 1);
}

std::shared_ptr<const EmbeddedFont> PdfFonts::embed(int index, const GlyphSet& used) const {
  auto key = std::make_pair(index, base_glyphs_.at(static_cast<std::size_t>(index)));
  for (std::size_t w = 0; w < used.size() && w < key.second.size(); ++w) key.second[w] |= used[w];
  key.second[0] |= 1;
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  const auto& font = *fonts_[static_cast<std::size_t>(index)];
  std::vector<bool> glyphs(font.glyph_count());
  for (std::size_t g = 0; g < glyphs.size(); ++g) glyphs[g] = (key.second[g >> 6] >> (g & 63)) & 1;
  auto embedded = std::make_shared<EmbeddedFont>();
  embedded->base_font = subset_tag(glyphs) + "+" + font.postscript_name();
  auto file = font.subset(glyphs);
  embedded->font_file_length = file.size();
  embedded->font_file = deflate(file, 9);
  embedded->widths = widths_array(font, glyphs);
  embedded->to_unicode = deflate(to_unicode_cmap(font, glyphs), 9);
  std::lock_guard lock(mutex_);
  return cache_.emplace(std::move(key), std::move(embedded)).first->second;
}

}  // namespace wfa
