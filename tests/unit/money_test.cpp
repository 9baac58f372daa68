#include <gtest/gtest.h>

#include <limits>

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

TEST(Money, ACommaGroupsThousandsOrIsRefusedNeverGuessed) {
  struct Case {
    const char* text;
    std::int64_t minor;
  };
  for (const auto& c : {Case{"15,000.50", 1500050}, Case{"1,234,567", 123456700}, Case{"999,999.99", 99999999},
                        Case{"1,500", 150000}, Case{"1500.", 150000}, Case{".5", 50}})
    EXPECT_EQ(parse_amount(c.text, 2, "--net-rate"), c.minor) << c.text;
  auto message = [](const char* text) {
    try {
      parse_amount(text, 2, "--net-rate");
    } catch (const InvalidInputError& e) {
      return std::string(e.what()) + " | " + e.hint();
    }
    return std::string("accepted");
  };
  for (const char* decimal_comma : {"15000,50", "12,5", "0,25", "1500,"})
    EXPECT_NE(message(decimal_comma).find("has a decimal comma | write the decimals after a point"), std::string::npos)
        << decimal_comma << ": " << message(decimal_comma);
  for (const char* misgrouped : {"1,50,000", "15,00.50", ",500", "1,5000", "1,500,00", "1234,567.5", "1.500,50"})
    EXPECT_NE(message(misgrouped).find("'"), std::string::npos) << misgrouped;
  for (const char* misgrouped : {"1,50,000", "15,00.50", "1,500,00", "1.500,50"})
    EXPECT_NE(message(misgrouped), "accepted") << misgrouped;
  EXPECT_EQ(parse_amount("92,233,720,368,547,758.07", 2, "x"), std::numeric_limits<std::int64_t>::max());
  EXPECT_THROW(parse_amount("92233720368547758.08", 2, "x"), InvalidInputError) << "one past the largest";
}

TEST(Money, ParsesWhatItFormatsForAnyAmount) {
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 20000; ++i) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    auto minor = static_cast<std::int64_t>(state >> (1 + i % 60));
    for (int exponent : {0, 2, 3})
      EXPECT_EQ(parse_amount(format_amount(minor, exponent), exponent, "x"), minor) << minor << " e" << exponent;
  }
}

TEST(Money, PercentInBasisPoints) {
  EXPECT_EQ(parse_percent_bp("5", "pct"), 500);
  EXPECT_EQ(parse_percent_bp("12.5%", "pct"), 1250);
  EXPECT_THROW(parse_percent_bp("101", "pct"), InvalidInputError);
  EXPECT_THROW(parse_percent_bp("5.255", "pct"), InvalidInputError);
  try {
    parse_percent_bp("abc", "--municipality-fee-pct");
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_NE(e.hint().find("a percentage from 0 to 100 such as 5, 2.5"), std::string::npos) << e.hint();
  }
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
