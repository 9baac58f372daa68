// Cron expressions: fields, names, steps, the Vixie day rule, month ends and leap years, and the errors people see.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/utc_time.hpp"
#include "pipelines/cron_schedule.hpp"

namespace wfa {
namespace {

using Time = CronSchedule::Time;

Time at(const char* text) { return Time(std::chrono::seconds(*iso8601_ms(text) / 1000)); }
std::string text(Time t) { return utc_text(t.time_since_epoch().count() * 1000); }
std::string next(const char* cron, const char* from) { return text(CronSchedule::parse(cron).next_after(at(from))); }
std::string last(const char* cron, const char* from) {
  return text(*CronSchedule::parse(cron).last_at_or_before(at(from)));
}
/// refusal is the message parsing CRON gives.
std::string refusal(const char* cron) {
  try {
    CronSchedule::parse(cron);
  } catch (const InvalidInputError& e) {
    EXPECT_FALSE(e.hint().empty());
    return e.what();
  }
  return "accepted";
}

TEST(CronSchedule, NextTickOfPlainFields) {
  EXPECT_EQ(next("* * * * *", "2026-12-07T16:05:30Z"), "2026-12-07T16:06:00.000Z");
  EXPECT_EQ(next("30 3 * * *", "2026-12-07T03:30:00Z"), "2026-12-08T03:30:00.000Z") << "strictly after";
  EXPECT_EQ(next("30 3 * * *", "2026-12-07T03:29:59Z"), "2026-12-07T03:30:00.000Z");
  EXPECT_EQ(next("5 0 1 * *", "2026-12-07T00:00:00Z"), "2027-01-01T00:05:00.000Z") << "over the year's end";
}

TEST(CronSchedule, ListsRangesStepsAndNames) {
  EXPECT_EQ(next("*/15 * * * *", "2026-12-07T16:05:00Z"), "2026-12-07T16:15:00.000Z");
  EXPECT_EQ(next("10-20/5 * * * *", "2026-12-07T16:16:00Z"), "2026-12-07T16:20:00.000Z");
  EXPECT_EQ(next("10-20/5 * * * *", "2026-12-07T16:21:00Z"), "2026-12-07T17:10:00.000Z");
  EXPECT_EQ(next("50/5 * * * *", "2026-12-07T16:56:00Z"), "2026-12-07T17:50:00.000Z") << "N/STEP runs to the end";
  EXPECT_EQ(next("0 9,17 * * *", "2026-12-07T10:00:00Z"), "2026-12-07T17:00:00.000Z");
  EXPECT_EQ(next("0 9 * * MON-fri", "2026-12-05T00:00:00Z"), "2026-12-07T09:00:00.000Z") << "Saturday to Monday";
  EXPECT_EQ(next("0 0 1 jun,Dec *", "2026-07-01T00:00:00Z"), "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(next("0 0 * * 7", "2026-12-07T00:00:00Z"), "2026-12-13T00:00:00.000Z") << "7 is Sunday too";
}

TEST(CronSchedule, SecondsFieldAndMacros) {
  EXPECT_EQ(next("* * * * * *", "2026-12-07T16:05:30Z"), "2026-12-07T16:05:31.000Z");
  EXPECT_EQ(next("*/20 * * * * *", "2026-12-07T16:05:41Z"), "2026-12-07T16:06:00.000Z");
  EXPECT_TRUE(CronSchedule::parse("0 * * * * *").has_seconds());
  EXPECT_FALSE(CronSchedule::parse("@hourly").has_seconds());
  EXPECT_EQ(next("@daily", "2026-12-07T16:05:30Z"), "2026-12-08T00:00:00.000Z");
  EXPECT_EQ(next("@monthly", "2026-12-07T16:05:30Z"), "2027-01-01T00:00:00.000Z");
}

TEST(CronSchedule, MonthEndsAndLeapYears) {
  EXPECT_EQ(next("0 0 31 * *", "2026-04-01T00:00:00Z"), "2026-05-31T00:00:00.000Z") << "April has no 31st";
  EXPECT_EQ(next("0 0 29 2 *", "2026-03-01T00:00:00Z"), "2028-02-29T00:00:00.000Z");
  EXPECT_EQ(next("0 0 29 2 *", "2096-03-01T00:00:00Z"), "2104-02-29T00:00:00.000Z") << "2100 is no leap year";
  EXPECT_EQ(last("0 0 29 2 *", "2027-06-01T00:00:00Z"), "2024-02-29T00:00:00.000Z");
  EXPECT_EQ(next("59 23 28-31 * *", "2027-02-28T23:59:00Z"), "2027-03-28T23:59:00.000Z");
}

TEST(CronSchedule, DayOfMonthAndDayOfWeekMatchEitherWhenBothAreRestricted) {
  // 2026-12-13 is a Sunday; 2026-12-15 the 15th (a Tuesday).
  EXPECT_EQ(next("0 0 15 * sun", "2026-12-08T00:00:00Z"), "2026-12-13T00:00:00.000Z") << "the Sunday first";
  EXPECT_EQ(next("0 0 15 * sun", "2026-12-13T00:00:00Z"), "2026-12-15T00:00:00.000Z") << "then the 15th";
  EXPECT_EQ(next("0 0 15 * *", "2026-12-08T00:00:00Z"), "2026-12-15T00:00:00.000Z") << "* does not restrict";
  EXPECT_EQ(next("0 0 */2 * sun", "2026-12-08T00:00:00Z"), "2026-12-13T00:00:00.000Z")
      << "a field starting with * counts as unrestricted: odd days that are Sundays";
}

TEST(CronSchedule, LastTickAtOrBefore) {
  EXPECT_EQ(last("*/15 * * * *", "2026-12-07T16:14:59Z"), "2026-12-07T16:00:00.000Z");
  EXPECT_EQ(last("*/15 * * * *", "2026-12-07T16:15:00Z"), "2026-12-07T16:15:00.000Z") << "at counts";
  EXPECT_EQ(last("5 0 1 * *", "2026-12-07T16:00:00Z"), "2026-12-01T00:05:00.000Z");
  EXPECT_EQ(last("0 0 31 * *", "2026-07-15T00:00:00Z"), "2026-05-31T00:00:00.000Z") << "June has no 31st";
  EXPECT_EQ(last("* * * * * *", "2026-12-07T16:05:30Z"), "2026-12-07T16:05:30.000Z");
  EXPECT_EQ(last("0 12 * * mon", "2026-12-07T11:00:00Z"), "2026-11-30T12:00:00.000Z");
}

TEST(CronSchedule, BadExpressionsNameTheFieldAndWhatItTakes) {
  EXPECT_EQ(refusal("* * * *"),
            "cron expression '* * * *' has 4 field(s); it needs 5 (minute hour day-of-month month day-of-week) or 6 "
            "(seconds first)");
  EXPECT_EQ(refusal("0 25 * * *"), "cron field 2 (hour) '25': 25 is out of range 0-23");
  EXPECT_EQ(refusal("0 0 0 * *"), "cron field 3 (day-of-month) '0': 0 is out of range 1-31");
  EXPECT_EQ(refusal("* * * foo *"), "cron field 4 (month) 'foo': 'foo' is not a number or a name jan-dec");
  EXPECT_EQ(refusal("* * * * 8"), "cron field 5 (day-of-week) '8': 8 is out of range 0-7");
  EXPECT_EQ(refusal("*/0 * * * *"),
            "cron field 1 (minute) '*/0': the step after / must be a whole number from 1 to 60");
  EXPECT_EQ(refusal("60 * * * * *"), "cron field 1 (second) '60': 60 is out of range 0-59");
  EXPECT_EQ(
      refusal("30-10 * * * *"),
      "cron field 1 (minute) '30-10': the range runs backwards; give it low-high, or as two items low-max,min-high");
  EXPECT_EQ(refusal("1,,2 * * * *"), "cron field 1 (minute) '1,,2': an empty list item");
  EXPECT_EQ(refusal("0 0 30 2 *"), "cron expression '0 0 30 2 *' never matches (no such day in those months)");
  EXPECT_EQ(refusal("@often"),
            "cron macro '@often' is not one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly");
  EXPECT_EQ(refusal("-1 * * * *"), "cron field 1 (minute) '-1': '' is not a number");
}

}  // namespace
}  // namespace wfa
