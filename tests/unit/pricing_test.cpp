#include <gtest/gtest.h>

#include <map>
#include <string>

#include "pipelines/csv_records.hpp"
#include "core/file_io.hpp"
#include "pipelines/money.hpp"
#include "pipelines/pricing.hpp"

namespace wfa {
namespace {

const std::string w1 = std::string(WFA_SOURCE_DIR) + "/fixtures/w1/";

TEST(Pricing, RoundsFeesHalfUp) {
  struct Case {
    std::int64_t net;
    std::int32_t bp;
    std::int64_t fee;
  };
  for (auto c : {Case{1000, 500, 50}, Case{10, 500, 1}, Case{9, 500, 0}, Case{30, 500, 2}, Case{1, 5000, 1},
                 Case{0, 500, 0}, Case{333, 1250, 42}})
    EXPECT_EQ(half_up_share(c.net, c.bp), c.fee) << c.net << " at " << c.bp;
}

TEST(Pricing, WeeklyCardScalesAndPackageCardWins) {
  RateCardTerms weekly{1, 1500000, 100000, 500};
  auto four = price_line(4, weekly, std::nullopt, {}, 500);
  EXPECT_EQ(four.net, 6000000);
  EXPECT_EQ(four.municipality_fee, 300000);
  EXPECT_EQ(four.upload_fee, 100000);
  EXPECT_EQ(four.subtotal, 6400000);
  EXPECT_EQ(four.vat, 320000);
  EXPECT_EQ(four.total, 6720000);
  RateCardTerms package{4, 5000000, 50000, 0};
  auto discounted = price_line(4, weekly, package, {}, 500);
  EXPECT_EQ(discounted.net, 5000000);
  EXPECT_EQ(discounted.municipality_fee, 0);
  EXPECT_EQ(discounted.upload_fee, 50000);
  EXPECT_EQ(discounted.total, 5302500);
}

TEST(Pricing, ConvertsFromAedHalfUpAcrossExponents) {
  CurrencyConversion usd{272294, 2, 2};   // 1 AED = 0.272294 USD
  EXPECT_EQ(usd.apply(100), 27);          // 27.2294 cents
  EXPECT_EQ(usd.apply(1500000), 408441);  // 4084.41
  CurrencyConversion kwd{83500, 2, 3};    // 1 AED = 0.0835 KWD, three decimals
  EXPECT_EQ(kwd.apply(100), 84);          // 83.5 fils → 84
  CurrencyConversion jpy{40123456, 2, 0};
  EXPECT_EQ(jpy.apply(100), 40);
  EXPECT_EQ(CurrencyConversion{}.apply(12345), 12345);
  auto line = price_line(2, RateCardTerms{1, 1000000, 50000, 500}, std::nullopt, usd, 500);
  EXPECT_EQ(line.net, 544588);
  EXPECT_EQ(line.subtotal, line.net + line.municipality_fee + line.upload_fee);
  EXPECT_EQ(line.total, line.subtotal + line.vat);
}

/// The 2,100 priced rows of workload W1 (300 proposals × 7 durations), six amounts each.
TEST(Pricing, ReproducesEveryW1Amount) {
  auto rates = CsvTable::parse(read_file(w1 + "rates.csv", "rates"), "rates.csv");
  auto batch = CsvTable::parse(read_file(w1 + "batch.csv", "batch"), "batch.csv");
  auto expected = CsvTable::parse(read_file(w1 + "expected_financials.csv", "expected"), "expected_financials.csv");
  std::map<std::string, RateCardTerms> cards;
  for (const auto& r : rates.records())
    cards[rates.field(r, "location_key")] = {1, parse_amount(rates.field(r, "net_rate_week_aed"), 2, "net"),
                                             parse_amount(rates.field(r, "upload_fee_aed"), 2, "upload"),
                                             parse_percent_bp(rates.field(r, "municipality_fee_pct"), "pct")};
  std::size_t checked = 0;
  for (const auto& e : expected.records()) {
    auto id = expected.field(e, "proposal_id");
    auto row = std::stoul(id.substr(id.rfind('-') + 1)) - 1;
    const auto& card = cards.at(batch.field(batch.records().at(row), "location_key"));
    auto line = price_line(std::stoi(expected.field(e, "weeks")), card, std::nullopt, {}, 500);
    EXPECT_EQ(line.net, std::stoll(expected.field(e, "net"))) << id;
    EXPECT_EQ(line.municipality_fee, std::stoll(expected.field(e, "municipality_fee"))) << id;
    EXPECT_EQ(line.upload_fee, std::stoll(expected.field(e, "upload_fee"))) << id;
    EXPECT_EQ(line.subtotal, std::stoll(expected.field(e, "subtotal"))) << id;
    EXPECT_EQ(line.vat, std::stoll(expected.field(e, "vat"))) << id;
    EXPECT_EQ(line.total, std::stoll(expected.field(e, "total"))) << id;
    ++checked;
  }
  EXPECT_EQ(checked, 2100u);  // rows of 7 durations x 300 proposals, six amounts each
}

}  // namespace
}  // namespace wfa
