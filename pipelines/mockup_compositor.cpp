// Perspective warp, colour effects, depth blur, feathered mask and alpha composite on the frame's bounding box.
#include "pipelines/mockup_compositor.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include "pipelines/image_codec.hpp"

namespace wfa {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::uint8_t clamp_byte(double v) { return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

std::array<std::uint8_t, 256> lut(double gain, double offset) {
  std::array<std::uint8_t, 256> table{};
  for (int v = 0; v < 256; ++v) table[v] = clamp_byte(v * gain + offset);
  return table;
}

void premultiply(cv::Mat& bgra) {
  for (int y = 0; y < bgra.rows; ++y) {
    auto* p = bgra.ptr<std::uint8_t>(y);
    for (int x = 0; x < bgra.cols; ++x, p += 4) {
      unsigned a = p[3];
      if (a == 255) continue;
      for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>((p[c] * a + 127) / 255);
    }
  }
}

}  // namespace

cv::Rect frame_box(const Quad& quad, const Effects& effects, int width, int height) {
  double x0 = quad[0].x, x1 = quad[0].x, y0 = quad[0].y, y1 = quad[0].y;
  for (const auto& p : quad) {
    x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
  }
  int margin = effects.feather + static_cast<int>(std::ceil(3 * effects.blur)) + 2;
  int left = std::max(0, static_cast<int>(std::floor(x0)) - margin);
  int top = std::max(0, static_cast<int>(std::floor(y0)) - margin);
  int right = std::min(width, static_cast<int>(std::ceil(x1)) + margin + 1);
  int bottom = std::min(height, static_cast<int>(std::ceil(y1)) + margin + 1);
  return {left, top, std::max(0, right - left), std::max(0, bottom - top)};
}

void Compositor::decode_photo(std::span<const std::uint8_t> bytes, const std::string& name, cv::Mat& out) {
  auto start = Clock::now();
  decode_image(bytes, name, PixelLayout::bgr, out, photo_scratch_);
  times_.decode_photo += ms_since(start);
}

void Compositor::decode_creative(std::span<const std::uint8_t> bytes, const std::string& name, cv::Mat& out) {
  auto start = Clock::now();
  auto info = decode_image(bytes, name, PixelLayout::bgra, out, creative_scratch_);
  if (info.has_alpha) premultiply(out);
  times_.decode_creative += ms_since(start);
}

void Compositor::build_mask(const Quad& local, const cv::Size& size, int feather) {
  if (local == mask_quad_ && size == mask_size_ && feather == mask_feather_) return;
  mask_.create(size, CV_8UC1);
  mask_.setTo(0);
  constexpr int shift = 4;
  std::array<cv::Point, 4> corners;
  for (std::size_t i = 0; i < 4; ++i)
    corners[i] = {static_cast<int>(std::lround(local[i].x * (1 << shift))),
                  static_cast<int>(std::lround(local[i].y * (1 << shift)))};
  cv::fillConvexPoly(mask_, corners.data(), 4, cv::Scalar(255), cv::LINE_AA, shift);
  if (feather > 0) {
    int erode = feather / 4;
    if (erode > 0) cv::erode(mask_, mask_, cv::getStructuringElement(cv::MORPH_RECT, {2 * erode + 1, 2 * erode + 1}));
    cv::GaussianBlur(mask_, mask_, {2 * feather + 1, 2 * feather + 1}, 0);
  }
  mask_quad_ = local, mask_size_ = size, mask_feather_ = feather;
}

void Compositor::apply_effects(const Effects& e) {
  bool colour = e.brightness != 0 || e.contrast != 1 || e.temperature != 0;
  bool saturation = e.saturation != 1;
  if (!colour && !saturation) return;
  auto gain = lut(e.contrast, e.brightness), red = lut(1 + e.temperature, 0), blue = lut(1 - e.temperature, 0);
  const int s = static_cast<int>(std::lround(e.saturation * 256));  // fixed point 8.8
  auto toward_value = [s](int v, unsigned c) {
    return static_cast<unsigned>(std::clamp(v - ((s * (v - static_cast<int>(c)) + 128) >> 8), 0, 255));
  };
  for (int y = 0; y < warped_.rows; ++y) {
    auto* p = warped_.ptr<std::uint8_t>(y);
    for (int x = 0; x < warped_.cols; ++x, p += 4) {
      unsigned a = p[3];
      if (a == 0) continue;
      unsigned b = p[0], g = p[1], r = p[2];
      if (a < 255) {
        b = std::min(255u, (b * 255 + a / 2) / a), g = std::min(255u, (g * 255 + a / 2) / a),
        r = std::min(255u, (r * 255 + a / 2) / a);
      }
      b = gain[b], g = gain[g], r = gain[r];
      if (saturation) {
        // HSV saturation scaled at constant hue and value: each channel moves towards V = max(b, g, r).
        int v = static_cast<int>(std::max({b, g, r}));
        b = toward_value(v, b), g = toward_value(v, g), r = toward_value(v, r);
      }
      r = red[r], b = blue[b];
      if (a < 255) b = (b * a + 127) / 255, g = (g * a + 127) / 255, r = (r * a + 127) / 255;
      p[0] = static_cast<std::uint8_t>(b), p[1] = static_cast<std::uint8_t>(g), p[2] = static_cast<std::uint8_t>(r);
    }
  }
}

Composite Compositor::compose(const cv::Mat& photo, const cv::Mat& creative, const Quad& quad, const Effects& effects) {
  CV_Assert(photo.type() == CV_8UC3 && creative.type() == CV_8UC4);
  Composite out;
  out.photo = &photo;
  out.box = frame_box(quad, effects, photo.cols, photo.rows);
  const auto size = out.box.size();
  Quad local = quad;
  for (auto& p : local) p.x -= out.box.x, p.y -= out.box.y;

  auto start = Clock::now();
  // Pixel centres sit on integer coordinates: the creative's outer edges (-0.5 .. size - 0.5) go onto the corners.
  const float w = static_cast<float>(creative.cols) - 0.5f, h = static_cast<float>(creative.rows) - 0.5f;
  const cv::Point2f from[4] = {{-0.5f, -0.5f}, {w, -0.5f}, {w, h}, {-0.5f, h}};
  cv::Point2f to[4];
  for (std::size_t i = 0; i < 4; ++i) to[i] = {static_cast<float>(local[i].x), static_cast<float>(local[i].y)};
  cv::warpPerspective(creative, warped_, cv::getPerspectiveTransform(from, to), size, cv::INTER_LINEAR,
                      cv::BORDER_CONSTANT, cv::Scalar::all(0));
  times_.warp += ms_since(start);

  start = Clock::now();
  apply_effects(effects);
  const cv::Mat* colour = &warped_;
  if (effects.blur > 0) {
    cv::GaussianBlur(warped_, blurred_, {0, 0}, effects.blur);
    colour = &blurred_;
  }
  times_.effects += ms_since(start);

  start = Clock::now();
  build_mask(local, size, effects.feather);
  times_.mask += ms_since(start);

  start = Clock::now();
  pixels_.create(size, CV_8UC3);
  for (int y = 0; y < size.height; ++y) {
    const auto* p = photo.ptr<std::uint8_t>(out.box.y + y) + 3 * out.box.x;
    const auto* c = colour->ptr<std::uint8_t>(y);
    const auto* m = mask_.ptr<std::uint8_t>(y);
    auto* o = pixels_.ptr<std::uint8_t>(y);
    for (int x = 0; x < size.width; ++x, p += 3, c += 4, o += 3) {
      unsigned coverage = unsigned(m[x]) * c[3];
      if (coverage == 0) {
        o[0] = p[0], o[1] = p[1], o[2] = p[2];
        continue;
      }
      // c is premultiplied by its alpha: photo * (1 - m*a) + c * m, in units of 255*255.
      unsigned keep = 65025 - coverage, gain = unsigned(m[x]) * 255;
      for (int k = 0; k < 3; ++k) o[k] = static_cast<std::uint8_t>((p[k] * keep + c[k] * gain + 32512) / 65025);
    }
  }
  out.pixels = pixels_;
  times_.composite += ms_since(start);
  return out;
}

void Compositor::encode(const Composite& c, int quality, std::vector<std::uint8_t>& out) {
  auto start = Clock::now();
  const cv::Mat& photo = *c.photo;
  const std::size_t row_bytes = 3 * static_cast<std::size_t>(photo.cols);
  row_.resize(row_bytes);
  encode_jpeg(
      photo.cols, photo.rows,
      [&](int y) -> const std::uint8_t* {
        if (y < c.box.y || y >= c.box.y + c.box.height) return photo.ptr<std::uint8_t>(y);
        std::memcpy(row_.data(), photo.ptr<std::uint8_t>(y), row_bytes);
        std::memcpy(row_.data() + 3 * c.box.x, c.pixels.ptr<std::uint8_t>(y - c.box.y), 3 * std::size_t(c.box.width));
        return row_.data();
      },
      quality, out);
  times_.encode += ms_since(start);
}

void use_inner_threads(bool enabled) { cv::setNumThreads(enabled ? -1 : 1); }

cv::Mat to_mat(const Composite& c) {
  cv::Mat full = c.photo->clone();
  c.pixels.copyTo(full(c.box));
  return full;
}

}  // namespace wfa
