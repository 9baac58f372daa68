// Date, location-key and row-error rules shared by the sales commands.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "commands/sales/sales_rules.hpp"

namespace wfa {
namespace {

TEST(SalesRules, CheckDateAcceptsCalendarDatesOnly) {
  for (const char* date : {"2026-01-31", "2024-02-29", "2000-02-29", "2026-12-31"})
    EXPECT_EQ(check_date("--on", date), date);
  for (const char* date : {"2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01",
                           "26-01-01", "2026-01-01T00:00:00Z", "", "tomorrow", "1899-12-31"})
    EXPECT_THROW(check_date("--on", date), InvalidInputError) << date;
  try {
    check_date("valid_from", "2026-02-30");
  } catch (const InvalidInputError& e) {
    EXPECT_STREQ(e.what(), "valid_from '2026-02-30' is not a date");
  }
}

TEST(SalesRules, TodayIsAnIsoDate) { EXPECT_NO_THROW(check_date("today", today_iso())); }

TEST(SalesRules, LocationKeysFollowTheSchema) {
  for (const char* key : {"DXB-001", "a", "A.b_c-9"}) EXPECT_EQ(check_location_key("KEY", key), key);
  EXPECT_EQ(check_location_key("KEY", std::string(64, 'k')), std::string(64, 'k'));
  for (const char* key : {"", "-DXB", "_x", "DXB 001", "DXB/001", "Dübai"})
    EXPECT_THROW(check_location_key("KEY", key), InvalidInputError) << key;
  EXPECT_THROW(check_location_key("KEY", std::string(65, 'k')), InvalidInputError);
}

TEST(SalesRules, RowErrorsReportTheFirstWithItsCategoryAndCountTheRest) {
  RowErrors none;
  EXPECT_NO_THROW(none.throw_if_any());
  RowErrors errors;
  errors.add("f.csv:3: location 'X' not found", ErrorCategory::not_found, "list locations");
  errors.add("f.csv:4: net_rate '-1' is negative");
  try {
    errors.throw_if_any();
    ADD_FAILURE() << "no throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::not_found);
    EXPECT_STREQ(e.what(), "f.csv:3: location 'X' not found (and 1 more bad rows)");
    EXPECT_EQ(e.hint(), "list locations; nothing was imported");
  }
}

TEST(SalesRules, RowPrefixKeepsTheCategory) {
  try {
    with_row_prefix("f.csv:7", []() -> int { throw ConflictError("overlaps", "end it"); });
    ADD_FAILURE() << "no throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::conflict);
    EXPECT_STREQ(e.what(), "f.csv:7: overlaps");
    EXPECT_EQ(e.hint(), "end it");
  }
}

}  // namespace
}  // namespace wfa
