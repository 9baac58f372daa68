// PageCanvas: PDF content-stream operators for text, rectangles, rules and images.
#include <zlib.h>

#include <cmath>

#include "core/error.hpp"
#include "pipelines/pdf_document.hpp"
#include "pipelines/utf8.hpp"

namespace wfa {

namespace {

std::string num(double v) { return pdf_number(v); }

std::string color_op(PdfColor c, const char* op) {
  return num(c.r) + " " + num(c.g) + " " + num(c.b) + " " + op + "\n";
}

}  // namespace

std::string pdf_number(double v) {
  long long thousandths = std::llround(v * 1000);
  std::string out;
  if (thousandths < 0) out += '-', thousandths = -thousandths;
  out += std::to_string(thousandths / 1000);
  if (int frac = static_cast<int>(thousandths % 1000); frac != 0) {
    char digits[4] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                      static_cast<char>('0' + frac % 10), 0};
    std::string tail = digits;
    while (tail.back() == '0') tail.pop_back();
    out += '.' + tail;
  }
  return out == "-0" ? "0" : out;
}

PdfColor PdfColor::hex(std::string_view text, std::string_view what) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  bool ok = text.size() == 7 && text[0] == '#';
  int v[6] = {};
  for (std::size_t i = 0; ok && i < 6; ++i) ok = (v[i] = digit(text[i + 1])) >= 0;
  if (!ok)
    throw InvalidInputError(std::string(what) + " '" + std::string(text) + "' is not a colour", "write it as #RRGGBB");
  return {(v[0] * 16 + v[1]) / 255.0, (v[2] * 16 + v[3]) / 255.0, (v[4] * 16 + v[5]) / 255.0};
}

std::string deflate(std::string_view data, int level) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
                static_cast<uLong>(data.size()), level) != Z_OK)
    throw Error(ErrorCategory::unexpected, "zlib could not compress a PDF stream");
  out.resize(size);
  return out;
}

PageCanvas::PageCanvas(const PdfFonts& fonts, double width, double height)
    : fonts_(fonts), width_(width), height_(height), glyphs_(fonts.size()) {
  for (std::size_t f = 0; f < glyphs_.size(); ++f)
    glyphs_[f] = empty_glyph_set(fonts.font(static_cast<int>(f)).glyph_count());
}

void PageCanvas::fill_rect(double x, double y, double w, double h, PdfColor color) {
  ops_ += color_op(color, "rg") + num(x) + " " + num(y) + " " + num(w) + " " + num(h) + " re f\n";
}

void PageCanvas::rule(double x1, double y1, double x2, double y2, double line_width, PdfColor color) {
  ops_ += color_op(color, "RG") + num(line_width) + " w " + num(x1) + " " + num(y1) + " m " + num(x2) + " " + num(y2) +
          " l S\n";
}

void PageCanvas::text(double x, double y, int font, double size, PdfColor color, std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  auto shaped = fonts_.shape(font, text);
  for (auto cp : shaped.missing)
    if (missing_.find(cp) == std::u32string::npos) missing_ += cp;
  if (glyphs_.size() < fonts_.size()) {
    auto known = glyphs_.size();
    glyphs_.resize(fonts_.size());
    for (auto f = known; f < glyphs_.size(); ++f)
      glyphs_[f] = empty_glyph_set(fonts_.font(static_cast<int>(f)).glyph_count());
  }
  if (shaped.simple) {
    std::string codes;
    codes.reserve(shaped.glyphs.size() * 4);
    auto& used = glyphs_[static_cast<std::size_t>(font)];
    for (const auto& glyph : shaped.glyphs) {
      glyph_set_add(used, glyph.glyph);
      for (int shift : {12, 8, 4, 0}) codes += hex[(glyph.glyph >> shift) & 15];
    }
    ops_ += "BT " + color_op(color, "rg") + "/F" + std::to_string(font) + " " + num(size) + " Tf " + num(x) + " " +
            num(y) + " Td <" + codes + "> Tj ET\n";
    return;
  }
  // Shaped glyphs are drawn in visual order; the fonts' ToUnicode maps give their characters back, and a reader
  // orders right-to-left runs for extraction as it does for any PDF.
  ops_ += "BT " + color_op(color, "rg");
  int current = -1;
  bool open = false;
  double pen = x;
  // Glyphs go out in TJ arrays, the gap between HarfBuzz's advance and the font's width as the adjustment; a font
  // change or a positioned mark starts a new array at its absolute place.
  for (std::size_t g = 0; g < shaped.glyphs.size(); ++g) {
    const auto& glyph = shaped.glyphs[g];
    glyph_set_add(glyphs_[static_cast<std::size_t>(glyph.font)], glyph.glyph);
    bool offset = glyph.x_offset != 0 || glyph.y_offset != 0;
    bool after_offset = g > 0 && (shaped.glyphs[g - 1].x_offset != 0 || shaped.glyphs[g - 1].y_offset != 0);
    if (glyph.font != current || offset || after_offset || !open) {
      if (open) ops_ += "] TJ\n";
      if (glyph.font != current) ops_ += "/F" + std::to_string(glyph.font) + " " + num(size) + " Tf ";
      current = glyph.font;
      ops_ +=
          "1 0 0 1 " + num(pen + glyph.x_offset * size / 1000) + " " + num(y + glyph.y_offset * size / 1000) + " Tm [<";
      open = true;
    } else {
      ops_ += "<";
    }
    for (int shift : {12, 8, 4, 0}) ops_ += hex[(glyph.glyph >> shift) & 15];
    ops_ += ">";
    double natural = fonts_.font(glyph.font).advance(glyph.glyph);
    if (auto adjust = natural - glyph.advance; std::abs(adjust) > 0.0005) ops_ += " " + num(adjust) + " ";
    pen += glyph.advance * size / 1000;
  }
  if (open) ops_ += "] TJ";
  ops_ += " ET\n";
}

double PageCanvas::text_width(int font, double size, std::string_view text) const {
  return fonts_.shape(font, text).width * size / 1000.0;
}

void PageCanvas::image(const std::shared_ptr<const PdfImage>& image, double x, double y, double w, double h) {
  bool known = false;
  for (const auto& seen : images_) known = known || seen->key == image->key;
  if (!known) images_.push_back(image);
  ops_ +=
      "q " + num(w) + " 0 0 " + num(h) + " " + num(x) + " " + num(y) + " cm /I" + image->key.substr(0, 16) + " Do Q\n";
}

RenderedPage PageCanvas::finish() {
  RenderedPage page;
  page.width = width_;
  page.height = height_;
  page.content = deflate(ops_, 3);
  page.glyphs = std::move(glyphs_);
  page.images = std::move(images_);
  page.missing = std::move(missing_);
  return page;
}

}  // namespace wfa
