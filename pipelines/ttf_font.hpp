#pragma once
/// TrueTypeFont reads what a PDF needs from a .ttf file — character map, advance widths, metrics —
/// and writes subsets that keep glyph ids but carry only the outlines a document uses.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wfa {

/// TrueTypeFont checks every table offset, length, count and glyph id it reads against the font's own limits when
/// it loads, so a hostile font costs time linear in its size (at most max_font_bytes) and fails as one
/// InvalidInputError naming the file and the table; nothing it returns afterwards can index out of range.
class TrueTypeFont {
 public:
  /// max_font_bytes is the largest font file load reads (64 MiB).
  static constexpr std::size_t max_font_bytes = std::size_t(64) << 20;
  /// max_component_depth is how deeply composite glyphs may nest (DejaVu uses 4); deeper or cyclic is refused.
  static constexpr int max_component_depth = 16;

  /// load parses the font at PATH, a regular file of at most max_font_bytes; an unreadable, non-TrueType or
  /// malformed file is InvalidInputError naming PATH and, for a malformed one, the table at fault.
  static std::shared_ptr<const TrueTypeFont> load(const std::string& path);
  /// from_bytes parses BYTES as load does; NAME stands for the file in messages and gives the fallback name.
  static std::shared_ptr<const TrueTypeFont> from_bytes(std::string bytes, const std::string& name);

  /// postscript_name is a PDF name token: 1 to 63 printable ASCII characters without PDF delimiters or '#'.
  const std::string& postscript_name() const { return postscript_name_; }
  /// glyph_count is maxp.numGlyphs, at least 1 (.notdef); every glyph id this class returns is below it.
  std::uint16_t glyph_count() const { return glyph_count_; }
  /// glyph maps a code point to its glyph id; 0 (.notdef) when the font lacks it.
  std::uint16_t glyph(char32_t code_point) const;
  /// unicode is the lowest code point mapped to GLYPH, 0 if none (for ToUnicode maps).
  char32_t unicode(std::uint16_t glyph) const;
  /// advance is GLYPH's advance width in thousandths of an em, as PDF widths are given; 0 past glyph_count.
  double advance(std::uint16_t glyph) const;

  /// data is the whole font file, as loaded (for a shaper that reads the layout tables itself).
  std::string_view data() const { return bytes_; }
  int units_per_em() const { return units_per_em_; }

  // Font descriptor metrics, in thousandths of an em.
  int ascent() const { return ascent_; }
  int descent() const { return descent_; }
  int cap_height() const { return cap_height_; }
  const int* bbox() const { return bbox_; }
  double italic_angle() const { return italic_angle_; }

  /// subset returns a TrueType file with the same glyph ids where only glyphs flagged in USED
  /// (plus .notdef and the parts of used composite glyphs) keep their outlines, without hinting instructions
  /// (glyph programs, fpgm, prep, cvt); it never throws on font data.
  std::string subset(const std::vector<bool>& used) const;

 private:
  /// AstralRange maps code points FIRST..LAST (above U+FFFF) to consecutive glyphs from GLYPH.
  struct AstralRange {
    char32_t first, last;
    std::uint16_t glyph;
  };

  std::string bytes_;
  std::string path_;                                                                   ///< the file, for messages
  std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> tables_;  ///< tag → offset, length
  std::vector<std::uint16_t> bmp_;                                                     ///< code point (BMP) → glyph
  std::vector<AstralRange> astral_;        ///< code points above U+FFFF, ascending and disjoint
  std::vector<char32_t> unicode_;          ///< glyph → code point
  std::vector<std::uint16_t> advances_;    ///< glyph → advance, font units
  std::vector<std::uint32_t> loca_;        ///< glyph → offset into glyf, glyph_count + 1 ascending entries
  std::vector<std::uint32_t> first_part_;  ///< glyph → its components in parts_, glyph_count + 1 entries
  std::vector<std::uint16_t> parts_;       ///< component glyph ids of composite glyphs, each < glyph_count
  std::string postscript_name_;
  std::uint16_t glyph_count_ = 0;
  int units_per_em_ = 1000;
  int ascent_ = 0, descent_ = 0, cap_height_ = 0;
  int bbox_[4] = {0, 0, 0, 0};
  double italic_angle_ = 0;

  // parse reads the parts of the font in this order, each checking what it reads against what came before.
  void parse();
  void parse_directory();
  void parse_metrics();
  void parse_glyphs();
  /// component_depth is how many composite levels GLYPH (LEVEL deep) nests, memoised in DEPTHS; deeper than
  /// max_component_depth, or in a cycle, is InvalidInputError.
  int component_depth(std::uint16_t glyph, int level, std::vector<signed char>& depths) const;
  void parse_name();
  void parse_cmap();
  void parse_cmap_format4(std::string_view subtable);
  void parse_cmap_format12(std::string_view subtable);
  /// map_code_point records CODE_POINT → GLYPH; a glyph id past glyph_count is InvalidInputError.
  void map_code_point(char32_t code_point, std::uint16_t glyph);
  std::string_view table(const char* tag) const;
};

}  // namespace wfa
