#pragma once
/// A billboard frame on a location photo: four corner points and the effect settings of its mockups.
#include <array>
#include <string>
#include <string_view>

namespace wfa {

struct FramePoint {
  double x = 0;
  double y = 0;
  bool operator==(const FramePoint&) const = default;
};

/// Quad holds the corners clockwise from top-left: TL, TR, BR, BL (image coordinates, y down).
using Quad = std::array<FramePoint, 4>;

/// Effects are the colour and edge settings of a frame; the defaults change nothing but an 8 px feather.
struct Effects {
  double brightness = 0;   ///< added to every channel after contrast, -255..255
  double contrast = 1;     ///< channel gain, 0..4
  double saturation = 1;   ///< HSV saturation scale, 0..4
  double temperature = 0;  ///< warm (+) / cool (-) shift: red x (1+t), blue x (1-t), -1..1
  double blur = 0;         ///< Gaussian sigma of the depth blur on the warped creative, 0..20 px
  int feather = 8;         ///< soft-edge width in px: mask eroded feather/4 px, blurred with a (2*feather+1) box
  bool operator==(const Effects&) const = default;
};

/// min_frame_area is the smallest frame accepted, in square pixels.
inline constexpr double min_frame_area = 400;

/// parse_points reads "x,y x,y x,y x,y" (numbers may have decimals); anything else is InvalidInputError naming OPTION.
std::array<FramePoint, 4> parse_points(std::string_view text, const std::string& option);

/// normalize_quad validates POINTS against a WIDTH x HEIGHT photo and returns them clockwise from top-left:
/// four distinct points forming a convex quadrilateral (any start, either direction) inside the photo with
/// at least min_frame_area. Self-intersecting, concave, degenerate or out-of-bounds frames are InvalidInputError.
Quad normalize_quad(const std::array<FramePoint, 4>& points, int width, int height);

/// quad_area is the shoelace area of Q.
double quad_area(const Quad& q);

/// format_points writes Q back as "x,y x,y x,y x,y" with no trailing zeros.
std::string format_points(const Quad& q);

/// check_effects refuses settings outside the documented ranges (InvalidInputError naming the flag).
void check_effects(const Effects& e);

}  // namespace wfa
