// Calling windows: local time in ICU's zones (DST included), the intersection rule across a country's zones, the
// next allowed instant, weekdays, and a number's country and zones.
#include "pipelines/calling_window.hpp"

#include <gtest/gtest.h>

using namespace wfa;
using namespace std::chrono;

namespace {

Instant at(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return sys_seconds(sys_days(year(y) / month(m) / day(d))) + hours(hour) + minutes(minute);
}

CallingWindow window(const std::vector<std::string>& days, int from_hour, int to_hour) {
  return {day_bits(days).value(), from_hour * 60, to_hour * 60};
}

const std::vector<std::string> every_day = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

}  // namespace

TEST(CallingWindow, DubaiIsUtcPlusFourAndTheWindowEndIsExclusive) {
  auto uae = window(every_day, 9, 18);
  std::vector<std::string> dubai = {"Asia/Dubai"};
  EXPECT_FALSE(allowed_at(uae, dubai, at(2027, 1, 12, 4, 59))) << "08:59 in Dubai";
  EXPECT_TRUE(allowed_at(uae, dubai, at(2027, 1, 12, 5, 0))) << "09:00 in Dubai";
  EXPECT_TRUE(allowed_at(uae, dubai, at(2027, 1, 12, 13, 59)));
  EXPECT_FALSE(allowed_at(uae, dubai, at(2027, 1, 12, 14, 0))) << "18:00 in Dubai is past the window";
  EXPECT_EQ(next_allowed(uae, dubai, at(2027, 1, 12, 14, 0)), at(2027, 1, 13, 5, 0));
  EXPECT_EQ(next_allowed(uae, dubai, at(2027, 1, 12, 6, 30)), at(2027, 1, 12, 6, 30)) << "inside: now";
}

TEST(CallingWindow, DaylightSavingMovesTheWindowInUtc) {
  auto us = window(every_day, 8, 21);
  std::vector<std::string> new_york = {"America/New_York"};
  EXPECT_TRUE(allowed_at(us, new_york, at(2027, 1, 12, 13, 0))) << "08:00 EST";
  EXPECT_FALSE(allowed_at(us, new_york, at(2027, 1, 12, 12, 30)));
  EXPECT_TRUE(allowed_at(us, new_york, at(2027, 7, 12, 12, 0))) << "08:00 EDT";
  EXPECT_FALSE(allowed_at(us, new_york, at(2027, 7, 13, 1, 0))) << "21:00 EDT";
  EXPECT_EQ(next_allowed(us, new_york, at(2027, 7, 13, 1, 0)), at(2027, 7, 13, 12, 0));
}

TEST(CallingWindow, ACountryOfManyZonesIsCallableOnlyInsideEveryZonesWindow) {
  auto zones = zones_of_country("US");
  ASSERT_GE(zones.size(), 6u);
  EXPECT_NE(std::find(zones.begin(), zones.end(), "Pacific/Honolulu"), zones.end());
  EXPECT_NE(std::find(zones.begin(), zones.end(), "America/New_York"), zones.end());
  auto us = window(every_day, 8, 21);
  // January: 08:00 in Honolulu (UTC-10) is 18:00 UTC; 21:00 in New York (UTC-5) is 02:00 UTC the next day.
  EXPECT_FALSE(allowed_at(us, zones, at(2027, 1, 12, 17, 59)));
  EXPECT_TRUE(allowed_at(us, zones, at(2027, 1, 12, 18, 0)));
  EXPECT_TRUE(allowed_at(us, zones, at(2027, 1, 13, 1, 59)));
  EXPECT_FALSE(allowed_at(us, zones, at(2027, 1, 13, 2, 0)));
  EXPECT_EQ(next_allowed(us, zones, at(2027, 1, 12, 9, 0)), at(2027, 1, 12, 18, 0));
  std::vector<std::string> apart = {"Asia/Tokyo", "America/Los_Angeles"};
  EXPECT_EQ(next_allowed(window(every_day, 9, 12), apart, at(2027, 1, 12, 0)), std::nullopt)
      << "windows that never overlap have no next instant";
}

TEST(CallingWindow, WeekdaysAreLocalAndNarrowingIntersects) {
  auto weekdays_only = window({"mon", "tue", "wed", "thu", "fri", "sat"}, 9, 18);
  std::vector<std::string> dubai = {"Asia/Dubai"};
  // 2027-01-10 is a Sunday.
  EXPECT_FALSE(allowed_at(weekdays_only, dubai, at(2027, 1, 10, 8, 0)));
  EXPECT_EQ(next_allowed(weekdays_only, dubai, at(2027, 1, 10, 8, 0)), at(2027, 1, 11, 5, 0));
  auto campaign = window({"mon", "tue"}, 10, 20);
  auto both = narrow(weekdays_only, campaign);
  EXPECT_EQ(day_names(both.days), (std::vector<std::string>{"mon", "tue"}));
  EXPECT_EQ(both.start_minute, 600);
  EXPECT_EQ(both.end_minute, 18 * 60);
  EXPECT_EQ(day_bits({"Mon", "funday"}), std::nullopt);
  EXPECT_TRUE((CallingWindow{0, 0, 60}.empty()));
  EXPECT_EQ(next_allowed(CallingWindow{0, 0, 60}, dubai, at(2027, 1, 10, 8, 0)), std::nullopt);
}

TEST(CallingWindow, ANumbersCountryAndZonesComeFromLibphonenumberAndTzdataUnlessItHasItsOwnZone) {
  EXPECT_EQ(country_of_number("+971501234567"), "AE");
  EXPECT_EQ(country_of_number("+12125550123"), "US");
  EXPECT_EQ(country_of_number("+17875550123"), "PR") << "NANP numbers are placed by area code";
  EXPECT_EQ(country_of_number("+999"), "");
  // Codes shared by several countries are told apart by the whole number, leading zeros included.
  EXPECT_EQ(country_of_number("+16045550123"), "CA");
  EXPECT_EQ(country_of_number("+390612345678"), "IT");
  EXPECT_EQ(country_of_number("+447624123456"), "IM");
  EXPECT_EQ(country_of_number("+447911123456"), "GG");
  EXPECT_EQ(country_of_number("+447400123456"), "GB");
  EXPECT_EQ(country_of_number("+77012345678"), "KZ");
  EXPECT_EQ(country_of_number("+79161234567"), "RU");
  EXPECT_EQ(country_of_number("+1 212 555 0123"), "US") << "a number not in E.164 form is parsed";
  EXPECT_EQ(country_of_number("+10005550123"), "") << "no NANP country has area code 000";
  auto dubai = place_of("+971501234567", "");
  EXPECT_EQ(dubai.country, "AE");
  EXPECT_EQ(dubai.zones, (std::vector<std::string>{"Asia/Dubai"}));
  auto chicago = place_of("+12125550123", "America/Chicago");
  EXPECT_EQ(chicago.country, "US");
  EXPECT_EQ(chicago.zones, (std::vector<std::string>{"America/Chicago"}));
  EXPECT_GT(place_of("+12125550123", "Mars/Olympus").zones.size(), 1u) << "an unknown zone is ignored";
  EXPECT_TRUE(is_time_zone("Asia/Dubai"));
  EXPECT_FALSE(is_time_zone("GMT+4"));
  EXPECT_FALSE(is_time_zone("Mars/Olympus"));
  auto local = wfa::local_time("Asia/Dubai", at(2027, 1, 10, 21, 30));
  EXPECT_EQ(local.minute, 90) << "01:30 the next day";
  EXPECT_EQ(local.weekday, 0) << "Monday";
}
