#pragma once
/// A small PDF writer for generated documents: pages are drawn on a PageCanvas (text in embedded
/// TrueType subsets, rectangles, rules, passed-through images), finished into self-contained
/// RenderedPages, and any sequence of rendered pages is written as one PDF. Fonts are loaded once
/// per process and their subsets cached, so a batch pays for font embedding once, not per file.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "pipelines/ttf_font.hpp"

struct hb_font_t;  // HarfBuzz's font, kept opaque here

namespace wfa {

/// PdfColor is an RGB fill or stroke colour, components 0..1.
struct PdfColor {
  double r = 0, g = 0, b = 0;
  /// hex parses "#RRGGBB"; anything else is InvalidInputError naming WHAT.
  static PdfColor hex(std::string_view text, std::string_view what);
};

/// PdfImage is an image XObject ready to write: its dictionary entries and stream bytes, as stored.
struct PdfImage {
  std::string key;         ///< content digest; identical images share one object per document
  std::string dictionary;  ///< entries after /Subtype /Image, e.g. "/Width 10 /Height 5 ... /Filter /DCTDecode"
  std::string data;        ///< the stream, already encoded (JPEG bytes, PNG IDAT data)
  double width = 0, height = 0;
  std::shared_ptr<const PdfImage> mask;  ///< the transparency, written as the image's soft mask; may be null
};

/// make_pdf_image wraps JPEG bytes (passed through unchanged) or a PNG (8-bit grey/RGB, not interlaced: its compressed
/// data passed through; any other PNG decoded, its transparency a soft mask); other images are InvalidInputError
/// naming WHAT.
std::shared_ptr<const PdfImage> make_pdf_image(std::string bytes, const std::string& what);

/// GlyphSet is a bitset of glyph ids, one bit per glyph of a font.
using GlyphSet = std::vector<std::uint64_t>;
inline void glyph_set_add(GlyphSet& set, std::uint16_t glyph) { set[glyph >> 6] |= std::uint64_t(1) << (glyph & 63); }
inline GlyphSet empty_glyph_set(std::size_t glyphs) { return GlyphSet((glyphs + 63) / 64, 0); }

/// EmbeddedFont is the PDF form of one font with one glyph set: subset file, widths, ToUnicode map.
struct EmbeddedFont {
  std::string base_font;  ///< "ABCDEF+DejaVuSans"
  std::string font_file;  ///< deflated subset
  std::size_t font_file_length = 0;
  std::string widths;      ///< the /W array
  std::string to_unicode;  ///< deflated CMap
};

/// ShapedGlyph is one glyph of shaped text; lengths in thousandths of an em.
struct ShapedGlyph {
  int font = 0;
  std::uint16_t glyph = 0;
  double advance = 0, x_offset = 0, y_offset = 0;
};

/// ShapedText is one line of text as it is drawn: glyphs left to right and the characters no font has.
struct ShapedText {
  std::vector<ShapedGlyph> glyphs;
  double width = 0;        ///< thousandths of an em
  bool simple = true;      ///< one glyph per character in reading order, advances as the fonts' widths give them
  std::u32string missing;  ///< characters no available font has (drawn as the font's .notdef box)
};

/// FontFace is a loaded font and its HarfBuzz face, shared by every layout that uses the same file.
struct FontFace {
  std::shared_ptr<const TrueTypeFont> font;
  std::shared_ptr<hb_font_t> shaper;
  GlyphSet common;  ///< the glyphs of the common Latin set every subset carries
};

/// PdfFonts holds the fonts of a layout, shared by all threads; shape() and embed() are thread-safe. Characters the
/// layout's fonts lack are drawn from fallback fonts that fontconfig finds, added here on first use.
class PdfFonts {
 public:
  /// max_fonts bounds the layout fonts and fallbacks of one set.
  static constexpr std::size_t max_fonts = 32;

  PdfFonts() = default;
  PdfFonts(const PdfFonts&) = delete;
  PdfFonts& operator=(const PdfFonts&) = delete;

  /// add loads the TrueType file at PATH and returns its index, used as the font argument below; call it before the
  /// set is shared.
  int add(const std::string& path);
  const TrueTypeFont& font(int index) const { return *face(index).font; }
  std::size_t size() const { return count_.load(std::memory_order_acquire); }
  /// is_fallback tells whether font INDEX was added for characters the layout's fonts lack.
  bool is_fallback(int index) const { return std::size_t(index) >= layout_fonts_; }
  /// shape lays out one line of UTF-8 TEXT set in FONT: bidirectional order (FriBidi), joining forms, marks and
  /// kerning (HarfBuzz), and fallback fonts for characters FONT lacks.
  ShapedText shape(int font, std::string_view text) const;
  /// embed returns FONT subset to USED plus a common Latin set, computed once per distinct set.
  std::shared_ptr<const EmbeddedFont> embed(int font, const GlyphSet& used) const;

