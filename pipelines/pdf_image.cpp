// Image XObjects without re-encoding: JPEG as DCTDecode, PNG IDAT data as FlateDecode with PNG predictors.
#include "core/error.hpp"
#include "core/digest.hpp"
#include "pipelines/image_codec.hpp"
#include "pipelines/image_info.hpp"
#include "pipelines/pdf_document.hpp"

namespace wfa {

namespace {

std::uint32_t be32(std::string_view bytes, std::size_t at) {
  auto b = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + k])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

/// decoded_png_image decodes a PNG the PDF cannot carry as it is (alpha, palette, 16-bit samples, interlacing) to
/// 8-bit RGB, deflated, with its transparency, if any, as a soft mask; 16-bit samples are scaled by the decoder.
void decoded_png_image(PdfImage& image, const ImageInfo& info, const std::string& bytes, const std::string& what) {
  cv::Mat bgra, scratch;
  auto decoded = decode_image({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, what,
                              PixelLayout::bgra, bgra, scratch);
  std::string rgb, alpha;
  rgb.reserve(std::size_t(bgra.cols) * std::size_t(bgra.rows) * 3);
  if (decoded.has_alpha) alpha.reserve(std::size_t(bgra.cols) * std::size_t(bgra.rows));
  for (int y = 0; y < bgra.rows; ++y) {
    const auto* row = bgra.ptr<std::uint8_t>(y);
    for (int x = 0; x < bgra.cols; ++x) {
      const auto* px = row + 4 * x;
      rgb += static_cast<char>(px[2]), rgb += static_cast<char>(px[1]), rgb += static_cast<char>(px[0]);
      if (decoded.has_alpha) alpha += static_cast<char>(px[3]);
    }
  }
  auto size = "/Width " + std::to_string(bgra.cols) + " /Height " + std::to_string(bgra.rows);
  image.dictionary = size + " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode";
  image.data = deflate(rgb, 6);
  if (decoded.has_alpha) {
    auto mask = std::make_shared<PdfImage>();
    mask->key = image.key + "-mask";
    mask->dictionary = size + " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode";
    mask->data = deflate(alpha, 6);
    mask->width = info.width, mask->height = info.height;
    image.mask = std::move(mask);
  }
}

/// png_image passes the zlib stream of a non-interlaced 8-bit grey or RGB PNG through unchanged and decodes others.
void png_image(PdfImage& image, const ImageInfo& info, const std::string& bytes, const std::string& what) {
  int color_type = static_cast<unsigned char>(bytes[25]);
  if (info.progressive || info.bits_per_component != 8 || (color_type != 0 && color_type != 2))
    return decoded_png_image(image, info, bytes, what);
  std::string data;
  for (std::size_t at = 8; at + 12 <= bytes.size();) {
    auto length = be32(bytes, at);
    std::string_view type(bytes.data() + at + 4, 4);
    if (type == "IDAT") data.append(bytes, at + 8, length);
    at += 12 + length;
  }
  int colors = color_type == 2 ? 3 : 1;
  image.dictionary = "/Width " + std::to_string(info.width) + " /Height " + std::to_string(info.height) +
                     " /ColorSpace " + (colors == 3 ? "/DeviceRGB" : "/DeviceGray") +
                     " /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors " +
                     std::to_string(colors) + " /BitsPerComponent 8 /Columns " + std::to_string(info.width) + " >>";
  image.data = std::move(data);
}

}  // namespace

std::shared_ptr<const PdfImage> make_pdf_image(std::string bytes, const std::string& what) {
  auto info = inspect_image(bytes, what);
  auto image = std::make_shared<PdfImage>();
  image->key = sha256_hex(bytes);
  image->width = info.width;
  image->height = info.height;
  if (info.media_type == "image/png") {
    png_image(*image, info, bytes, what);
    return image;
  }
  if (info.bits_per_component != 8)
    throw InvalidInputError(what + " is a " + std::to_string(info.bits_per_component) + "-bit JPEG",
                            "save it as an 8-bit JPEG");
  const char* space = info.components == 1 ? "/DeviceGray" : info.components == 4 ? "/DeviceCMYK" : "/DeviceRGB";
  image->dictionary = "/Width " + std::to_string(info.width) + " /Height " + std::to_string(info.height) +
                      " /ColorSpace " + space + " /BitsPerComponent 8 /Filter /DCTDecode";
  if (info.adobe_cmyk) image->dictionary += " /Decode [1 0 1 0 1 0 1 0]";
  image->data = std::move(bytes);
  return image;
}

}  // namespace wfa
