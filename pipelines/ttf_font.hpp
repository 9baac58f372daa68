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

class TrueTypeFont {
 public:
  /// load parses the font at PATH; an unreadable or non-TrueType file is InvalidInputError.
  static std::shared_ptr<const TrueTypeFont> load(const std::string& path);

  const std::string& postscript_name() const { return postscript_name_; }
  std::uint16_t glyph_count() const { return glyph_count_; }
  /// glyph maps a code point to its glyph id; 0 (.notdef) when the font lacks it.
  std::uint16_t glyph(char32_t code_point) const;
  /// unicode is the code point GLYPH was first mapped from, 0 if none (for ToUnicode maps).
  char32_t unicode(std::uint16_t glyph) const;
  /// advance is GLYPH's advance width in thousandths of an em, as PDF widths are given.
  double advance(std::uint16_t glyph) const;

  // Font descriptor metrics, in thousandths of an em.
  int ascent() const { return ascent_; }
  int descent() const { return descent_; }
  int cap_height() const { return cap_height_; }
  const int* bbox() const { return bbox_; }
  double italic_angle() const { return italic_angle_; }

  /// subset returns a TrueType file with the same glyph ids where only glyphs flagged in USED
  /// (plus .notdef and the parts of used composite glyphs) keep their outlines.
  std::string subset(const std::vector<bool>& used) const;

 private:
  std::string bytes_;
  std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> tables_;  ///< tag → offset, length
  std::vector<std::uint16_t> bmp_;                                                     ///< code point (BMP) → glyph
  std::unordered_map<char32_t, std::uint16_t> astral_;  ///< code points above U+FFFF → glyph
  std::vector<char32_t> unicode_;                       ///< glyph → code point
  std::vector<std::uint16_t> advances_;                 ///< glyph → advance, font units
  std::vector<std::uint32_t> loca_;                     ///< glyph → offset into glyf, glyph_count + 1 entries
  std::string postscript_name_;
  std::uint16_t glyph_count_ = 0;
  int units_per_em_ = 1000;
  int ascent_ = 0, descent_ = 0, cap_height_ = 0;
  int bbox_[4] = {0, 0, 0, 0};
  double italic_angle_ = 0;

  void parse(const std::string& path);
  void parse_cmap(std::string_view table);
  std::string_view table(const char* tag) const;
};

}  // namespace wfa
