#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "pipelines/image_codec.hpp"
#include "pipelines/mockup_compositor.hpp"

namespace wfa {
namespace {

const Quad quad{{{100, 50}, {300, 62}, {290, 200}, {110, 190}}};

Effects neutral(int feather) {
  Effects e;
  e.feather = feather;
  return e;
}

Effects w2_effects() {
  Effects e;
  e.brightness = 10, e.contrast = 1.1, e.saturation = 0.9, e.temperature = 0.04, e.blur = 1.2, e.feather = 8;
  return e;
}

cv::Mat noise(int rows, int cols, int type, int seed) {
  cv::Mat m(rows, cols, type);
  cv::RNG rng(seed);
  rng.fill(m, cv::RNG::UNIFORM, 0, 256);
  return m;
}

/// quadrants is an opaque creative: red top-left, green top-right, blue bottom-right, white bottom-left.
cv::Mat quadrants(int cols, int rows) {
  cv::Mat c(rows, cols, CV_8UC4, cv::Scalar(255, 255, 255, 255));
  c(cv::Rect(0, 0, cols / 2, rows / 2)).setTo(cv::Scalar(0, 0, 255, 255));
  c(cv::Rect(cols / 2, 0, cols - cols / 2, rows / 2)).setTo(cv::Scalar(0, 255, 0, 255));
  c(cv::Rect(cols / 2, rows / 2, cols - cols / 2, rows - rows / 2)).setTo(cv::Scalar(255, 0, 0, 255));
  return c;
}

TEST(MockupCompositor, CreativeCornersLandOnFrameCornersWithinOnePixel) {
  cv::Mat photo(300, 400, CV_8UC3, cv::Scalar::all(0));
  Compositor compositor;
  cv::Mat image = to_mat(compositor.compose(photo, quadrants(400, 250), quad, neutral(0)));
  // The covered pixel furthest towards each corner's direction is that corner of the rendered quad.
  const int dx[4] = {-1, 1, 1, -1}, dy[4] = {-1, -1, 1, 1};
  const cv::Vec3b expected[4] = {{0, 0, 255}, {0, 255, 0}, {255, 0, 0}, {255, 255, 255}};
  for (int k = 0; k < 4; ++k) {
    double best = -1e9;
    cv::Point at;
    for (int y = 0; y < image.rows; ++y)
      for (int x = 0; x < image.cols; ++x) {
        auto px = image.at<cv::Vec3b>(y, x);
        if (std::max({px[0], px[1], px[2]}) < 40) continue;  // less than ~15 % covered
        double score = dx[k] * x + dy[k] * y;
        if (score > best) best = score, at = {x, y};
      }
    double distance = std::hypot(at.x - quad[k].x, at.y - quad[k].y);
    EXPECT_LE(distance, 1.0) << "corner " << k << " rendered at " << at;
    auto px = image.at<cv::Vec3b>(at);
    int top = std::max({px[0], px[1], px[2]});
    for (int c = 0; c < 3; ++c)
      EXPECT_EQ(px[c] * 2 > top, expected[k][c] > 127) << "corner " << k << " has the wrong colour: " << px;
  }
}

TEST(MockupCompositor, PixelsOutsideTheFeatheredQuadAreUnchanged) {
  cv::Mat photo = noise(300, 400, CV_8UC3, 1);
  cv::Mat creative = noise(120, 200, CV_8UC4, 2);
  creative.forEach<cv::Vec4b>([](cv::Vec4b& p, const int*) { p[3] = 255; });
  Compositor compositor;
  auto effects = w2_effects();
  auto composite = compositor.compose(photo, creative, quad, effects);
  cv::Mat image = to_mat(composite);
  std::vector<cv::Point2f> contour;
  for (const auto& p : quad) contour.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
  const double reach = effects.feather + 3 * effects.blur + 1;
  int checked = 0, changed_inside = 0;
  for (int y = 0; y < image.rows; ++y)
    for (int x = 0; x < image.cols; ++x) {
      double distance = cv::pointPolygonTest(contour, cv::Point2f(float(x), float(y)), true);
      if (distance < -reach) {
        ASSERT_EQ(image.at<cv::Vec3b>(y, x), photo.at<cv::Vec3b>(y, x)) << "at " << x << "," << y;
        ++checked;
      } else if (distance > reach && image.at<cv::Vec3b>(y, x) != photo.at<cv::Vec3b>(y, x)) {
        ++changed_inside;
      }
    }
  EXPECT_GT(checked, 80000);
  EXPECT_GT(changed_inside, 10000);
  EXPECT_TRUE(cv::Rect(0, 0, 400, 300).contains(composite.box.tl()));
}

TEST(MockupCompositor, FeatherRampIsMonotonic) {
  cv::Mat photo(300, 400, CV_8UC3, cv::Scalar::all(0));
  cv::Mat creative(100, 200, CV_8UC4, cv::Scalar::all(255));
  Compositor compositor;
  cv::Mat image = to_mat(compositor.compose(photo, creative, quad, neutral(8)));
  // Down through the middle of the top edge (y = 56 at x = 200): dark outside, rising, bright inside.
  int previous = -1;
  for (int y = 36; y <= 80; ++y) {
    int v = image.at<cv::Vec3b>(y, 200)[1];
    EXPECT_GE(v, previous) << "ramp falls at y=" << y;
    previous = v;
  }
  EXPECT_EQ(image.at<cv::Vec3b>(36, 200)[1], 0);
  EXPECT_EQ(image.at<cv::Vec3b>(80, 200)[1], 255);
  EXPECT_GT(image.at<cv::Vec3b>(56, 200)[1], 20);
  EXPECT_LT(image.at<cv::Vec3b>(56, 200)[1], 235);
}

TEST(MockupCompositor, FullyTransparentCreativeLeavesThePhotoUnchanged) {
  cv::Mat photo = noise(300, 400, CV_8UC3, 3);
  cv::Mat transparent = noise(100, 200, CV_8UC4, 4);
  transparent.forEach<cv::Vec4b>([](cv::Vec4b& p, const int*) { p[3] = 0; });
  std::vector<std::uint8_t> png;
  encode_png(transparent, png);
  Compositor compositor;
  cv::Mat creative;
  compositor.decode_creative(png, "clear.png", creative);
  cv::Mat image = to_mat(compositor.compose(photo, creative, quad, w2_effects()));
  EXPECT_EQ(cv::norm(image, photo, cv::NORM_INF), 0);
}

TEST(MockupCompositor, HalfTransparentCreativeBlendsHalfway) {
  cv::Mat photo(300, 400, CV_8UC3, cv::Scalar::all(0));
  cv::Mat creative(100, 200, CV_8UC4, cv::Scalar(200, 200, 200, 128));
  std::vector<std::uint8_t> png;
  encode_png(creative, png);
  Compositor compositor;
  cv::Mat decoded;
  compositor.decode_creative(png, "half.png", decoded);
  cv::Mat image = to_mat(compositor.compose(photo, decoded, quad, neutral(8)));
  auto centre = image.at<cv::Vec3b>(125, 200);
  EXPECT_NEAR(centre[0], 100, 2);
}

TEST(MockupCompositor, EffectsChangeColourAsDocumented) {
  cv::Mat photo(300, 400, CV_8UC3, cv::Scalar::all(0));
  cv::Mat creative(100, 200, CV_8UC4, cv::Scalar(100, 150, 200, 255));
  Effects e = neutral(0);
  e.contrast = 1.1, e.brightness = 10, e.temperature = 0.04;
  Compositor compositor;
  auto px = to_mat(compositor.compose(photo, creative, quad, e)).at<cv::Vec3b>(125, 200);
  EXPECT_EQ(px, cv::Vec3b(115, 175, 239));  // b: 120*0.96, g: 175, r: 230*1.04
  e = neutral(0);
  e.saturation = 0;
  px = to_mat(compositor.compose(photo, creative, quad, e)).at<cv::Vec3b>(125, 200);
  EXPECT_EQ(px, cv::Vec3b(200, 200, 200));
}

TEST(MockupCompositor, EncodesTheCompositeAsJpeg) {
  cv::Mat photo = noise(300, 400, CV_8UC3, 5);
  cv::Mat creative(100, 200, CV_8UC4, cv::Scalar::all(255));
  Compositor compositor;
  auto composite = compositor.compose(photo, creative, quad, neutral(8));
  std::vector<std::uint8_t> jpeg;
  compositor.encode(composite, 90, jpeg);
  cv::Mat decoded, scratch;
  decode_image(jpeg, "out.jpg", PixelLayout::bgr, decoded, scratch);
  ASSERT_EQ(decoded.size(), photo.size());
  EXPECT_GT(decoded.at<cv::Vec3b>(125, 200)[0], 240);
  EXPECT_GT(compositor.times().encode, 0);
}

}  // namespace
}  // namespace wfa
