#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <filesystem>
#include <cstdlib>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include <cstdio>
#include <jpeglib.h>
#include <zlib.h>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/process.hpp"
#include "pipelines/image_codec.hpp"
#include "pipelines/pdf_document.hpp"
#include "tests/support/test_images.hpp"

namespace wfa {
namespace {

std::vector<std::uint8_t> jpeg_of(const cv::Mat& bgr, int quality = 90) {
  std::vector<std::uint8_t> out;
  encode_jpeg(
      bgr.cols, bgr.rows, [&](int y) { return bgr.ptr<std::uint8_t>(y); }, quality, out);
  return out;
}

/// with_orientation inserts an APP1 Exif segment with orientation O (big-endian TIFF) after the SOI marker.
std::vector<std::uint8_t> with_orientation(std::vector<std::uint8_t> jpeg, int o) {
  std::vector<std::uint8_t> app1 = {'E', 'x', 'i', 'f',  0,    0, 'M', 'M', 0, 42, 0, 0, 0,
                                    8,   0,   1,   0x01, 0x12, 0, 3,   0,   0, 0,  1, 0, static_cast<std::uint8_t>(o),
                                    0,   0,   0,   0,    0,    0};
  std::vector<std::uint8_t> segment = {0xFF, 0xE1, 0, static_cast<std::uint8_t>(app1.size() + 2)};
  segment.insert(segment.end(), app1.begin(), app1.end());
  jpeg.insert(jpeg.begin() + 2, segment.begin(), segment.end());
  return jpeg;
}

std::string error_of(const std::vector<std::uint8_t>& bytes) {
  cv::Mat out, scratch;
  try {
    decode_image(bytes, "input.jpg", PixelLayout::bgr, out, scratch);
  } catch (const InvalidInputError& e) {
    return e.what();
  }
  return "";
}

cv::Mat gradient(int rows, int cols) {
  cv::Mat m(rows, cols, CV_8UC3);
  m.forEach<cv::Vec3b>([](cv::Vec3b& p, const int* at) { p = cv::Vec3b(at[1] % 256, at[0] % 256, 128); });
  return m;
}

TEST(ImageCodec, JpegRoundTripIsClose) {
  cv::Mat image = gradient(120, 160), out, scratch;
  auto info = decode_image(jpeg_of(image, 95), "a.jpg", PixelLayout::bgr, out, scratch);
  EXPECT_EQ(info.orientation, 1);
  EXPECT_LT(cv::norm(image, out, cv::NORM_L1) / image.total() / 3, 3.0);
}

TEST(ImageCodec, DecodesJpegAsOpaqueBgra) {
  cv::Mat out, scratch;
  auto info = decode_image(jpeg_of(gradient(40, 60)), "a.jpg", PixelLayout::bgra, out, scratch);
  EXPECT_EQ(out.type(), CV_8UC4);
  EXPECT_FALSE(info.has_alpha);
  EXPECT_EQ(out.at<cv::Vec4b>(10, 10)[3], 255);
}

/// with_xmp inserts an XMP APP1 segment right after the SOI marker, or after the first segment when AFTER_FIRST.
std::vector<std::uint8_t> with_xmp(std::vector<std::uint8_t> jpeg, bool after_first) {
  std::string xmp = std::string("http://ns.adobe.com/xap/1.0/") + '\0' + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>";
  std::vector<std::uint8_t> segment = {0xFF, 0xE1, 0, static_cast<std::uint8_t>(xmp.size() + 2)};
  segment.insert(segment.end(), xmp.begin(), xmp.end());
  std::size_t at = 2;
  if (after_first) at += 2 + (static_cast<std::size_t>(jpeg[4]) << 8 | jpeg[5]);
  jpeg.insert(jpeg.begin() + static_cast<long>(at), segment.begin(), segment.end());
  return jpeg;
}

TEST(ImageCodec, ReadsEveryExifOrientationWhateverSegmentsFollow) {
  cv::Mat image = gradient(40, 60), out, scratch;
  auto plain = jpeg_of(image, 95);
  for (int o = 1; o <= 8; ++o) {
    auto rotated = with_orientation(plain, o);
    EXPECT_EQ(decode_image(rotated, "a.jpg", PixelLayout::bgr, out, scratch).orientation, o);
    bool quarter_turn = o >= 5;
    EXPECT_EQ(out.size(), quarter_turn ? cv::Size(40, 60) : cv::Size(60, 40)) << o;
    EXPECT_EQ(decode_image(with_xmp(rotated, true), "b.jpg", PixelLayout::bgr, out, scratch).orientation, o)
        << "an XMP APP1 after the Exif one, as phones write it, keeps orientation " << o;
    EXPECT_EQ(decode_image(with_xmp(rotated, false), "c.jpg", PixelLayout::bgr, out, scratch).orientation, o)
        << "and so does one before it";
  }
  EXPECT_EQ(decode_image(with_orientation(plain, 9), "d.jpg", PixelLayout::bgr, out, scratch).orientation, 1)
      << "a value outside 1..8 is ignored";
  EXPECT_EQ(decode_image(with_orientation(plain, 0), "e.jpg", PixelLayout::bgr, out, scratch).orientation, 1);
}

TEST(ImageCodec, HonoursExifOrientation) {
  EXPECT_EQ(exif_orientation(std::vector<std::uint8_t>{'E', 'x', 'i', 'f', 0, 0}), 1);
  cv::Mat image = gradient(40, 60), out, scratch;
  auto info = decode_image(with_orientation(jpeg_of(image, 95), 6), "rotated.jpg", PixelLayout::bgr, out, scratch);
  EXPECT_EQ(info.orientation, 6);
  ASSERT_EQ(out.size(), cv::Size(40, 60));
  // Rotated 90° clockwise: the original's bottom-left corner is now top-left.
  auto expected = image.at<cv::Vec3b>(39, 0), got = out.at<cv::Vec3b>(0, 0);
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(got[c], expected[c], 8);
}

TEST(ImageCodec, PngKeepsAlpha) {
  cv::Mat image(20, 30, CV_8UC4, cv::Scalar(10, 20, 30, 255)), out, scratch;
  image.at<cv::Vec4b>(5, 5) = {1, 2, 3, 4};
  std::vector<std::uint8_t> png;
  encode_png(image, png);
  auto info = decode_image(png, "a.png", PixelLayout::bgra, out, scratch);
  EXPECT_TRUE(info.has_alpha);
  EXPECT_EQ(cv::norm(image, out, cv::NORM_INF), 0);
}

TEST(ImageCodec, RejectsNonImagesAndTruncatedFiles) {
  std::string text = "name,value\n1,2\n";
  EXPECT_NE(error_of({text.begin(), text.end()}).find("input.jpg: not a JPEG or PNG image"), std::string::npos);
  auto jpeg = jpeg_of(gradient(200, 200));
  jpeg.resize(jpeg.size() / 2);
  EXPECT_NE(error_of(jpeg).find("truncated or corrupt JPEG"), std::string::npos);
  cv::Mat image(20, 30, CV_8UC3, cv::Scalar::all(9));
  std::vector<std::uint8_t> png;
  encode_png(image, png);
  png.resize(png.size() - 20);
  EXPECT_NE(error_of(png).find("PNG"), std::string::npos);
  EXPECT_NE(error_of({}).find("not a JPEG or PNG"), std::string::npos);
}

TEST(ImageCodec, ImagesBeyondTheSizeLimitAreInvalidInputNamingTheLimit) {
  cv::Mat wide(1, 40000, CV_8UC3, cv::Scalar::all(90));
  std::vector<std::uint8_t> png;
  encode_png(wide, png);
  auto png_error = error_of(png);
  EXPECT_NE(png_error.find("too large: 40,000 x 1 pixels"), std::string::npos) << png_error;
  EXPECT_NE(png_error.find("32,767"), std::string::npos) << png_error;
  auto jpeg_error = error_of(jpeg_of(wide));
  EXPECT_NE(jpeg_error.find("too large: 40,000 x 1 pixels"), std::string::npos) << jpeg_error;
  cv::Mat edge(1, 32767, CV_8UC3, cv::Scalar::all(90));
  EXPECT_EQ(error_of(jpeg_of(edge)), "") << "32,767 pixels a side are allowed";
}

}  // namespace

namespace {

/// png_file builds a PNG of W x H from IHDR fields, optional extra chunks (type, data) and raw scanlines.
std::vector<std::uint8_t> png_file(int w, int h, int depth, int colour,
                                   const std::vector<std::pair<std::string, std::string>>& extra,
                                   const std::string& scanlines) {
  std::vector<std::uint8_t> out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  auto put32 = [&](std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
  };
  auto chunk = [&](const std::string& type, const std::string& data) {
    put32(static_cast<std::uint32_t>(data.size()));
    std::string body = type + data;
    out.insert(out.end(), body.begin(), body.end());
    put32(static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
  };
  std::string ihdr;
  for (std::uint32_t v : {static_cast<std::uint32_t>(w), static_cast<std::uint32_t>(h)})
    for (int shift = 24; shift >= 0; shift -= 8) ihdr += static_cast<char>(v >> shift);
  ihdr += static_cast<char>(depth), ihdr += static_cast<char>(colour), ihdr += std::string(3, '\0');
  chunk("IHDR", ihdr);
  for (const auto& [type, data] : extra) chunk(type, data);
  std::vector<Bytef> packed(compressBound(static_cast<uLong>(scanlines.size())));
  uLongf size = packed.size();
  compress(packed.data(), &size, reinterpret_cast<const Bytef*>(scanlines.data()),
           static_cast<uLong>(scanlines.size()));
  chunk("IDAT", std::string(reinterpret_cast<const char*>(packed.data()), size));
  chunk("IEND", "");
  return out;
}

}  // namespace

TEST(ImageCodec, PngsOfEveryKindDecodeToTheColoursTheyShow) {
  cv::Mat out, scratch;
  // 16-bit RGB without a colour tag: 0x8000 is half intensity (128), not linear light turned into 186.
  std::string row16 = std::string(1, '\0');
  for (int x = 0; x < 2; ++x) row16 += std::string("\x80\x00\x40\x00\xFF\xFF", 6);
  decode_image(png_file(2, 2, 16, 2, {}, row16 + row16), "deep.png", PixelLayout::bgr, out, scratch);
  auto px = out.at<cv::Vec3b>(1, 1);
  EXPECT_EQ(px[2], 128);
  EXPECT_EQ(px[1], 64);
  EXPECT_EQ(px[0], 255);
  // A palette with a transparent entry (tRNS), and plain gray.
  std::string rowp = std::string("\0\x00\x01", 3);
  decode_image(png_file(2, 2, 8, 3, {{"PLTE", std::string("\xFF\0\0\0\xFF\0", 6)}, {"tRNS", std::string("\x80", 1)}},
                        rowp + rowp),
               "palette.png", PixelLayout::bgra, out, scratch);
  auto first = out.at<cv::Vec4b>(0, 0), second = out.at<cv::Vec4b>(0, 1);
  EXPECT_EQ(first[2], 255);
  EXPECT_EQ(first[3], 128);
  EXPECT_EQ(second[1], 255);
  EXPECT_EQ(second[3], 255);
  std::string rowg = std::string("\0\x64\x64", 3);
  decode_image(png_file(2, 2, 8, 0, {}, rowg + rowg), "gray.png", PixelLayout::bgr, out, scratch);
  EXPECT_EQ(out.at<cv::Vec3b>(1, 1), cv::Vec3b(100, 100, 100));
}

TEST(ImageCodec, CmykJpegsAsPrintWorkflowsSendThemDecodeToTheirColours) {
  for (bool adobe : {true, false}) {
    cv::Mat out, scratch;
    // Magenta and yellow ink make red; a quarter of black darkens it.
    auto info =
        decode_image(test::cmyk_jpeg(16, 8, {0, 255, 255, 64}, adobe), "print.jpg", PixelLayout::bgr, out, scratch);
    ASSERT_EQ(out.cols, 16);
    ASSERT_EQ(out.rows, 8);
    auto px = out.at<cv::Vec3b>(4, 8);
    EXPECT_NEAR(px[2], 191, 6) << "red, adobe=" << adobe;
    EXPECT_NEAR(px[1], 0, 6) << "green, adobe=" << adobe;
    EXPECT_NEAR(px[0], 0, 6) << "blue, adobe=" << adobe;
    EXPECT_EQ(info.orientation, 1);
    cv::Mat alpha;
    decode_image(test::cmyk_jpeg(4, 4, {255, 0, 0, 0}, adobe), "cyan.jpg", PixelLayout::bgra, alpha, scratch);
    auto cyan = alpha.at<cv::Vec4b>(2, 2);
    EXPECT_NEAR(cyan[0], 255, 6) << adobe;
    EXPECT_NEAR(cyan[1], 255, 6) << adobe;
    EXPECT_NEAR(cyan[2], 0, 6) << adobe;
    EXPECT_EQ(cyan[3], 255);
  }
}

}  // namespace wfa

namespace wfa {
namespace {

std::string inflated(const std::string& data) {
  std::string out(1 << 16, '\0');
  uLongf size = out.size();
  EXPECT_EQ(uncompress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
                       static_cast<uLong>(data.size())),
            Z_OK);
  out.resize(size);
  return out;
}

std::string bytes_of(const std::vector<std::uint8_t>& v) { return std::string(v.begin(), v.end()); }

TEST(PdfImageOfPng, AlphaPaletteAndSixteenBitPngsAreDecodedWithTransparencyAsASoftMask) {
  // RGBA: a half-transparent red pixel and an opaque blue one.
  auto rgba = make_pdf_image(bytes_of(png_file(2, 1, 8, 6, {}, std::string("\0\xFF\0\0\x80\0\0\xFF\xFF", 9))), "a");
  EXPECT_NE(rgba->dictionary.find("/DeviceRGB"), std::string::npos) << rgba->dictionary;
  EXPECT_EQ(inflated(rgba->data), std::string("\xFF\0\0\0\0\xFF", 6));
  ASSERT_TRUE(rgba->mask);
  EXPECT_EQ(inflated(rgba->mask->data), "\x80\xFF");
  // A palette without transparency: no mask.
  auto palette =
      make_pdf_image(bytes_of(png_file(1, 1, 8, 3, {{"PLTE", std::string("\0\xFF\0", 3)}}, std::string(2, '\0'))), "p");
  EXPECT_EQ(inflated(palette->data), std::string("\0\xFF\0", 3));
  EXPECT_FALSE(palette->mask);
  // 16-bit grey 0x8000 is half intensity.
  auto deep = make_pdf_image(bytes_of(png_file(1, 1, 16, 0, {}, std::string("\0\x80\0", 3))), "d");
  auto grey = inflated(deep->data);
  ASSERT_EQ(grey.size(), 3u);
  EXPECT_NEAR(static_cast<unsigned char>(grey[0]), 128, 1);
  // An 8-bit RGB PNG still passes through untouched.
  auto plain = make_pdf_image(bytes_of(png_file(1, 1, 8, 2, {}, std::string("\0\x10\x20\x30", 4))), "r");
  EXPECT_NE(plain->dictionary.find("/Predictor 15"), std::string::npos);

  PdfFonts fonts;
  PageCanvas canvas(fonts, 100, 100);
  canvas.image(rgba, 10, 10, 20, 10);
  auto page = canvas.finish();
  std::vector<const RenderedPage*> list{&page};
  auto pdf = write_pdf(fonts, list, {"masked", ""});
  EXPECT_NE(pdf.find("/SMask"), std::string::npos);
  auto path = std::filesystem::temp_directory_path() / ("wfa-smask-" + std::to_string(::getpid()) + ".pdf");
  write_file_atomic(path, pdf);
  EXPECT_EQ(run_process({"qpdf", "--check", path.string()}).exit_code, 0);
  std::filesystem::remove(path);
}

TEST(PdfImageOfJpeg, CmykPhotosPassThroughAndShowTheirInkWhenRendered) {
  for (bool adobe : {true, false}) {
    auto cyan = make_pdf_image(bytes_of(test::cmyk_jpeg(8, 8, {255, 0, 0, 0}, adobe)), "print.jpg");
    EXPECT_NE(cyan->dictionary.find("/DeviceCMYK"), std::string::npos);
    EXPECT_EQ(cyan->dictionary.find("/Decode") != std::string::npos, adobe) << "Adobe stores CMYK inverted";
    PdfFonts fonts;
    PageCanvas canvas(fonts, 20, 20);
    canvas.image(cyan, 0, 0, 20, 20);
    auto page = canvas.finish();
    std::vector<const RenderedPage*> list{&page};
    auto base = std::filesystem::temp_directory_path() / ("wfa-cmyk-" + std::to_string(::getpid()));
    write_file_atomic(base.string() + ".pdf", write_pdf(fonts, list, {"cmyk", ""}));
    ASSERT_EQ(run_process({"pdftoppm", "-r", "72", "-singlefile", base.string() + ".pdf", base.string()}).exit_code, 0);
    auto ppm = read_file(base.string() + ".ppm", "render");
    std::filesystem::remove(base.string() + ".pdf");
    std::filesystem::remove(base.string() + ".ppm");
    ASSERT_GT(ppm.size(), 3u);
    auto r = static_cast<unsigned char>(ppm[ppm.size() - 3]), g = static_cast<unsigned char>(ppm[ppm.size() - 2]),
         b = static_cast<unsigned char>(ppm[ppm.size() - 1]);
    EXPECT_LT(r, 80) << "cyan ink absorbs red (adobe " << adobe << ")";
    EXPECT_GT(g, 150);
    EXPECT_GT(b, 150);
  }
}

}  // namespace
}  // namespace wfa
