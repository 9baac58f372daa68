// `wfa currency set|list` against a real PostgreSQL.
#include "tests/integration/sales_fixture.hpp"

using namespace wfa;
using namespace wfa::sales_test;

namespace {

json currency(const json& list, const std::string& code) {
  for (const auto& row : list["currencies"])
    if (row["code"] == code) return row;
  return json();
}

}  // namespace

TEST(CurrencyCommand, SetStoresTheRateExactlyAndListShowsTheOneInForce) {
  SalesFixture f;
  auto set =
      f.run_json({"currency", "set", "usd", "--rate", "0.272294", "--valid-from", "2026-01-01", "--source", "CBUAE"});
  EXPECT_EQ(set["currency"], "USD");
  EXPECT_EQ(set["rate_ppm"], 272294);
  EXPECT_EQ(set["rate"], "0.272294");
  EXPECT_EQ(set["source"], "CBUAE");
  ASSERT_EQ(f.run({"currency", "set", "USD", "--rate", "0.27", "--valid-from", "2026-06-01"}).exit_code, 0);
  ASSERT_EQ(f.run({"currency", "set", "JPY", "--rate", "41.5", "--valid-from", "2026-01-01"}).exit_code, 0);

  auto january = f.run_json({"currency", "list", "--on", "2026-01-15"});
  EXPECT_EQ(january["currencies"].size(), 14u);
  EXPECT_EQ(currency(january, "USD")["rate_ppm"], 272294);
  EXPECT_EQ(currency(january, "USD")["valid_from"], "2026-01-01");
  EXPECT_EQ(currency(january, "JPY")["rate"], "41.500000");
  EXPECT_EQ(currency(january, "JPY")["exponent"], 0);
  EXPECT_EQ(currency(january, "KWD")["exponent"], 3);
  EXPECT_EQ(currency(january, "KWD")["rate"], nullptr);
  EXPECT_EQ(currency(january, "AED")["rate_ppm"], 1000000);
  EXPECT_EQ(currency(f.run_json({"currency", "list", "--on", "2026-07-01"}), "USD")["rate"], "0.270000");
  EXPECT_EQ(currency(f.run_json({"currency", "list", "--on", "2025-12-31"}), "USD")["rate"], nullptr);
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action = 'currency_rate.set' AND workspace_id IS NULL"), "3");
}

TEST(CurrencyCommand, SetOnTheSameDateReplacesTheRateAndAuditsTheOldOne) {
  SalesFixture f;
  ASSERT_EQ(f.run({"currency", "set", "EUR", "--rate", "0.25", "--valid-from", "2026-01-01"}).exit_code, 0);
  auto same = f.run({"currency", "set", "EUR", "--rate", "0.250000", "--valid-from", "2026-01-01"});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.err.find("nothing changed"), std::string::npos) << same.err;
  ASSERT_EQ(f.run({"currency", "set", "EUR", "--rate", "0.2512", "--valid-from", "2026-01-01"}).exit_code, 0);
  EXPECT_EQ(f.value("SELECT rate_ppm FROM currency_rates"), "251200");
  EXPECT_EQ(f.value("SELECT (old_values->>'rate_ppm') || ' ' || (new_values->>'rate_ppm') FROM audit_log ORDER BY id "
                    "DESC LIMIT 1"),
            "250000 251200");
  auto dry = f.run({"currency", "set", "EUR", "--rate", "0.3", "--valid-from", "2026-01-01", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(f.value("SELECT rate_ppm FROM currency_rates"), "251200");
  EXPECT_EQ(f.db.count("audit_log"), 2);
  auto today = f.run_json({"currency", "set", "GBP", "--rate", "0.21"});
  EXPECT_EQ(today["valid_from"], f.value("SELECT (now() AT TIME ZONE 'UTC')::date::text"));
}

TEST(CurrencyCommand, SetRefusesTheBaseCurrencyUnknownCodesAndBadRates) {
  SalesFixture f;
  expect_failure(f.run({"currency", "set", "AED", "--rate", "1"}), 6, "AED is the base currency");
  auto unknown = f.run({"currency", "set", "XYZ", "--rate", "1"});
  expect_failure(
      unknown, 6,
      "currency 'XYZ' is not a supported currency (supported: AED, BHD, CHF, CNY, EGP, EUR, GBP, INR, JPY, KWD");
  EXPECT_NE(unknown.err.find("wfa currency list"), std::string::npos) << unknown.err;
  expect_failure(f.run({"currency", "set", "USD", "--rate", "-0.27"}), 6, "--rate '-0.27' is negative");
  expect_failure(f.run({"currency", "set", "USD", "--rate", "0"}), 6, "--rate '0' is zero");
  expect_failure(f.run({"currency", "set", "USD", "--rate", "0.2722945"}), 6, "has more than 6 decimals");
  expect_failure(f.run({"currency", "set", "USD", "--rate", "abc"}), 6, "is not a number");
  expect_failure(f.run({"currency", "set", "USD", "--rate", "0.27", "--valid-from", "2026-13-01"}), 6, "is not a date");
  expect_failure(f.run({"currency", "set", "USD"}), 2, "");
  expect_failure(f.run({"currency", "list", "--on", "tomorrow"}), 6, "--on 'tomorrow' is not a date");
  EXPECT_EQ(f.db.count("currency_rates"), 0);
  EXPECT_EQ(f.db.count("audit_log"), 0);
}
