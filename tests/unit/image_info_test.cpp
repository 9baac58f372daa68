// inspect_image on real encoder output (OpenCV, embedded as hex) and on hand-built marker streams.
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "pipelines/image_info.hpp"

namespace wfa {
namespace {

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

/// An 8x8 gray baseline JPEG written by OpenCV (libjpeg), quality 50.
const std::string gray_jpeg = from_hex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d"
    "283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffc0000b08000800080101"
    "1100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b51000020103030204030505"
    "04040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a"
    "25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a8384858687"
    "88898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2"
    "e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f002bffd9");

/// A 10x6 RGB PNG written by OpenCV.
const std::string rgb_png = from_hex(
    "89504e470d0a1a0a0000000d494844520000000a000000060802000000759298910000002349444154081d55c1b101000000"
    "8220fdffe89a0547483842c211128e9070848423240e88090607f4f97aab0000000049454e44ae426082");

std::string segment(unsigned char marker, std::string body) {
  auto length = body.size() + 2;
  return std::string{'\xFF', static_cast<char>(marker), static_cast<char>(length >> 8),
                     static_cast<char>(length & 0xFF)} +
         body;
}

/// synthetic_jpeg builds SOI, optional APP14 Adobe, a frame header, one scan with a few data bytes and EOI.
std::string synthetic_jpeg(unsigned char sof, int components, int width, int height, bool adobe) {
  std::string out = "\xFF\xD8";
  if (adobe) out += segment(0xEE, std::string("Adobe\x00\x64\x00\x00\x00\x00\x02", 12));
  std::string frame{8,
                    static_cast<char>(height >> 8),
                    static_cast<char>(height & 0xFF),
                    static_cast<char>(width >> 8),
                    static_cast<char>(width & 0xFF),
                    static_cast<char>(components)};
  for (int c = 0; c < components; ++c) frame += std::string{static_cast<char>(c + 1), 0x11, 0};
  out += segment(sof, frame);
  std::string scan{static_cast<char>(components)};
  for (int c = 0; c < components; ++c) scan += std::string{static_cast<char>(c + 1), 0};
  scan += std::string("\x00\x3F\x00", 3);
  out += segment(0xDA, scan);
  out += std::string("\x12\xFF\x00\x34\xFF\xD0\x56", 7);
  return out + "\xFF\xD9";
}

/// Expected is what inspect_image should report, compared field by field for readable failures.
struct Expected {
  const char* media_type;
  int width, height, components, bits;
};

void expect_info(const ImageInfo& info, const Expected& e) {
  EXPECT_EQ(info.media_type, e.media_type);
  EXPECT_EQ(info.width, e.width);
  EXPECT_EQ(info.height, e.height);
  EXPECT_EQ(info.components, e.components);
  EXPECT_EQ(info.bits_per_component, e.bits);
  EXPECT_FALSE(info.adobe_cmyk);
  EXPECT_FALSE(info.progressive);
}

TEST(ImageInfo, DescribesRealEncoderOutput) {
  expect_info(inspect_image(gray_jpeg, "photo"), {"image/jpeg", 8, 8, 1, 8});
  expect_info(inspect_image(rgb_png, "photo"), {"image/png", 10, 6, 3, 8});
}

TEST(ImageInfo, ReadsProgressiveAndAdobeCmykFrames) {
  auto progressive = inspect_image(synthetic_jpeg(0xC2, 3, 1600, 1000, false), "p");
  EXPECT_TRUE(progressive.progressive);
  EXPECT_EQ(progressive.width, 1600);
  EXPECT_EQ(progressive.height, 1000);
  EXPECT_EQ(progressive.components, 3);
  auto cmyk = inspect_image(synthetic_jpeg(0xC0, 4, 300, 200, true), "c");
  EXPECT_TRUE(cmyk.adobe_cmyk);
  EXPECT_EQ(cmyk.components, 4);
  EXPECT_FALSE(cmyk.progressive);
  EXPECT_FALSE(inspect_image(synthetic_jpeg(0xC0, 4, 300, 200, false), "c").adobe_cmyk);
  EXPECT_FALSE(inspect_image(synthetic_jpeg(0xC0, 3, 300, 200, true), "c").adobe_cmyk) << "APP14 on YCbCr is not CMYK";
}

void expect_refused(const std::string& bytes, const std::string& fragment) {
  try {
    inspect_image(bytes, "photo x.jpg");
    ADD_FAILURE() << "accepted; expected '" << fragment << "'";
  } catch (const InvalidInputError& e) {
    std::string message = e.what();
    EXPECT_EQ(message.rfind("photo x.jpg ", 0), 0u) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST(ImageInfo, RefusesNonImages) {
  expect_refused("", "is empty");
  expect_refused("GIF89a....", "is not a JPEG or PNG");
  expect_refused("%PDF-1.4\n", "is not a JPEG or PNG");
  expect_refused("\xFF\xD8", "is not a JPEG or PNG");
}

TEST(ImageInfo, RefusesTruncatedJpegs) {
  for (std::size_t keep :
       {gray_jpeg.size() - 2, gray_jpeg.size() - 1, gray_jpeg.size() / 2, std::size_t{40}, std::size_t{3}})
    expect_refused(gray_jpeg.substr(0, keep), "truncated JPEG");
}

TEST(ImageInfo, RefusesCorruptJpegHeaders) {
  expect_refused(synthetic_jpeg(0xC0, 2, 10, 10, false), "2 components");
  expect_refused(synthetic_jpeg(0xC0, 3, 0, 10, false), "zero size");
  auto no_frame =
      std::string("\xFF\xD8", 2) + segment(0xDA, std::string("\x01\x01\x00\x00\x3F\x00", 6)) + "\x12\xFF\xD9";
  expect_refused(no_frame, "before the frame header");
  auto garbage = std::string("\xFF\xD8\xFF\xE0\x00\x04\x00\x00\x12\x34", 10);
  expect_refused(garbage, "no marker");
  auto zero_length = std::string("\xFF\xD8\xFF\xE0\x00\x00", 6);
  expect_refused(zero_length, "segment length 0");
}

TEST(ImageInfo, RefusesTruncatedAndCorruptPngs) {
  expect_refused(rgb_png.substr(0, rgb_png.size() - 12), "truncated PNG");
  expect_refused(rgb_png.substr(0, 30), "truncated PNG");
  expect_refused(rgb_png.substr(0, 8), "truncated PNG");
  auto flipped = rgb_png;
  flipped[18] = static_cast<char>(flipped[18] ^ 0x01);
  expect_refused(flipped, "CRC");
}

}  // namespace
}  // namespace wfa
