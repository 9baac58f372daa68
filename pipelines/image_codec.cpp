// JPEG and PNG decoding into reusable buffers, JPEG/PNG encoding; libjpeg errors are caught with setjmp.
#include "pipelines/image_codec.hpp"

#include <libexif/exif-data.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>
#include <memory>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <zlib.h>

#include <opencv2/core.hpp>

#include "core/error.hpp"
#include "core/image_limits.hpp"

namespace wfa {

namespace {

/// JpegError carries libjpeg's message out of its callbacks through longjmp (no C++ unwinding through C).
struct JpegError {
  jpeg_error_mgr mgr{};
  std::jmp_buf jump{};
  char message[JMSG_LENGTH_MAX] = {};
  bool corrupt = false;    ///< a warning that means lost data (truncation, bad Huffman code)
  bool too_large = false;  ///< the header names a size beyond within_limits
  unsigned long width = 0, height = 0;
};

bool within_limits(unsigned long width, unsigned long height) {
  return width <= max_image_side && height <= max_image_side &&
         static_cast<std::uint64_t>(width) * height <= max_image_pixels();
}

void jpeg_fail(j_common_ptr cinfo) {
  auto* error = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, error->message);
  std::longjmp(error->jump, 1);
}

void jpeg_message(j_common_ptr cinfo, int level) {
  auto* error = reinterpret_cast<JpegError*>(cinfo->err);
  if (level >= 0) return;
  int code = cinfo->err->msg_code;
  if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER || code == JWRN_HUFF_BAD_CODE || code == JWRN_MUST_RESYNC) {
    if (!error->corrupt) (*cinfo->err->format_message)(cinfo, error->message);
    error->corrupt = true;
  }
}

JpegError* install_errors(j_common_ptr cinfo, JpegError& error) {
  cinfo->err = jpeg_std_error(&error.mgr);
  error.mgr.error_exit = jpeg_fail;
  error.mgr.emit_message = jpeg_message;
  return &error;
}

