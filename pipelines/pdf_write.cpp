// write_pdf: objects, cross-reference table and trailer for a list of rendered pages.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <set>

#include "pipelines/pdf_document.hpp"
#include "pipelines/utf8.hpp"

namespace wfa {

namespace {

std::string num(double v) { return pdf_number(v); }

/// pdf_text escapes TEXT as a UTF-16BE hex string, valid for any Unicode title.
std::string pdf_text(std::string_view text) {
  std::string out = "<FEFF";
  for (std::size_t i = 0; i < text.size();) append_utf16be_hex(out, next_code_point(text, i));
  return out + ">";
}

/// Writer appends numbered objects and remembers their offsets for the xref table.
class Writer {
 public:
  Writer() { out_ = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"; }
  int reserve() {
    offsets_.push_back(0);
    return static_cast<int>(offsets_.size());
  }
  void object(int number, std::string_view body) {
    offsets_[static_cast<std::size_t>(number - 1)] = out_.size();
    out_ += std::to_string(number) + " 0 obj\n";
    out_ += body;
    out_ += "\nendobj\n";
  }
  void stream(int number, const std::string& dictionary, std::string_view data) {
    offsets_[static_cast<std::size_t>(number - 1)] = out_.size();
    out_ += std::to_string(number) + " 0 obj\n<< " + dictionary + " /Length " + std::to_string(data.size()) +
            " >>\nstream\n";
    out_ += data;
    out_ += "\nendstream\nendobj\n";
  }
  void reserve_bytes(std::size_t n) { out_.reserve(n); }
  std::string finish(int root, int info) {
    auto xref = out_.size();
    out_ += "xref\n0 " + std::to_string(offsets_.size() + 1) + "\n0000000000 65535 f \n";
    char line[24];
    for (auto offset : offsets_) {
      std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
      out_ += line;
    }
    out_ += "trailer\n<< /Size " + std::to_string(offsets_.size() + 1) + " /Root " + std::to_string(root) +
            " 0 R /Info " + std::to_string(info) + " 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return std::move(out_);
  }

 private:
  std::string out_;
  std::vector<std::size_t> offsets_;
};

std::string ref(int number) { return std::to_string(number) + " 0 R"; }

}  // namespace

std::string pdf_date_from_epoch(long long seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "D:%Y%m%d%H%M%SZ", &tm);
  return buffer;
}

std::string write_pdf(const PdfFonts& fonts, const std::vector<const RenderedPage*>& pages, const PdfInfo& info) {
  Writer w;
  std::size_t estimate = 4096;
  std::vector<std::shared_ptr<const PdfImage>> images;
  std::set<std::string> image_keys;
  // Other threads may add fallback fonts meanwhile; these pages use only fonts added before they were drawn.
  std::vector<GlyphSet> glyphs(fonts.size());
  for (std::size_t f = 0; f < glyphs.size(); ++f)
    glyphs[f] = empty_glyph_set(fonts.font(static_cast<int>(f)).glyph_count());
  for (const auto* page : pages) {
    estimate += page->content.size() + 400;
    for (const auto& image : page->images)
      if (image_keys.insert(image->key).second) images.push_back(image), estimate += image->data.size() + 300;
    for (std::size_t f = 0; f < page->glyphs.size() && f < glyphs.size(); ++f)
      for (std::size_t w = 0; w < page->glyphs[f].size() && w < glyphs[f].size(); ++w)
        glyphs[f][w] |= page->glyphs[f][w];
  }
  std::vector<std::pair<int, std::shared_ptr<const EmbeddedFont>>> embedded;
  for (std::size_t f = 0; f < glyphs.size(); ++f) {
    bool used = !fonts.is_fallback(static_cast<int>(f)) ||
                std::any_of(glyphs[f].begin(), glyphs[f].end(), [](std::uint64_t w) { return w != 0; });
    if (!used) continue;  // a fallback font some other document needed
    auto e = fonts.embed(static_cast<int>(f), glyphs[f]);
    estimate += e->font_file.size() + e->to_unicode.size() + e->widths.size() + 600;
    embedded.emplace_back(static_cast<int>(f), std::move(e));
  }
  w.reserve_bytes(estimate);

  int catalog = w.reserve(), page_tree = w.reserve(), info_dict = w.reserve();
  std::string font_resources, image_resources;
  for (const auto& [f, font] : embedded) {
    const auto& e = *font;
    const auto& face = fonts.font(f);
    int type0 = w.reserve(), cid = w.reserve(), descriptor = w.reserve(), file = w.reserve(), cmap = w.reserve();
    w.object(type0, "<< /Type /Font /Subtype /Type0 /BaseFont /" + e.base_font +
                        " /Encoding /Identity-H /DescendantFonts [" + ref(cid) + "] /ToUnicode " + ref(cmap) + " >>");
    w.object(cid, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /" + e.base_font +
                      " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor " +
                      ref(descriptor) + " /CIDToGIDMap /Identity /DW 1000 /W " + e.widths + " >>");
    const int* b = face.bbox();
    w.object(descriptor, "<< /Type /FontDescriptor /FontName /" + e.base_font + " /Flags 4 /FontBBox [" +
                             std::to_string(b[0]) + " " + std::to_string(b[1]) + " " + std::to_string(b[2]) + " " +
                             std::to_string(b[3]) + "] /ItalicAngle " + num(face.italic_angle()) + " /Ascent " +
                             std::to_string(face.ascent()) + " /Descent " + std::to_string(face.descent()) +
                             " /CapHeight " + std::to_string(face.cap_height()) + " /StemV 80 /FontFile2 " + ref(file) +
                             " >>");
    w.stream(file, "/Filter /FlateDecode /Length1 " + std::to_string(e.font_file_length), e.font_file);
    w.stream(cmap, "/Filter /FlateDecode", e.to_unicode);
    font_resources += "/F" + std::to_string(f) + " " + ref(type0) + " ";
  }
  for (const auto& image : images) {
    int number = w.reserve();
    w.stream(number, "/Type /XObject /Subtype /Image " + image->dictionary, image->data);
    image_resources += "/I" + image->key.substr(0, 16) + " " + ref(number) + " ";
  }
  std::string kids;
  for (const auto* page : pages) {
    int page_object = w.reserve(), content = w.reserve();
    w.object(page_object, "<< /Type /Page /Parent " + ref(page_tree) + " /MediaBox [0 0 " + num(page->width) + " " +
                              num(page->height) + "] /Contents " + ref(content) + " >>");
    w.stream(content, "/Filter /FlateDecode", page->content);
    kids += ref(page_object) + " ";
  }
  w.object(page_tree, "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) +
                          " /Resources << /ProcSet [/PDF /Text /ImageB /ImageC] /Font << " + font_resources +
                          ">> /XObject << " + image_resources + ">> >> >>");
  w.object(catalog, "<< /Type /Catalog /Pages " + ref(page_tree) + " >>");
  std::string info_body = "<< /Producer (wfa) /Title " + pdf_text(info.title);
  if (!info.creation_date.empty()) info_body += " /CreationDate (" + info.creation_date + ")";
  w.object(info_dict, info_body + " >>");
  return w.finish(catalog, info_dict);
}

}  // namespace wfa
