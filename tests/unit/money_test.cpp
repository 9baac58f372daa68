#include <gtest/gtest.h>

#include "core/error.hpp"
#include "pipelines/money.hpp"

namespace wfa {
namespace {

TEST(Money, ParsesMajorUnitsExactly) {
  struct Case {
    const char* text;
    int exponent;
    std::int64_t minor;
  };
  for (const auto& c : {Case{"15000", 2, 1500000}, Case{"1,500.5", 2, 150050}, Case{"0.250", 3, 250}, Case{" 7 ", 0, 7},
                        Case{"+12.34", 2, 1234}, Case{"0", 2, 0}})
    EXPECT_EQ(parse_amount(c.text, c.exponent, "--net-rate"), c.minor) << c.text;
}

TEST(Money, RejectsBadAmounts) {
  for (const char* text : {"", "-5", "abc", "1.234", "1e5", "99999999999999999999", "."})
    EXPECT_THROW(parse_amount(text, 2, "--net-rate"), InvalidInputError) << text;
}

TEST(Money, PercentInBasisPoints) {
  EXPECT_EQ(parse_percent_bp("5", "pct"), 500);
  EXPECT_EQ(parse_percent_bp("12.5%", "pct"), 1250);
  EXPECT_THROW(parse_percent_bp("101", "pct"), InvalidInputError);
  EXPECT_THROW(parse_percent_bp("5.255", "pct"), InvalidInputError);
}

TEST(Money, FormatsWithSeparators) {
  EXPECT_EQ(format_amount(123456789, 2), "1,234,567.89");
  EXPECT_EQ(format_amount(5, 2), "0.05");
  EXPECT_EQ(format_amount(100000, 2), "1,000.00");
  EXPECT_EQ(format_amount(1234, 3), "1.234");
  EXPECT_EQ(format_amount(1234567, 0), "1,234,567");
  EXPECT_EQ(format_amount(-150, 2), "-1.50");
}

}  // namespace
}  // namespace wfa
