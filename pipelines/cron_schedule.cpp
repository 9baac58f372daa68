// Cron expressions: parsing each field into the set of values it allows, and searching forwards or backwards for a
// tick.
#include "pipelines/cron_schedule.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <vector>

#include "core/error.hpp"

namespace wfa {

namespace {

using namespace std::chrono;

constexpr const char* cron_hint =
    "give minute hour day-of-month month day-of-week in UTC, with an optional leading seconds field: e.g. 0 3 * * * "
    "(03:00 daily), */10 * * * * (every 10 minutes), */5 * * * * * (every 5 seconds)";

/// Field is one field's name and range; NAMES, when given, spell its values from LOW.
struct Field {
  const char* name;
  int low, high;
  std::vector<std::string_view> names;
};

const Field second_field{"second", 0, 59, {}};
const Field minute_field{"minute", 0, 59, {}};
const Field hour_field{"hour", 0, 23, {}};
const Field day_field{"day-of-month", 1, 31, {}};
const Field month_field{
    "month", 1, 12, {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}};
const Field weekday_field{"day-of-week", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}};

/// FieldError throws InvalidInputError for field NUMBER of F, ITEM, with DETAIL.
[[noreturn]] void field_error(int number, const Field& f, std::string_view item, const std::string& detail) {
  throw InvalidInputError(
      "cron field " + std::to_string(number) + " (" + f.name + ") '" + std::string(item) + "': " + detail, cron_hint);
}

/// value_of reads one value of F: a number in its range, or one of its names in any case.
int value_of(std::string_view text, int number, const Field& f, std::string_view item) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
    if (value < f.low || value > f.high)
      field_error(number, f, item,
                  std::to_string(value) + " is out of range " + std::to_string(f.low) + "-" + std::to_string(f.high));
    return value;
  }
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::size_t i = 0; i < f.names.size(); ++i)
    if (f.names[i] == lower) return f.low + static_cast<int>(i);
  auto names =
      f.names.empty() ? std::string() : " or a name " + std::string(f.names[0]) + "-" + std::string(f.names.back());
  field_error(number, f, item, "'" + std::string(text) + "' is not a number" + names);
}

/// parse_field sets in BITS every value TEXT allows: a comma-separated list of *, N, N-M or NAME, each with /STEP.
template <std::size_t N>
void parse_field(std::string_view text, int number, const Field& f, std::bitset<N>& bits) {
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item.empty()) field_error(number, f, text, "an empty list item");
    auto base = item;
    int step = 1;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      base = item.substr(0, slash);
      auto digits = item.substr(slash + 1);
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), step);
      if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() || step < 1 ||
          step > f.high - f.low + 1)
        field_error(number, f, item,
                    "the step after / must be a whole number from 1 to " + std::to_string(f.high - f.low + 1));
    }
    int low = f.low, high = f.high;
    if (base != "*") {
      auto dash = base.find('-');
      low = value_of(base.substr(0, dash), number, f, item);
      high = dash == std::string_view::npos ? (item.size() > base.size() ? f.high : low)
                                            : value_of(base.substr(dash + 1), number, f, item);
      if (high < low)
        field_error(number, f, item, "the range runs backwards; give it low-high, or as two items low-max,min-high");
    }
    for (int v = low; v <= high; v += step) bits.set(static_cast<std::size_t>(&f == &weekday_field ? v % 7 : v));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

/// macro is the expression an @name stands for, or empty.
std::string_view macro(std::string_view name) {
  static const std::array<std::pair<std::string_view, std::string_view>, 7> macros{{{"@yearly", "0 0 1 1 *"},
                                                                                    {"@annually", "0 0 1 1 *"},
                                                                                    {"@monthly", "0 0 1 * *"},
                                                                                    {"@weekly", "0 0 * * 0"},
                                                                                    {"@daily", "0 0 * * *"},
                                                                                    {"@midnight", "0 0 * * *"},
                                                                                    {"@hourly", "0 * * * *"}}};
  for (const auto& [n, expression] : macros)
    if (n == name) return expression;
  return {};
}

