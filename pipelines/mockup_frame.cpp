// Frame geometry: parsing, ordering and validation of the four billboard corners.
#include "pipelines/mockup_frame.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/error.hpp"

namespace wfa {

namespace {

const char* points_hint = "give four corners as \"x,y x,y x,y x,y\", e.g. \"1400,820 2720,900 2690,1610 1420,1560\"";

double cross(const FramePoint& o, const FramePoint& a, const FramePoint& b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/// segments_cross is true when segments AB and CD properly intersect.
bool segments_cross(const FramePoint& a, const FramePoint& b, const FramePoint& c, const FramePoint& d) {
  double d1 = cross(a, b, c), d2 = cross(a, b, d), d3 = cross(c, d, a), d4 = cross(c, d, b);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

std::string number(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

std::string point_text(const FramePoint& p) { return number(p.x) + "," + number(p.y); }

}  // namespace

std::array<FramePoint, 4> parse_points(std::string_view text, const std::string& option) {
  std::array<FramePoint, 4> out{};
  std::size_t count = 0;
  std::size_t at = 0;
  while (true) {
    at = text.find_first_not_of(" \t", at);
    if (at == std::string_view::npos) break;
    std::size_t end = text.find_first_of(" \t", at);
    auto token = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    auto comma = token.find(',');
    if (count == 4 || comma == std::string_view::npos)
      throw InvalidInputError(option + " \"" + std::string(text) + "\": expected four x,y pairs", points_hint);
    FramePoint p;
    auto x = token.substr(0, comma), y = token.substr(comma + 1);
    auto rx = std::from_chars(x.data(), x.data() + x.size(), p.x);
    auto ry = std::from_chars(y.data(), y.data() + y.size(), p.y);
    if (x.empty() || y.empty() || rx.ec != std::errc{} || ry.ec != std::errc{} || rx.ptr != x.data() + x.size() ||
        ry.ptr != y.data() + y.size() || !std::isfinite(p.x) || !std::isfinite(p.y))
      throw InvalidInputError(option + ": '" + std::string(token) + "' is not a number pair x,y", points_hint);
    out[count++] = p;
    if (end == std::string_view::npos) break;
    at = end;
  }
  if (count != 4)
    throw InvalidInputError(
        option + " \"" + std::string(text) + "\": expected four x,y pairs, got " + std::to_string(count), points_hint);
  return out;
}

Quad normalize_quad(const std::array<FramePoint, 4>& points, int width, int height) {
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t j = i + 1; j < 4; ++j)
      if (std::hypot(points[i].x - points[j].x, points[i].y - points[j].y) < 1)
        throw InvalidInputError("frame corners " + std::to_string(i + 1) + " and " + std::to_string(j + 1) +
                                    " coincide (" + point_text(points[i]) + ")",
                                "give four distinct corners");
  for (const auto& p : points)
    if (p.x < 0 || p.y < 0 || p.x > width || p.y > height)
      throw InvalidInputError("frame corner " + point_text(p) + " is outside the " + std::to_string(width) + "x" +
                                  std::to_string(height) + " photo",
                              "give corners within 0..width, 0..height of the photo");
  if (segments_cross(points[0], points[1], points[2], points[3]) ||
      segments_cross(points[1], points[2], points[3], points[0]))
    throw InvalidInputError(
        "frame " + format_points({points[0], points[1], points[2], points[3]}) + " is self-intersecting",
        "list the corners around the billboard: top-left, top-right, bottom-right, bottom-left");
  int positive = 0, negative = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    double c = cross(points[i], points[(i + 1) % 4], points[(i + 2) % 4]);
    if (c > 0) ++positive;
    if (c < 0) ++negative;
  }
  Quad q{points[0], points[1], points[2], points[3]};
  if (positive != 4 && negative != 4)
    throw InvalidInputError(
        "frame " + format_points(q) + " is not a convex quadrilateral (concave or three corners in line)",
        "give the four corners of the billboard's visible face");
  // In image coordinates (y down) a positive cross product turns clockwise on screen.
  if (negative == 4) std::reverse(q.begin() + 1, q.end());
  auto top_left = std::min_element(q.begin(), q.end(), [](const FramePoint& a, const FramePoint& b) {
    return a.x + a.y < b.x + b.y || (a.x + a.y == b.x + b.y && a.y < b.y);
  });
  std::rotate(q.begin(), top_left, q.end());
  if (quad_area(q) < min_frame_area)
    throw InvalidInputError("frame " + format_points(q) + " covers " + number(std::round(quad_area(q))) +
                                " px², below the minimum " + number(min_frame_area),
                            "mark the billboard's corners on the photo, not a few pixels");
  return q;
}

double quad_area(const Quad& q) {
  double twice = 0;
  for (std::size_t i = 0; i < 4; ++i) twice += q[i].x * q[(i + 1) % 4].y - q[(i + 1) % 4].x * q[i].y;
  return std::abs(twice) / 2;
}

std::string format_points(const Quad& q) {
  std::string out;
  for (const auto& p : q) out += (out.empty() ? "" : " ") + point_text(p);
  return out;
}

void check_effects(const Effects& e) {
  auto range = [](const char* flag, double v, double lo, double hi) {
    if (!std::isfinite(v) || v < lo || v > hi)
      throw InvalidInputError(std::string("--") + flag + " " + number(v) + " is out of range",
                              "give " + number(lo) + ".." + number(hi));
  };
  range("brightness", e.brightness, -255, 255);
  range("contrast", e.contrast, 0, 4);
  range("saturation", e.saturation, 0, 4);
  range("temperature", e.temperature, -1, 1);
  range("blur", e.blur, 0, 20);
  range("feather", e.feather, 0, 100);
}

}  // namespace wfa
