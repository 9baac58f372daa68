#pragma once
/// Image files in and out: JPEG (libjpeg-turbo, EXIF orientation honoured) and PNG (libpng) decoded
/// straight into reusable OpenCV buffers in BGR or BGRA order, and JPEG encoding from rows.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

namespace wfa {

/// PixelLayout is what decode_image produces: BGR (3 channels) or BGRA (4, alpha 255 when the file has none).
enum class PixelLayout { bgr, bgra };

/// DecodeInfo describes a decoded file.
struct DecodeInfo {
  bool has_alpha = false;  ///< some pixel has alpha < 255 (BGRA only)
  int orientation = 1;     ///< the EXIF orientation applied (1 = none)
};

/// decode_image decodes JPEG or PNG BYTES into OUT, reusing OUT's memory when the size matches; SCRATCH holds
/// the unrotated pixels of a JPEG whose EXIF orientation is not 1. NAME appears in errors: a file that is
/// neither JPEG nor PNG, or is truncated or corrupt, is InvalidInputError (exit 6).
DecodeInfo decode_image(std::span<const std::uint8_t> bytes, const std::string& name, PixelLayout layout, cv::Mat& out,
                        cv::Mat& scratch);

/// exif_orientation reads the orientation tag (1..8) of IFD0 in an APP1 Exif payload (starting "Exif\0\0") with
/// libexif; 1 if absent, malformed or out of range.
int exif_orientation(std::span<const std::uint8_t> app1);

/// RowSource gives row Y (0..height-1) of a BGR image as width*3 bytes that stay valid until the next call.
using RowSource = std::function<const std::uint8_t*(int y)>;

/// encode_jpeg writes a baseline 4:2:0 JPEG of QUALITY (1..100) into OUT (cleared, capacity reused).
void encode_jpeg(int width, int height, const RowSource& rows, int quality, std::vector<std::uint8_t>& out);

/// encode_png writes a lossless 8-bit PNG of a BGR or BGRA IMAGE into OUT (used where exact pixels matter).
void encode_png(const cv::Mat& image, std::vector<std::uint8_t>& out);

}  // namespace wfa
