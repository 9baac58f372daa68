// write_pdf: objects, cross-reference table and trailer for a list of rendered pages.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <set>
#include <functional>

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

/// PdfStream::Objects numbers objects and records their offsets, handing bytes to the sink in chunks.
class PdfStream::Objects {
 public:
  explicit Objects(Sink sink) : sink_(std::move(sink)) { out_ = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"; }
  int reserve() {
    offsets_.push_back(0);
    return static_cast<int>(offsets_.size());
  }
  void object(int number, std::string_view body) {
    offsets_[static_cast<std::size_t>(number - 1)] = position();
    out_ += std::to_string(number) + " 0 obj\n";
    out_ += body;
    out_ += "\nendobj\n";
    spill();
  }
  void stream(int number, const std::string& dictionary, std::string_view data) {
    offsets_[static_cast<std::size_t>(number - 1)] = position();
    out_ += std::to_string(number) + " 0 obj\n<< " + dictionary + " /Length " + std::to_string(data.size()) +
            " >>\nstream\n";
    out_ += data;
    out_ += "\nendstream\nendobj\n";
    spill();
  }
  std::uint64_t finish(int root, int info) {
    auto xref = position();
    out_ += "xref\n0 " + std::to_string(offsets_.size() + 1) + "\n0000000000 65535 f \n";
    char line[24];
    for (auto offset : offsets_) {
      std::snprintf(line, sizeof line, "%010llu 00000 n \n", static_cast<unsigned long long>(offset));
      out_ += line;
    }
    out_ += "trailer\n<< /Size " + std::to_string(offsets_.size() + 1) + " /Root " + std::to_string(root) +
            " 0 R /Info " + std::to_string(info) + " 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    auto size = position();
    flush();
    return size;
  }

 private:
  /// spill_bytes is how much output is gathered before it goes to the sink.
  static constexpr std::size_t spill_bytes = std::size_t(1) << 20;
  std::uint64_t position() const { return flushed_ + out_.size(); }
  void spill() {
    if (out_.size() >= spill_bytes) flush();
  }
  void flush() {
    sink_(out_);
    flushed_ += out_.size();
    out_.clear();
  }

  Sink sink_;
  std::string out_;
  std::uint64_t flushed_ = 0;
  std::vector<std::uint64_t> offsets_;
};

PdfStream::PdfStream(const PdfFonts& fonts, Sink sink)
    : fonts_(fonts), objects_(std::make_unique<Objects>(std::move(sink))) {
  catalog_ = objects_->reserve();
  page_tree_ = objects_->reserve();
  info_ = objects_->reserve();
}

PdfStream::~PdfStream() = default;

void PdfStream::add(const RenderedPage& page) {
  for (const auto& image : page.images) {
    auto name = "/I" + image->key.substr(0, 16);
    if (!image_names_.insert(name).second) continue;
    std::string mask;
    if (image->mask) {
      int mask_number = objects_->reserve();
      objects_->stream(mask_number, "/Type /XObject /Subtype /Image " + image->mask->dictionary, image->mask->data);
      mask = " /SMask " + ref(mask_number);
    }
    int number = objects_->reserve();
    objects_->stream(number, "/Type /XObject /Subtype /Image " + image->dictionary + mask, image->data);
    image_resources_ += name + " " + ref(number) + " ";
  }
  if (glyphs_.size() < page.glyphs.size()) glyphs_.resize(page.glyphs.size());
  for (std::size_t f = 0; f < page.glyphs.size(); ++f) {
    if (glyphs_[f].size() < page.glyphs[f].size()) glyphs_[f].resize(page.glyphs[f].size());
    for (std::size_t w = 0; w < page.glyphs[f].size(); ++w) glyphs_[f][w] |= page.glyphs[f][w];
  }
  int page_object = objects_->reserve(), content = objects_->reserve();
  objects_->object(page_object, "<< /Type /Page /Parent " + ref(page_tree_) + " /MediaBox [0 0 " + num(page.width) +
                                    " " + num(page.height) + "] /Contents " + ref(content) + " >>");
  objects_->stream(content, "/Filter /FlateDecode", page.content);
  kids_ += ref(page_object) + " ";
  ++pages_;
}

std::uint64_t PdfStream::finish(const PdfInfo& info) {
  std::string font_resources;
  for (std::size_t f = 0; f < fonts_.size() && f < PdfFonts::max_fonts; ++f) {
    auto used = f < glyphs_.size() ? glyphs_[f] : GlyphSet();
    used.resize((fonts_.font(static_cast<int>(f)).glyph_count() + 63) / 64, 0);
    bool drawn = std::any_of(used.begin(), used.end(), [](std::uint64_t w) { return w != 0; });
    if (!drawn && fonts_.is_fallback(static_cast<int>(f))) continue;  // a fallback font other documents needed
    const auto& e = *fonts_.embed(static_cast<int>(f), used);
    const auto& face = fonts_.font(static_cast<int>(f));
    int type0 = objects_->reserve(), cid = objects_->reserve(), descriptor = objects_->reserve(),
        file = objects_->reserve(), cmap = objects_->reserve();
    objects_->object(type0, "<< /Type /Font /Subtype /Type0 /BaseFont /" + e.base_font +
                                " /Encoding /Identity-H /DescendantFonts [" + ref(cid) + "] /ToUnicode " + ref(cmap) +
                                " >>");
    objects_->object(cid, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /" + e.base_font +
                              " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                              "/FontDescriptor " +
                              ref(descriptor) + " /CIDToGIDMap /Identity /DW 1000 /W " + e.widths + " >>");
    const int* b = face.bbox();
    objects_->object(descriptor, "<< /Type /FontDescriptor /FontName /" + e.base_font + " /Flags 4 /FontBBox [" +
                                     std::to_string(b[0]) + " " + std::to_string(b[1]) + " " + std::to_string(b[2]) +
                                     " " + std::to_string(b[3]) + "] /ItalicAngle " + num(face.italic_angle()) +
                                     " /Ascent " + std::to_string(face.ascent()) + " /Descent " +
                                     std::to_string(face.descent()) + " /CapHeight " +
                                     std::to_string(face.cap_height()) + " /StemV 80 /FontFile2 " + ref(file) + " >>");
    objects_->stream(file, "/Filter /FlateDecode /Length1 " + std::to_string(e.font_file_length), e.font_file);
    objects_->stream(cmap, "/Filter /FlateDecode", e.to_unicode);
    font_resources += "/F" + std::to_string(f) + " " + ref(type0) + " ";
  }
  objects_->object(page_tree_, "<< /Type /Pages /Kids [" + kids_ + "] /Count " + std::to_string(pages_) +
                                   " /Resources << /ProcSet [/PDF /Text /ImageB /ImageC] /Font << " + font_resources +
                                   ">> /XObject << " + image_resources_ + ">> >> >>");
  objects_->object(catalog_, "<< /Type /Catalog /Pages " + ref(page_tree_) + " >>");
  std::string info_body = "<< /Producer (wfa) /Title " + pdf_text(info.title);
  if (!info.creation_date.empty()) info_body += " /CreationDate (" + info.creation_date + ")";
  objects_->object(info_, info_body + " >>");
  return objects_->finish(catalog_, info_);
}

std::string write_pdf(const PdfFonts& fonts, const std::vector<const RenderedPage*>& pages, const PdfInfo& info) {
  std::string out;
  std::size_t estimate = 4096;
  for (const auto* page : pages) estimate += page->content.size() + 400;
  out.reserve(estimate);
  PdfStream stream(fonts, [&out](std::string_view bytes) { out += bytes; });
  for (const auto* page : pages) stream.add(*page);
  stream.finish(info);
  return out;
}

}  // namespace wfa
