#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "pipelines/mockup_frame.hpp"

namespace wfa {
namespace {

const Quad w2_quad{{{1400, 820}, {2720, 900}, {2690, 1610}, {1420, 1560}}};

Quad normalized(const std::string& text, int width = 4032, int height = 3024) {
  return normalize_quad(parse_points(text, "--points"), width, height);
}

/// error_of returns the message of the InvalidInputError that F throws, or "" if it throws none.
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const InvalidInputError& e) {
    return e.what();
  }
  return "";
}

TEST(MockupFrame, ParsesFourPairsWithDecimalsAndExtraSpaces) {
  auto p = parse_points("  1400,820  2720.5,900 2690,1610\t1420,1560 ", "--points");
  EXPECT_EQ(p[1], (FramePoint{2720.5, 900}));
  EXPECT_EQ(p[3], (FramePoint{1420, 1560}));
}

TEST(MockupFrame, RejectsMalformedPoints) {
  EXPECT_NE(error_of([] { parse_points("1,2 3,4 5,6", "--points"); }).find("got 3"), std::string::npos);
  EXPECT_NE(error_of([] { parse_points("1,2 3,4 5,6 7,8 9,10", "--points"); }), "");
  EXPECT_NE(error_of([] { parse_points("1,2 3;4 5,6 7,8", "--points"); }).find("3;4"), std::string::npos);
  EXPECT_NE(error_of([] { parse_points("1,2 3,x 5,6 7,8", "--points"); }).find("3,x"), std::string::npos);
  EXPECT_NE(error_of([] { parse_points("1,2 3, 5,6 7,8", "--points"); }), "");
}

TEST(MockupFrame, KeepsClockwiseFromTopLeft) {
  EXPECT_EQ(normalized("1400,820 2720,900 2690,1610 1420,1560"), w2_quad);
}

TEST(MockupFrame, ReordersCounterClockwiseAndOtherStarts) {
  EXPECT_EQ(normalized("1400,820 1420,1560 2690,1610 2720,900"), w2_quad);
  EXPECT_EQ(normalized("2690,1610 1420,1560 1400,820 2720,900"), w2_quad);
  EXPECT_EQ(normalized("2720,900 1400,820 1420,1560 2690,1610"), w2_quad);
}

TEST(MockupFrame, RejectsSelfIntersectingConcaveAndDegenerate) {
  EXPECT_NE(error_of([] { normalized("1400,820 2720,900 1420,1560 2690,1610"); }).find("self-intersecting"),
            std::string::npos);
  EXPECT_NE(error_of([] { normalized("100,100 500,100 300,150 300,500"); }).find("not a convex"), std::string::npos);
  EXPECT_NE(error_of([] { normalized("100,100 300,100 500,100 300,500"); }).find("not a convex"), std::string::npos);
  EXPECT_NE(error_of([] { normalized("100,100 100,100 500,500 100,500"); }).find("coincide"), std::string::npos);
}

TEST(MockupFrame, RejectsOutOfBoundsAndTinyFrames) {
  EXPECT_NE(error_of([] { normalized("1400,820 4100,900 2690,1610 1420,1560"); }).find("outside the 4032x3024 photo"),
            std::string::npos);
  EXPECT_NE(error_of([] { normalized("-1,0 100,0 100,100 0,100"); }).find("outside"), std::string::npos);
  EXPECT_NE(error_of([] { normalized("10,10 20,10 20,20 10,20"); }).find("below the minimum"), std::string::npos);
  EXPECT_EQ(normalized("0,0 4032,0 4032,3024 0,3024")[2], (FramePoint{4032, 3024}));
}

TEST(MockupFrame, FormatsPointsBack) { EXPECT_EQ(format_points(w2_quad), "1400,820 2720,900 2690,1610 1420,1560"); }

TEST(MockupFrame, ChecksEffectRanges) {
  EXPECT_NO_THROW(check_effects(Effects{}));
  Effects e;
  e.contrast = 5;
  EXPECT_NE(error_of([&] { check_effects(e); }).find("--contrast"), std::string::npos);
  e = {};
  e.feather = -1;
  EXPECT_NE(error_of([&] { check_effects(e); }).find("--feather"), std::string::npos);
}

}  // namespace
}  // namespace wfa
