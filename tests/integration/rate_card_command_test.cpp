// `wfa rate-card set|import|list` against a real PostgreSQL.
#include <pqxx/connection>
#include <pqxx/transaction>
#include <thread>

#include "tests/integration/sales_fixture.hpp"

using namespace wfa;
using namespace wfa::sales_test;

namespace {

std::vector<std::string> set_args(const std::string& location, std::vector<std::string> extra) {
  std::vector<std::string> args{"rate-card", "set", location, "--workspace", "acme/main"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

/// The W1 rate sheet's header and first rows, as make_fixtures.py writes them.
const char* const w1_rates =
    "location_key,net_rate_week_aed,upload_fee_aed,municipality_fee_pct\n"
    "DXB-001,127000,500,5\n"
    "DXB-002,16000,500,5\n"
    "DXB-003,179000,3500,5\n";

}  // namespace

TEST(RateCardCommand, SetStoresExactMinorUnitsAndUpdatesTheSameStart) {
  SalesFixture f;
  f.env["WFA_ACTOR"] = "sales@acme.test";
  f.add_location("DXB-001");
  auto card = f.run_json(set_args("DXB-001", {"--net-rate", "1,500.50", "--upload-fee", "500", "--municipality-fee-pct",
                                              "5.25", "--valid-from", "2026-01-01"}));
  EXPECT_EQ(card["net_rate"], "1,500.50");
  EXPECT_EQ(card["net_rate_minor"], 150050);
  EXPECT_EQ(card["upload_fee_minor"], 50000);
  EXPECT_EQ(card["municipality_fee_bp"], 525);
  EXPECT_EQ(card["currency"], "AED");
  EXPECT_EQ(card["duration_weeks"], 1);
  EXPECT_EQ(card["valid_to"], nullptr);
  EXPECT_EQ(card["outcome"], "created");

  auto updated =
      f.run_json(set_args("DXB-001", {"--net-rate", "1600", "--valid-from", "2026-01-01", "--valid-to", "2026-06-30"}));
  EXPECT_EQ(updated["outcome"], "updated");
  EXPECT_EQ(updated["id"], card["id"]);
  EXPECT_EQ(updated["net_rate_minor"], 160000);
  EXPECT_EQ(updated["upload_fee_minor"], 50000) << "options not given keep the stored values";
  EXPECT_EQ(updated["valid_to"], "2026-06-30");
  EXPECT_EQ(
      f.value("SELECT action || ' ' || (old_values->>'net_rate') || ' ' || (new_values->>'net_rate') FROM audit_log"
              " WHERE action LIKE 'rate_card.%' ORDER BY id DESC LIMIT 1"),
      "rate_card.update 150050 160000");
  auto same = f.run(set_args("DXB-001", {"--net-rate", "1600", "--valid-from", "2026-01-01"}));
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.err.find("nothing changed"), std::string::npos) << same.err;

  auto kwd = f.run_json(set_args("DXB-001", {"--net-rate", "1234.567", "--currency", "kwd", "--duration-weeks", "4",
                                             "--valid-from", "2026-01-01"}));
  EXPECT_EQ(kwd["currency"], "KWD");
  EXPECT_EQ(kwd["net_rate_minor"], 1234567);
  EXPECT_EQ(kwd["net_rate"], "1,234.567");
  EXPECT_EQ(f.db.count("rate_cards"), 2);
}

TEST(RateCardCommand, SetRefusesBadInputWithClearMessages) {
  SalesFixture f;
  f.add_location("DXB-001");
  expect_failure(f.run(set_args("DXB-001", {"--net-rate", "-100", "--valid-from", "2026-01-01"})), 6,
                 "--net-rate '-100' is negative");
  // Once read as 1,500,050.00: a comma that does not group thousands is a decimal comma, refused, never guessed.
  expect_failure(f.run(set_args("DXB-001", {"--net-rate", "15000,50", "--valid-from", "2026-01-01"})), 6,
                 "--net-rate '15000,50' has a decimal comma");
  expect_failure(f.run(set_args("DXB-001", {"--net-rate", "1,50,000", "--valid-from", "2026-01-01"})), 6,
                 "groups its digits other than in threes");
  auto currency = f.run(set_args("DXB-001", {"--net-rate", "100", "--currency", "XYZ", "--valid-from", "2026-01-01"}));
  expect_failure(currency, 6, "--currency 'XYZ' is not a supported currency (supported: AED, BHD, CHF");
  EXPECT_NE(currency.err.find("wfa currency list"), std::string::npos) << currency.err;
  expect_failure(f.run(set_args("DXB-404", {"--net-rate", "100", "--valid-from", "2026-01-01"})), 3,
                 "location 'DXB-404' not found in workspace acme/main");
  expect_failure(f.run(set_args("DXB-001", {"--net-rate", "100.555", "--valid-from", "2026-01-01"})), 6,
                 "has more than 2 decimals");
  expect_failure(f.run(set_args("DXB-001", {"--net-rate", "10.5", "--currency", "JPY", "--valid-from", "2026-01-01"})),
                 6, "has more than 0 decimals");
  expect_failure(f.run(set_args("DXB-001", {"--net-rate", "100", "--upload-fee", "-1", "--valid-from", "2026-01-01"})),
                 6, "--upload-fee '-1' is negative");
  expect_failure(
      f.run(set_args("DXB-001", {"--net-rate", "100", "--municipality-fee-pct", "120", "--valid-from", "2026-01-01"})),
      6, "is over 100 %");
  expect_failure(f.run(set_args("DXB-001", {"--net-rate", "100", "--valid-from", "2026-02-30"})), 6,
                 "--valid-from '2026-02-30' is not a date");
  expect_failure(
      f.run(set_args("DXB-001", {"--net-rate", "100", "--valid-from", "2026-03-01", "--valid-to", "2026-02-01"})), 6,
      "--valid-to 2026-02-01 is before --valid-from 2026-03-01");
  expect_failure(
      f.run(set_args("DXB-001", {"--net-rate", "100", "--duration-weeks", "0", "--valid-from", "2026-01-01"})), 6,
      "--duration-weeks 0 is out of range");
  expect_failure(f.run(set_args("DXB-001", {"--valid-from", "2026-01-01"})), 6, "has no --net-rate");
  expect_failure(f.run(set_args("DXB-001", {"--net-rate", "100"})), 2, "");
  EXPECT_EQ(f.db.count("rate_cards"), 0);
}

TEST(RateCardCommand, OverlappingWindowsAreAConflictThatSaysWhatToDo) {
  SalesFixture f;
  f.add_location("DXB-001");
  ASSERT_EQ(f.run(set_args("DXB-001", {"--net-rate", "15000", "--valid-from", "2026-01-01"})).exit_code, 0);
  auto later = f.run(set_args("DXB-001", {"--net-rate", "17000", "--valid-from", "2026-07-01"}));
  expect_failure(
      later, 4,
      "rate card of DXB-001 for 1 week valid 2026-07-01 to open end overlaps the card valid 2026-01-01 to open end");
  EXPECT_NE(later.err.find("--valid-from 2026-01-01 --valid-to 2026-06-30"), std::string::npos) << later.err;
  auto earlier = f.run(set_args("DXB-001", {"--net-rate", "14000", "--valid-from", "2025-07-01"}));
  expect_failure(earlier, 4, "overlaps the card valid 2026-01-01 to open end");
  EXPECT_NE(earlier.err.find("--valid-to 2025-12-31"), std::string::npos) << earlier.err;

  ASSERT_EQ(f.run(set_args("DXB-001", {"--valid-from", "2026-01-01", "--valid-to", "2026-06-30"})).exit_code, 0);
  ASSERT_EQ(f.run(set_args("DXB-001", {"--net-rate", "17000", "--valid-from", "2026-07-01"})).exit_code, 0);
  ASSERT_EQ(
      f.run(set_args("DXB-001", {"--net-rate", "14000", "--valid-from", "2025-07-01", "--valid-to", "2025-12-31"}))
          .exit_code,
      0);
  ASSERT_EQ(f.run(set_args("DXB-001", {"--net-rate", "50000", "--duration-weeks", "4", "--valid-from", "2026-03-01"}))
                .exit_code,
            0)
      << "other durations have their own windows";
  expect_failure(f.run(set_args("DXB-001", {"--valid-from", "2026-01-01", "--valid-to", "2026-07-01"})), 4,
                 "overlaps the card valid 2026-07-01 to open end");

  auto on = f.run_json(
      {"rate-card", "list", "--workspace", "acme/main", "--location", "DXB-001", "--on", "2026-05-01"})["rate_cards"];
  ASSERT_EQ(on.size(), 2u);
  EXPECT_EQ(on[0]["net_rate"], "15,000.00");
  EXPECT_EQ(on[1]["duration_weeks"], 4);
  auto all = f.run_json({"rate-card", "list", "--workspace", "acme/main"})["rate_cards"];
  EXPECT_EQ(all.size(), 4u);
  auto plain = f.run({"rate-card", "list", "--workspace", "acme/main", "--on", "2025-08-01", "-o", "plain"});
  EXPECT_EQ(plain.out, "DXB-001\t1\tAED\t14,000.00\t0.00\t0.00\t2025-07-01\t2025-12-31\n");
  expect_failure(f.run({"rate-card", "list", "--workspace", "acme/main", "--on", "May 1"}), 6, "is not a date");
  expect_failure(f.run({"rate-card", "list", "--workspace", "acme/main", "--location", "DXB-404"}), 3, "not found");
}

TEST(RateCardCommand, ConcurrentOverlappingSetsLetExactlyOneThrough) {
  SalesFixture f;
  f.add_location("DXB-001");
  // Hold the audit log so the first set stops just before commit, after its overlap check: without the
  // location row lock the second would pass the check too; with it the second waits and then sees the first.
  auto [a, b] = test::race_to_commit(
      f.db,
      [&] {
        return f.run(set_args("DXB-001", {"--net-rate", "100", "--valid-from", "2026-01-01"}));
      },
      [&] {
        return f.run(set_args("DXB-001", {"--net-rate", "200", "--valid-from", "2026-02-01"}));
      });
  EXPECT_EQ((a.exit_code == 0) + (b.exit_code == 0), 1) << a.err << " / " << b.err;
  EXPECT_EQ((a.exit_code == 4) + (b.exit_code == 4), 1) << a.err << " / " << b.err;
  EXPECT_EQ(f.db.count("rate_cards"), 1);
}

TEST(RateCardCommand, ImportAcceptsTheW1RateSheetAndIsIdempotent) {
  SalesFixture f;
  auto locations = f.file("locations.csv", "key,name\nDXB-001,One\nDXB-002,Two\nDXB-003,Three\n");
  ASSERT_EQ(f.run({"location", "import", locations, "--workspace", "acme/main"}).exit_code, 0);
  auto rates = f.file("rates.csv", w1_rates);
  auto first = f.run({"rate-card", "import", rates, "--workspace", "acme/main", "--valid-from", "2025-01-01"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("3 created, 0 updated, 0 unchanged"), std::string::npos) << first.err;
  EXPECT_EQ(
      f.value(
          "SELECT net_rate || ' ' || upload_fee || ' ' || municipality_fee_bp || ' ' || currency || ' ' || valid_from"
          " FROM rate_cards r JOIN locations l ON l.id = r.location_id WHERE l.location_key = 'DXB-001'"),
      "12700000 50000 500 AED 2025-01-01");
  auto again = f.run_json({"rate-card", "import", rates, "--workspace", "acme/main", "--valid-from", "2025-01-01"});
  EXPECT_EQ(again["rate_cards"][0]["outcome"], "unchanged");
  auto today = f.run_json({"rate-card", "import", rates, "--workspace", "acme/main"});
  EXPECT_EQ(today["rate_cards"][2]["outcome"], "unchanged") << "the card in force today already has these values";
  EXPECT_EQ(today["rate_cards"][2]["valid_from"], "2025-01-01");
  EXPECT_EQ(f.db.count("rate_cards"), 3);
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action LIKE 'rate_card.%'"), "3");

  auto full =
      f.file("full.csv",
             "location_key,net_rate,upload_fee,municipality_fee_percent,duration_weeks,currency,valid_from,valid_to\n"
             "DXB-001,450000,500,5,4,AED,2025-01-01,\n"
             "DXB-002,1000.5,10,0,2,USD,2027-01-01,2027-12-31\n");
  auto doc = f.run_json({"rate-card", "import", full, "--workspace", "acme/main"});
  EXPECT_EQ(doc["rate_cards"][0]["outcome"], "created");
  EXPECT_EQ(f.value("SELECT net_rate || ' ' || currency || ' ' || valid_to FROM rate_cards WHERE currency = 'USD'"),
            "100050 USD 2027-12-31");
}

TEST(RateCardCommand, ImportIsAllOrNothingAndNamesTheBadLine) {
  SalesFixture f;
  f.add_location("DXB-001");
  f.add_location("DXB-002");
  auto import = [&](const std::string& name, const std::string& text) {
    return f.run({"rate-card", "import", f.file(name, text), "--workspace", "acme/main", "--valid-from", "2026-01-01"});
  };
  expect_failure(import("neg.csv", "location_key,net_rate\nDXB-001,100\nDXB-002,-5\n"), 6,
                 "neg.csv:3: net_rate '-5' is negative");
  expect_failure(import("cur.csv", "location_key,net_rate,currency\nDXB-001,100,AED\nDXB-002,5,XXX\n"), 6,
                 "cur.csv:3: currency 'XXX' is not a supported currency");
  expect_failure(import("loc.csv", "location_key,net_rate\nDXB-001,100\nDXB-404,5\n"), 3,
                 "loc.csv:3: location 'DXB-404' not found");
  expect_failure(import("row.csv", "location_key,net_rate\nDXB-001,100\nDXB-002,5,6\n"), 6,
                 "row.csv:3: 3 fields, the header has 2");
  expect_failure(import("col.csv", "location_key,price\nDXB-001,100\n"), 6, "col.csv:1: missing column 'net_rate'");
  expect_failure(import("blank.csv", "location_key,net_rate\nDXB-001,\n"), 6, "blank.csv:2: net_rate is blank");
  expect_failure(import("weeks.csv", "location_key,net_rate,duration_weeks\nDXB-001,100,two\n"), 6,
                 "weeks.csv:2: duration_weeks 'two' is not a whole number");
  auto overlap =
      import("overlap.csv",
             "location_key,net_rate,valid_from,valid_to\nDXB-001,100,2026-01-01,\nDXB-001,200,2026-06-01,2026-12-31\n");
  expect_failure(overlap, 4, "overlap.csv:3: rate card of DXB-001 for 1 week valid 2026-06-01 to 2026-12-31 overlaps");
  expect_failure(import("many.csv", "location_key,net_rate\nDXB-404,1\nDXB-001,-1\nDXB-002,x\n"), 3,
                 "many.csv:2: location 'DXB-404' not found in workspace acme/main (and 2 more bad rows)");
  EXPECT_EQ(f.db.count("rate_cards"), 0);
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action LIKE 'rate_card.%'"), "0");

  auto dry = f.run({"rate-card", "import", f.file("ok.csv", w1_rates), "--workspace", "acme/main", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 3) << "DXB-003 is unknown: " << dry.err;
  auto ok = f.file("ok2.csv", "location_key,net_rate\nDXB-001,100\n");
  auto dry_ok = f.run({"rate-card", "import", ok, "--workspace", "acme/main", "--dry-run"});
  ASSERT_EQ(dry_ok.exit_code, 0) << dry_ok.err;
  EXPECT_NE(dry_ok.err.find("nothing changed"), std::string::npos) << dry_ok.err;
  EXPECT_EQ(f.db.count("rate_cards"), 0);
}