/// search_span is how far a search looks: every leap-day rule repeats within 8 years.
constexpr auto search_span = days(366 * 8);

}  // namespace

CronSchedule CronSchedule::parse(std::string_view text) {
  std::vector<std::string_view> fields;
  for (std::size_t i = 0; i < text.size();) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    auto j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    fields.push_back(text.substr(i, j - i));
    i = j;
  }
  if (fields.size() == 1 && fields[0].starts_with('@')) {
    auto expression = macro(fields[0]);
    if (expression.empty())
      throw InvalidInputError("cron macro '" + std::string(fields[0]) +
                                  "' is not one of @yearly, @annually, @monthly, "
                                  "@weekly, @daily, @midnight, @hourly",
                              cron_hint);
    return parse(expression);
  }
  if (fields.size() != 5 && fields.size() != 6)
    throw InvalidInputError(
        "cron expression '" + std::string(text) + "' has " + std::to_string(fields.size()) +
            " field(s); it needs 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)",
        cron_hint);
  CronSchedule s;
  s.has_seconds_ = fields.size() == 6;
  int n = 0;
  if (s.has_seconds_)
    parse_field(fields[n++], 1, second_field, s.seconds_);
  else
    s.seconds_.set(0);
  parse_field(fields[n], n + 1, minute_field, s.minutes_);
  ++n;
  parse_field(fields[n], n + 1, hour_field, s.hours_);
  ++n;
  s.any_day_ = fields[n].starts_with('*');
  parse_field(fields[n], n + 1, day_field, s.days_);
  ++n;
  parse_field(fields[n], n + 1, month_field, s.months_);
  ++n;
  s.any_weekday_ = fields[n].starts_with('*');
  parse_field(fields[n], n + 1, weekday_field, s.weekdays_);
  if (!s.search(sys_days(year(2000) / 1 / 1), true))
    throw InvalidInputError("cron expression '" + std::string(text) + "' never matches (no such day in those months)",
                            "give days that the months have, e.g. 28 rather than 30 for February");
  return s;
}

bool CronSchedule::matches_day(year_month_day ymd) const {
  bool by_day = days_[static_cast<unsigned>(ymd.day())];
  bool by_weekday = weekdays_[weekday(sys_days(ymd)).c_encoding()];
  // Vixie cron: a field that starts with * does not restrict; two restricted day fields match when either does.
  return any_day_ || any_weekday_ ? by_day && by_weekday : by_day || by_weekday;
}

std::optional<CronSchedule::Time> CronSchedule::search(Time t, bool forwards) const {
  const auto limit = forwards ? t + search_span : t - search_span;
  while (forwards ? t <= limit : t >= limit) {
    auto day = floor<days>(t);
    year_month_day ymd(day);
    hh_mm_ss time(t - day);
    auto h = time.hours();
    auto m = time.minutes();
    auto month_start = sys_days(ymd.year() / ymd.month() / 1);
    if (!months_[static_cast<unsigned>(ymd.month())])
      t = forwards ? Time(sys_days(year_month_day(ymd.year() / ymd.month() / 1) + months(1))) : month_start - 1s;
    else if (!matches_day(ymd))
      t = forwards ? day + days(1) : day - 1s;
    else if (!hours_[static_cast<std::size_t>(h.count())])
      t = forwards ? day + h + 1h : day + h - 1s;
    else if (!minutes_[static_cast<std::size_t>(m.count())])
      t = forwards ? day + h + m + 1min : day + h + m - 1s;
    else if (!seconds_[static_cast<std::size_t>(time.seconds().count())])
      t += forwards ? 1s : -1s;
    else
      return t;
  }
  return std::nullopt;
}

CronSchedule::Time CronSchedule::next_after(Time t) const {
  if (auto next = search(t + std::chrono::seconds(1), true)) return *next;
  throw std::logic_error("a parsed cron expression matches within 8 years");
}

std::optional<CronSchedule::Time> CronSchedule::last_at_or_before(Time t) const { return search(t, false); }

}  // namespace wfa
