#pragma once
/// Cron expressions in UTC: the 5 standard fields (minute hour day-of-month month day-of-week) with *, lists,
/// ranges, steps and the names jan-dec and sun-sat, an optional leading seconds field, and the @hourly-style macros.
/// Written here because no Debian package offers a C++ cron parser (apt-cache search cron: Go, Perl and Ruby only).
#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace wfa {

/// CronSchedule is one parsed expression; ticks are whole seconds, UTC.
class CronSchedule {
 public:
  using Time = std::chrono::sys_seconds;

  /// parse reads TEXT; a bad expression is InvalidInputError naming the field and what it takes, and so is one that
  /// never matches (day 30 of February).
  static CronSchedule parse(std::string_view text);

  /// next_after is the first tick strictly after T.
  Time next_after(Time t) const;
  /// last_at_or_before is the latest tick at or before T, or nullopt when none lies within the 8 years before it.
  std::optional<Time> last_at_or_before(Time t) const;
  /// has_seconds says whether the expression has the leading seconds field.
  bool has_seconds() const { return has_seconds_; }

 private:
  /// matches_day applies the Vixie rule: when both day fields are restricted, either one matching is enough.
  bool matches_day(std::chrono::year_month_day ymd) const;
  /// search is the first tick at or after T (FORWARDS) or the last at or before it, within 8 years.
  std::optional<Time> search(Time t, bool forwards) const;

  std::bitset<60> seconds_, minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;
  std::bitset<13> months_;
  std::bitset<7> weekdays_;
  bool any_day_ = true, any_weekday_ = true, has_seconds_ = false;
};

}  // namespace wfa