/// decode_jpeg_pixels fills OUT (size and layout from the file); returns false with error.message set on failure.
bool decode_jpeg_pixels(std::span<const std::uint8_t> bytes, PixelLayout layout, cv::Mat& out, int& orientation,
                        JpegError& error) {
  jpeg_decompress_struct cinfo{};
  install_errors(reinterpret_cast<j_common_ptr>(&cinfo), error);
  if (setjmp(error.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
  jpeg_read_header(&cinfo, TRUE);
  if (!within_limits(cinfo.image_width, cinfo.image_height)) {
    error.width = cinfo.image_width, error.height = cinfo.image_height;
    error.too_large = true;
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  // The first Exif APP1 decides: an XMP APP1 after it (as phones and Lightroom write) carries no orientation.
  for (auto* marker = cinfo.marker_list; marker; marker = marker->next)
    if (marker->marker == JPEG_APP0 + 1 && marker->data_length >= 6 && std::memcmp(marker->data, "Exif\0\0", 6) == 0) {
      orientation = exif_orientation({marker->data, marker->data_length});
      break;
    }
  // Print workflows send CMYK (or YCCK) JPEGs: libjpeg gives CMYK, converted here to RGB one row at a time.
  // Photoshop writes them inverted (its Adobe marker), so ink 100 % is stored as 0.
  bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  cinfo.out_color_space = cmyk ? JCS_CMYK : layout == PixelLayout::bgr ? JCS_EXT_BGR : JCS_EXT_BGRA;
  jpeg_start_decompress(&cinfo);
  out.create(static_cast<int>(cinfo.output_height), static_cast<int>(cinfo.output_width),
             layout == PixelLayout::bgr ? CV_8UC3 : CV_8UC4);
  if (cmyk) {
    bool inverted = cinfo.saw_Adobe_marker;
    int channels = layout == PixelLayout::bgr ? 3 : 4;
    std::vector<JSAMPLE> line(static_cast<std::size_t>(cinfo.output_width) * 4);
    JSAMPROW row = line.data();
    while (cinfo.output_scanline < cinfo.output_height) {
      auto* target = out.ptr<std::uint8_t>(static_cast<int>(cinfo.output_scanline));
      jpeg_read_scanlines(&cinfo, &row, 1);
      for (JDIMENSION x = 0; x < cinfo.output_width; ++x) {
        const JSAMPLE* p = line.data() + x * 4;
        int c = inverted ? p[0] : 255 - p[0], m = inverted ? p[1] : 255 - p[1], y = inverted ? p[2] : 255 - p[2];
        int k = inverted ? p[3] : 255 - p[3];  // each is now "how much light": 255 = no ink
        auto* q = target + x * static_cast<JDIMENSION>(channels);
        q[0] = static_cast<std::uint8_t>((y * k + 127) / 255);
        q[1] = static_cast<std::uint8_t>((m * k + 127) / 255);
        q[2] = static_cast<std::uint8_t>((c * k + 127) / 255);
        if (channels == 4) q[3] = 255;
      }
    }
  } else {
    JSAMPROW rows[8];
    while (cinfo.output_scanline < cinfo.output_height) {
      int batch = 0;
      for (; batch < 8 && cinfo.output_scanline + batch < cinfo.output_height; ++batch)
        rows[batch] = out.ptr<JSAMPLE>(static_cast<int>(cinfo.output_scanline) + batch);
      jpeg_read_scanlines(&cinfo, rows, static_cast<JDIMENSION>(batch));
    }
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return !error.corrupt;
}

/// orient applies EXIF orientation O to SRC, writing DST (the two must differ).
void orient(const cv::Mat& src, int o, cv::Mat& dst) {
  switch (o) {
    case 2:
      cv::flip(src, dst, 1);
      break;
    case 3:
      cv::flip(src, dst, -1);
      break;
    case 4:
      cv::flip(src, dst, 0);
      break;
    case 5:
      cv::transpose(src, dst);
      break;
    case 6:
      cv::transpose(src, dst);
      cv::flip(dst, dst, 1);
      break;
    case 7:
      cv::transpose(src, dst);
      cv::flip(dst, dst, -1);
      break;
    case 8:
      cv::transpose(src, dst);
      cv::flip(dst, dst, 0);
      break;
    default:
      src.copyTo(dst);
  }
}

bool any_transparent(const cv::Mat& bgra) {
  for (int y = 0; y < bgra.rows; ++y) {
    const auto* p = bgra.ptr<std::uint8_t>(y);
    for (int x = 0; x < bgra.cols; ++x)
      if (p[4 * x + 3] != 255) return true;
  }
  return false;
}

std::uint32_t be32_at(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) << 24 | static_cast<std::uint32_t>(b[at + 1]) << 16 |
         static_cast<std::uint32_t>(b[at + 2]) << 8 | b[at + 3];
}

/// srgb_tagged returns a copy of a 16-bit PNG without gAMA, sRGB or iCCP with an sRGB chunk after IHDR, or nothing.
/// libpng's simplified reader takes such a file as linear light (0x8000 would become 186, not 128); editors and
/// browsers take an untagged image as sRGB, and so does wfa.
std::vector<std::uint8_t> srgb_tagged(std::span<const std::uint8_t> bytes) {
  constexpr std::size_t ihdr_end = 8 + 12 + 13;  // signature, IHDR's length, type and CRC, its 13 data bytes
  if (bytes.size() < ihdr_end || bytes[8 + 8 + 8] != 16) return {};
  for (std::size_t at = ihdr_end; at + 8 <= bytes.size();) {
    auto length = be32_at(bytes, at);
    std::string_view type(reinterpret_cast<const char*>(bytes.data() + at + 4), 4);
    if (type == "gAMA" || type == "sRGB" || type == "iCCP") return {};
    if (type == "IDAT" || length > bytes.size()) break;
    at += 12 + static_cast<std::size_t>(length);
  }
  const std::uint8_t chunk[] = {0, 0, 0, 1, 's', 'R', 'G', 'B', 0};  // rendering intent 0 (perceptual)
  auto crc = crc32(0, chunk + 4, 5);
  std::vector<std::uint8_t> out(bytes.begin(), bytes.begin() + ihdr_end);
  out.insert(out.end(), std::begin(chunk), std::end(chunk));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(crc >> shift));
  out.insert(out.end(), bytes.begin() + ihdr_end, bytes.end());
  return out;
}

DecodeInfo decode_png(std::span<const std::uint8_t> bytes, const std::string& name, PixelLayout layout, cv::Mat& out) {
  auto tagged = srgb_tagged(bytes);
  if (!tagged.empty()) bytes = tagged;
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
    throw InvalidInputError(name + ": not a readable PNG (" + image.message + ")",
                            "re-export the image as PNG or JPEG");
  if (!within_limits(image.width, image.height)) {
    auto width = image.width, height = image.height;
    png_image_free(&image);
    check_image_size(name, width, height);
  }
  bool file_alpha = (image.format & PNG_FORMAT_FLAG_ALPHA) != 0;
  image.format = layout == PixelLayout::bgr ? PNG_FORMAT_BGR : PNG_FORMAT_BGRA;
  out.create(static_cast<int>(image.height), static_cast<int>(image.width),
             layout == PixelLayout::bgr ? CV_8UC3 : CV_8UC4);
  png_color background{0, 0, 0};
  if (!png_image_finish_read(&image, &background, out.data, static_cast<png_int_32>(out.step[0]), nullptr)) {
    std::string why = image.message;
    png_image_free(&image);
    throw InvalidInputError(name + ": truncated or corrupt PNG (" + why + ")", "re-export the image");
  }
  DecodeInfo info;
  info.has_alpha = layout == PixelLayout::bgra && file_alpha && any_transparent(out);
  return info;
}

}  // namespace

int exif_orientation(std::span<const std::uint8_t> app1) {
  if (app1.size() < 6 || std::memcmp(app1.data(), "Exif\0\0", 6) != 0) return 1;
  std::unique_ptr<ExifData, decltype(&exif_data_unref)> data(
      exif_data_new_from_data(app1.data(), static_cast<unsigned int>(app1.size())), &exif_data_unref);
  if (!data) return 1;
  ExifEntry* entry = exif_content_get_entry(data->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
  if (entry == nullptr || entry->format != EXIF_FORMAT_SHORT || entry->components < 1 || entry->size < 2) return 1;
  int value = exif_get_short(entry->data, exif_data_get_byte_order(data.get()));
  return value >= 1 && value <= 8 ? value : 1;
}

DecodeInfo decode_image(std::span<const std::uint8_t> bytes, const std::string& name, PixelLayout layout, cv::Mat& out,
                        cv::Mat& scratch) {
  static const std::uint8_t png_magic[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), png_magic, 8) == 0) return decode_png(bytes, name, layout, out);
  if (bytes.size() < 3 || bytes[0] != 0xFF || bytes[1] != 0xD8 || bytes[2] != 0xFF)
    throw InvalidInputError(name + ": not a JPEG or PNG image", "give a .jpg or .png file");
  DecodeInfo info;
  JpegError error;
  cv::Mat& target = scratch;
  bool decoded = decode_jpeg_pixels(bytes, layout, target, info.orientation, error);
  if (!decoded && error.too_large) check_image_size(name, error.width, error.height);
  if (!decoded)
    throw InvalidInputError(name + ": truncated or corrupt JPEG (" + error.message + ")",
                            "re-export or re-upload the image");
  if (info.orientation == 1)
    cv::swap(out, target);
  else
    orient(target, info.orientation, out);
  return info;
}

