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
  for (std::size_t f = 0; f < fonts.size(); ++f)
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
  const auto& face = fonts_.font(font);
  auto& used = glyphs_[static_cast<std::size_t>(font)];
  std::string codes;
  codes.reserve(text.size() * 4);
  for (std::size_t i = 0; i < text.size();) {
    auto glyph = face.glyph(next_code_point(text, i));
    glyph_set_add(used, glyph);
    for (int shift : {12, 8, 4, 0}) codes += hex[(glyph >> shift) & 15];
  }
  ops_ += "BT " + color_op(color, "rg") + "/F" + std::to_string(font) + " " + num(size) + " Tf " + num(x) + " " +
          num(y) + " Td <" + codes + "> Tj ET\n";
}

double PageCanvas::text_width(int font, double size, std::string_view text) const {
  const auto& face = fonts_.font(font);
  double width = 0;
  for (std::size_t i = 0; i < text.size();) width += face.advance(face.glyph(next_code_point(text, i)));
  return width * size / 1000.0;
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
  return page;
}

}  // namespace wfa
