// Test images written with libjpeg, as cameras and print shops write them.
#include "tests/support/test_images.hpp"

#include <cstdio>
#include <cstdlib>

#include <jpeglib.h>

#include <opencv2/core.hpp>

#include "pipelines/image_codec.hpp"

namespace wfa::test {

std::vector<std::uint8_t> cmyk_jpeg(int w, int h, std::array<int, 4> ink, bool adobe_inverted) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr err{};
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = static_cast<JDIMENSION>(w), cinfo.image_height = static_cast<JDIMENSION>(h);
  cinfo.input_components = 4;
  cinfo.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&cinfo);
  cinfo.write_Adobe_marker = adobe_inverted ? TRUE : FALSE;
  jpeg_set_quality(&cinfo, 95, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<JSAMPLE> row(static_cast<std::size_t>(w) * 4);
  for (int x = 0; x < w; ++x)
    for (int c = 0; c < 4; ++c)
      row[static_cast<std::size_t>(x * 4 + c)] = static_cast<JSAMPLE>(adobe_inverted ? 255 - ink[c] : ink[c]);
  JSAMPROW line = row.data();
  while (cinfo.next_scanline < cinfo.image_height) jpeg_write_scanlines(&cinfo, &line, 1);
  jpeg_finish_compress(&cinfo);
  std::vector<std::uint8_t> out(buffer, buffer + size);
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  return out;
}

std::string phone_photo_jpeg() {
  cv::Mat image(20, 60, CV_8UC3, cv::Scalar(200, 200, 200));
  image(cv::Rect(0, 0, 30, 20)).setTo(cv::Scalar(0, 0, 255));
  std::vector<std::uint8_t> jpeg;
  encode_jpeg(
      image.cols, image.rows, [&](int y) { return image.ptr<std::uint8_t>(y); }, 92, jpeg);
  const std::vector<std::uint8_t> app1 = {'E',  'x',  'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1,
                                          0x01, 0x12, 0,   3,   0, 0, 0,   1,   0, 6,  0, 0, 0, 0, 0, 0};
  std::string turned = {'\xFF', '\xD8', '\xFF', '\xE1', 0, static_cast<char>(app1.size() + 2)};
  turned.append(app1.begin(), app1.end());
  turned.append(jpeg.begin() + 2, jpeg.end());
  return turned;
}

}  // namespace wfa::test