namespace {

/// VectorDestination is a libjpeg destination writing into a reused std::vector.
struct VectorDestination {
  jpeg_destination_mgr mgr{};
  std::vector<std::uint8_t>* out = nullptr;
};

void dest_init(j_compress_ptr cinfo) {
  auto* d = reinterpret_cast<VectorDestination*>(cinfo->dest);
  d->out->resize(std::max<std::size_t>(d->out->capacity(), 1 << 20));
  d->mgr.next_output_byte = d->out->data();
  d->mgr.free_in_buffer = d->out->size();
}

boolean dest_grow(j_compress_ptr cinfo) {
  auto* d = reinterpret_cast<VectorDestination*>(cinfo->dest);
  std::size_t used = d->out->size();
  d->out->resize(used * 2);
  d->mgr.next_output_byte = d->out->data() + used;
  d->mgr.free_in_buffer = d->out->size() - used;
  return TRUE;
}

void dest_term(j_compress_ptr cinfo) {
  auto* d = reinterpret_cast<VectorDestination*>(cinfo->dest);
  d->out->resize(d->out->size() - d->mgr.free_in_buffer);
}

bool compress(int width, int height, const RowSource& rows, int quality, std::vector<std::uint8_t>& out,
              JpegError& error) {
  jpeg_compress_struct cinfo{};
  install_errors(reinterpret_cast<j_common_ptr>(&cinfo), error);
  VectorDestination dest;
  dest.out = &out;
  dest.mgr.init_destination = dest_init;
  dest.mgr.empty_output_buffer = dest_grow;
  dest.mgr.term_destination = dest_term;
  if (setjmp(error.jump)) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  cinfo.dest = &dest.mgr;
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_EXT_BGR;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    auto* row = const_cast<JSAMPLE*>(rows(static_cast<int>(cinfo.next_scanline)));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

}  // namespace

void encode_jpeg(int width, int height, const RowSource& rows, int quality, std::vector<std::uint8_t>& out) {
  if (quality < 1 || quality > 100)
    throw InvalidInputError("JPEG quality " + std::to_string(quality) + " is out of range", "give 1..100");
  out.clear();
  JpegError error;
  if (!compress(width, height, rows, quality, out, error))
    throw Error(ErrorCategory::unexpected, std::string("JPEG encoding failed: ") + error.message);
}

void encode_png(const cv::Mat& image, std::vector<std::uint8_t>& out) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.cols);
  png.height = static_cast<png_uint_32>(image.rows);
  png.format = image.channels() == 4 ? PNG_FORMAT_BGRA : PNG_FORMAT_BGR;
  png_alloc_size_t size = 0;
  auto stride = static_cast<png_int_32>(image.step[0]);
  if (!png_image_write_to_memory(&png, nullptr, &size, 0, image.data, stride, nullptr))
    throw Error(ErrorCategory::unexpected, std::string("PNG encoding failed: ") + png.message);
  out.resize(size);
  if (!png_image_write_to_memory(&png, out.data(), &size, 0, image.data, stride, nullptr))
    throw Error(ErrorCategory::unexpected, std::string("PNG encoding failed: ") + png.message);
  out.resize(size);
}

}  // namespace wfa
