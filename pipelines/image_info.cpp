// JPEG marker walking and PNG chunk walking, bounds-checked at every read.
#include "pipelines/image_info.hpp"

#include <array>
#include <cstdint>

#include <zlib.h>

#include "core/error.hpp"
#include "core/image_limits.hpp"

namespace wfa {

namespace {

constexpr std::string_view png_signature("\x89PNG\r\n\x1a\n", 8);

[[noreturn]] void bad_image(const std::string& what, const std::string& why) {
  throw InvalidInputError(what + " " + why, "give a complete JPEG or PNG file");
}

std::uint8_t byte_at(std::string_view bytes, std::size_t at) { return static_cast<std::uint8_t>(bytes[at]); }

std::uint32_t be16(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint32_t>(byte_at(bytes, at)) << 8 | byte_at(bytes, at + 1);
}

std::uint32_t be32(std::string_view bytes, std::size_t at) { return be16(bytes, at) << 16 | be16(bytes, at + 2); }

/// is_sof: the start-of-frame markers (not DHT C4, JPG C8 or DAC CC, which share the range).
bool is_sof(std::uint8_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

/// skip_scan returns the position of the marker that ends the entropy-coded data starting at AT.
std::size_t skip_scan(std::string_view bytes, std::size_t at, const std::string& what) {
  for (std::size_t i = at; i + 1 < bytes.size(); ++i) {
    if (byte_at(bytes, i) != 0xFF) continue;
    auto next = byte_at(bytes, i + 1);
    if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
      ++i;
    } else if (next != 0xFF) {
      return i;
    }
  }
  bad_image(what, "is a truncated JPEG: the image data ends without an EOI marker");
}

void read_sof(std::string_view bytes, std::size_t body, std::uint32_t length, std::uint8_t marker, ImageInfo& info,
              const std::string& what) {
  if (length < 8) bad_image(what, "is a corrupt JPEG: its frame header is too short");
  info.bits_per_component = byte_at(bytes, body);
  info.height = static_cast<int>(be16(bytes, body + 1));
  info.width = static_cast<int>(be16(bytes, body + 3));
  info.components = byte_at(bytes, body + 5);
  info.progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
  if (length < 8 + 3u * static_cast<std::uint32_t>(info.components))
    bad_image(what, "is a corrupt JPEG: its frame header is shorter than its component list");
  if (info.width == 0 || info.height == 0)
    bad_image(what, "is a JPEG with a zero size in its frame header (" + std::to_string(info.width) + "x" +
                        std::to_string(info.height) + ")");
  if (info.components != 1 && info.components != 3 && info.components != 4)
    bad_image(what, "is a JPEG with " + std::to_string(info.components) + " components (1, 3 or 4 are supported)");
  if (info.bits_per_component != 8 && info.bits_per_component != 12)
    bad_image(what, "is a corrupt JPEG: sample precision " + std::to_string(info.bits_per_component));
}

ImageInfo inspect_jpeg(std::string_view bytes, const std::string& what) {
  ImageInfo info;
  info.media_type = "image/jpeg";
  bool have_frame = false;
  bool have_scan = false;
  bool adobe = false;
  std::size_t at = 2;
  for (;;) {
    if (at >= bytes.size()) bad_image(what, "is a truncated JPEG: it ends without an EOI marker");
    if (byte_at(bytes, at) != 0xFF) bad_image(what, "is a corrupt JPEG: no marker at byte " + std::to_string(at));
    while (at < bytes.size() && byte_at(bytes, at) == 0xFF) ++at;
    if (at >= bytes.size()) bad_image(what, "is a truncated JPEG: it ends without an EOI marker");
    auto marker = byte_at(bytes, at++);
    if (marker == 0xD9) break;
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;
    if (marker == 0x00 || marker == 0xD8)
      bad_image(what, "is a corrupt JPEG: unexpected marker at byte " + std::to_string(at - 2));
    if (at + 2 > bytes.size()) bad_image(what, "is a truncated JPEG: a segment header runs past the end");
    auto length = be16(bytes, at);
    if (length < 2)
      bad_image(what, "is a corrupt JPEG: segment length " + std::to_string(length) + " at byte " + std::to_string(at));
    if (at + length > bytes.size()) bad_image(what, "is a truncated JPEG: a segment runs past the end of the file");
    auto body = at + 2;
    if (is_sof(marker)) {
      if (have_frame) bad_image(what, "is a corrupt JPEG: it has two frame headers");
      read_sof(bytes, body, length, marker, info, what);
      have_frame = true;
    } else if (marker == 0xEE && length >= 7 && bytes.substr(body, 5) == "Adobe") {
      adobe = true;
    }
    at += length;
    if (marker == 0xDA) {
      if (!have_frame) bad_image(what, "is a corrupt JPEG: image data comes before the frame header");
      have_scan = true;
      at = skip_scan(bytes, at, what);
    }
  }
  if (!have_frame || !have_scan) bad_image(what, "is a corrupt JPEG: it has no frame header or no image data");
  info.adobe_cmyk = adobe && info.components == 4;
  return info;
}

/// chunk_crc is the CRC-32 a PNG chunk carries (zlib's).
std::uint32_t chunk_crc(std::string_view data) {
  return static_cast<std::uint32_t>(
      ::crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

/// png_components maps an IHDR colour type and bit depth to samples per pixel, or 0 when the pair is invalid.
int png_components(int colour_type, int depth) {
  auto depth_in = [depth](std::initializer_list<int> allowed) {
    for (int d : allowed)
      if (d == depth) return true;
    return false;
  };
  switch (colour_type) {
    case 0:
      return depth_in({1, 2, 4, 8, 16}) ? 1 : 0;
    case 2:
      return depth_in({8, 16}) ? 3 : 0;
    case 3:
      return depth_in({1, 2, 4, 8}) ? 1 : 0;
    case 4:
      return depth_in({8, 16}) ? 2 : 0;
    case 6:
      return depth_in({8, 16}) ? 4 : 0;
    default:
      return 0;
  }
}

ImageInfo inspect_png(std::string_view bytes, const std::string& what) {
  ImageInfo info;
  info.media_type = "image/png";
  std::size_t at = png_signature.size();
  bool have_header = false;
  bool have_data = false;
  for (;;) {
    if (at + 12 > bytes.size()) bad_image(what, "is a truncated PNG: it ends without an IEND chunk");
    auto length = be32(bytes, at);
    auto type = bytes.substr(at + 4, 4);
    if (length > bytes.size() - at - 12)
      bad_image(what, "is a truncated PNG: chunk " + std::string(type) + " runs past the end");
    if (chunk_crc(bytes.substr(at + 4, 4 + length)) != be32(bytes, at + 8 + length))
      bad_image(what, "is a corrupt PNG: chunk " + std::string(type) + " fails its CRC check");
    auto body = at + 8;
    if (!have_header && type != "IHDR") bad_image(what, "is a corrupt PNG: it does not start with an IHDR chunk");
    if (type == "IHDR") {
      if (have_header || length != 13) bad_image(what, "is a corrupt PNG: bad IHDR chunk");
      info.width = static_cast<int>(be32(bytes, body) & 0x7FFFFFFF);
      info.height = static_cast<int>(be32(bytes, body + 4) & 0x7FFFFFFF);
      info.bits_per_component = byte_at(bytes, body + 8);
      info.components = png_components(byte_at(bytes, body + 9), info.bits_per_component);
      info.progressive = byte_at(bytes, body + 12) == 1;
      if (info.width == 0 || info.height == 0 || be32(bytes, body) > 0x7FFFFFFF || be32(bytes, body + 4) > 0x7FFFFFFF)
        bad_image(what, "is a corrupt PNG: bad size in its header");
      if (info.components == 0) bad_image(what, "is a corrupt PNG: invalid colour type and bit depth");
      have_header = true;
    } else if (type == "IDAT") {
      have_data = true;
    } else if (type == "IEND") {
      break;
    }
    at = body + length + 4;
  }
  if (!have_data) bad_image(what, "is a corrupt PNG: it has no image data (IDAT)");
  return info;
}

}  // namespace

ImageInfo inspect_image(std::string_view bytes, const std::string& what) {
  auto checked = [&](ImageInfo info) {
    check_image_size(what, static_cast<std::uint64_t>(info.width), static_cast<std::uint64_t>(info.height));
    return info;
  };
  if (bytes.size() >= 3 && byte_at(bytes, 0) == 0xFF && byte_at(bytes, 1) == 0xD8 && byte_at(bytes, 2) == 0xFF)
    return checked(inspect_jpeg(bytes, what));
  if (bytes.substr(0, png_signature.size()) == png_signature) return checked(inspect_png(bytes, what));
  if (bytes.empty()) bad_image(what, "is empty");
  bad_image(what, "is not a JPEG or PNG image");
}

}  // namespace wfa