 private:
  const FontFace& face(int index) const { return *faces_.at(static_cast<std::size_t>(index)); }
  /// fallback returns the font that has CP, adding it from fontconfig's list on first use; -1 when none has it.
  int fallback(char32_t cp) const;
  ShapedText shape_complex(int font, const std::u32string& text) const;
  /// remember_glyph_text records TEXT as what GLYPH of FONT stands for, unless something was recorded before.
  void remember_glyph_text(int font, std::uint16_t glyph, std::u32string text) const;

  mutable std::array<std::shared_ptr<const FontFace>, max_fonts> faces_;  ///< slots below count_ never change
  mutable std::atomic<std::size_t> count_{0};
  std::size_t layout_fonts_ = 0;
  mutable std::mutex mutex_;
  mutable std::map<char32_t, int> fallbacks_;  ///< code point → font index, or -1
  /// glyph_text_ holds, per font, the characters of shaped glyphs the font's cmap does not name (first seen wins).
  mutable std::array<std::map<std::uint16_t, std::u32string>, max_fonts> glyph_text_;
  mutable std::map<std::pair<int, GlyphSet>, std::shared_ptr<const EmbeddedFont>> cache_;
};

/// RenderedPage is a finished page: its deflated content stream and the glyphs and images it uses.
struct RenderedPage {
  double width = 0, height = 0;
  std::string content;           ///< deflated
  std::vector<GlyphSet> glyphs;  ///< per font index
  std::vector<std::shared_ptr<const PdfImage>> images;
  std::u32string missing;  ///< characters drawn as .notdef because no available font has them
};

/// PageCanvas draws one page in PDF points, origin bottom left.
class PageCanvas {
 public:
  PageCanvas(const PdfFonts& fonts, double width, double height);
  double width() const { return width_; }
  double height() const { return height_; }

  void fill_rect(double x, double y, double w, double h, PdfColor color);
  void rule(double x1, double y1, double x2, double y2, double line_width, PdfColor color);
  /// text draws UTF-8 TEXT, shaped, with its baseline starting at (X, Y); characters no font has are remembered as
  /// the page's missing characters.
  void text(double x, double y, int font, double size, PdfColor color, std::string_view text);
  double text_width(int font, double size, std::string_view text) const;
  void image(const std::shared_ptr<const PdfImage>& image, double x, double y, double w, double h);
  RenderedPage finish();

 private:
  const PdfFonts& fonts_;
  double width_, height_;
  std::string ops_;
  std::vector<GlyphSet> glyphs_;
  std::vector<std::shared_ptr<const PdfImage>> images_;
  std::u32string missing_;
};

/// PdfInfo is the document information dictionary; no date means none is written (reproducible).
struct PdfInfo {
  std::string title;
  std::string creation_date;  ///< "D:YYYYMMDDHHMMSSZ" or empty
};

/// PdfStream writes one document page by page: each page (and each image the first time) goes to the sink as it is
/// added, so memory holds only glyph sets, image names and object offsets however many pages there are; finish()
/// writes the fonts, subset to the glyphs the pages drew, the page tree and the cross-reference table.
class PdfStream {
 public:
  using Sink = std::function<void(std::string_view)>;
  PdfStream(const PdfFonts& fonts, Sink sink);
  ~PdfStream();
  PdfStream(const PdfStream&) = delete;
  PdfStream& operator=(const PdfStream&) = delete;

  void add(const RenderedPage& page);
  std::size_t pages() const { return pages_; }
  /// finish completes the document and returns its size in bytes.
  std::uint64_t finish(const PdfInfo& info);

 private:
  class Objects;
  const PdfFonts& fonts_;
  std::unique_ptr<Objects> objects_;
  int catalog_ = 0, page_tree_ = 0, info_ = 0;
  std::vector<GlyphSet> glyphs_;
  std::set<std::string> image_names_;
  std::string image_resources_, kids_;
  std::size_t pages_ = 0;
};

/// write_pdf serialises PAGES as one document; the same pages give the same bytes.
std::string write_pdf(const PdfFonts& fonts, const std::vector<const RenderedPage*>& pages, const PdfInfo& info);

/// pdf_date_from_epoch turns SOURCE_DATE_EPOCH-style seconds into a PDF date string.
std::string pdf_date_from_epoch(long long seconds);

/// pdf_number prints V for a content stream: at most three decimals, no trailing zeros, no locale.
std::string pdf_number(double v);

/// deflate compresses DATA with zlib at LEVEL (0-9).
std::string deflate(std::string_view data, int level);

}  // namespace wfa
