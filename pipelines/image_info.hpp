#pragma once
/// What an image file is, read from its bytes alone (no decoding): JPEG and PNG headers are
/// walked to the end marker, so non-images, truncated files and corrupt headers are refused.
#include <cstddef>
#include <string>
#include <string_view>

namespace wfa {

/// max_image_bytes bounds an image file a user gives (a location photo, a mockup creative); it is refused unread.
constexpr std::size_t max_image_bytes = 64u << 20;

/// ImageInfo describes a validated JPEG or PNG; a PDF writer can pass JPEGs through with it.
struct ImageInfo {
  std::string media_type;  ///< "image/jpeg" or "image/png"
  int width = 0;
  int height = 0;
  int components =
      0;  ///< JPEG: 1 gray, 3 YCbCr/RGB, 4 CMYK/YCCK; PNG: samples per pixel (palette 1, gray+alpha 2, RGBA 4)
  int bits_per_component = 0;  ///< JPEG: sample precision (8 or 12); PNG: bit depth
  bool adobe_cmyk =
      false;  ///< JPEG with 4 components and an Adobe APP14 marker: CMYK stored inverted (PDF needs Decode [1 0 ...])
  bool progressive = false;  ///< JPEG: progressive SOF (C2/C6/CA/CE); PNG: Adam7 interlaced
};

/// inspect_image validates BYTES as a JPEG (SOI … SOF … SOS … EOI) or PNG (signature, IHDR, IDAT,
/// IEND, chunk CRCs) and describes it. Anything else, a truncated file or a corrupt header is
/// InvalidInputError whose message starts with WHAT (e.g. "photo day.jpg").
ImageInfo inspect_image(std::string_view bytes, const std::string& what);

}  // namespace wfa
