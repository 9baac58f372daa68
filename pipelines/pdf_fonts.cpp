// PdfFonts: TrueType fonts embedded as Type 0 / CIDFontType2 subsets, one subset per glyph set.
#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "pipelines/pdf_document.hpp"
#include "core/error.hpp"
#include "pipelines/text_shaping.hpp"
#include "pipelines/utf8.hpp"

namespace wfa {

namespace {

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

/// presentation_form: Arabic letters in their joined forms, which a reader should get back as the letters themselves.
bool presentation_form(char32_t cp) { return (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF); }

/// glyph_text is what GLYPH stands for: its cmap character (a presentation form as its compatibility decomposition),
/// else what shaping recorded for it, else nothing. A ligature of right-to-left letters (lam-alef) is given in drawing
/// order, because extractors reverse a right-to-left run character by character after mapping its glyphs.
std::u32string glyph_text(const TrueTypeFont& font, std::uint16_t glyph,
                          const std::map<std::uint16_t, std::u32string>& shaped) {
  auto cp = font.unicode(glyph);
  if (cp != 0 && presentation_form(cp)) {
    utf8proc_uint8_t utf8[8] = {};
    utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), utf8);
    auto* normal = utf8proc_NFKC(utf8);
    std::u32string out;
    if (normal) {
      std::string_view text(reinterpret_cast<const char*>(normal));
      for (std::size_t i = 0; i < text.size();) out += next_code_point(text, i);
      std::free(normal);
    }
    std::reverse(out.begin(), out.end());
    return out.empty() ? std::u32string(1, cp) : out;
  }
  if (cp != 0) return std::u32string(1, cp);
  auto it = shaped.find(glyph);
  return it == shaped.end() ? std::u32string() : it->second;
}

std::string to_unicode_cmap(const TrueTypeFont& font, const std::vector<bool>& used,
                            const std::map<std::uint16_t, std::u32string>& shaped) {
  std::vector<std::string> entries;
  for (std::size_t g = 0; g < used.size(); ++g) {
    if (!used[g]) continue;
    auto text = glyph_text(font, static_cast<std::uint16_t>(g), shaped);
    if (text.empty()) continue;
    std::string hex;
    for (auto cp : text) hex += utf16(cp);
    entries.push_back("<" + hex4(static_cast<std::uint32_t>(g)) + "> <" + hex + ">\n");
  }
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
  auto index = count_.load();
  if (index == max_fonts) throw InvalidInputError("a layout has more than " + std::to_string(max_fonts) + " fonts");
  faces_[index] = load_face(path);
  count_.store(index + 1, std::memory_order_release);
  layout_fonts_ = index + 1;
  return static_cast<int>(index);
}

std::shared_ptr<const EmbeddedFont> PdfFonts::embed(int index, const GlyphSet& used) const {
  // A fallback font carries only the glyphs drawn with it, not the common Latin set.
  auto key =
      std::make_pair(index, is_fallback(index) ? empty_glyph_set(font(index).glyph_count()) : face(index).common);
  for (std::size_t w = 0; w < used.size() && w < key.second.size(); ++w) key.second[w] |= used[w];
  key.second[0] |= 1;
  std::map<std::uint16_t, std::u32string> shaped;
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    shaped = glyph_text_[static_cast<std::size_t>(index)];
  }
  const auto& font = *face(index).font;
  std::vector<bool> glyphs(font.glyph_count());
  for (std::size_t g = 0; g < glyphs.size(); ++g) glyphs[g] = (key.second[g >> 6] >> (g & 63)) & 1;
  auto embedded = std::make_shared<EmbeddedFont>();
  embedded->base_font = subset_tag(glyphs) + "+" + font.postscript_name();
  auto file = font.subset(glyphs);
  embedded->font_file_length = file.size();
  embedded->font_file = deflate(file, 9);
  embedded->widths = widths_array(font, glyphs);
  embedded->to_unicode = deflate(to_unicode_cmap(font, glyphs, shaped), 9);
  std::lock_guard lock(mutex_);
  return cache_.emplace(std::move(key), std::move(embedded)).first->second;
}

}  // namespace wfa
