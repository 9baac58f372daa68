// Date parsing and formatting on std::chrono civil dates.
#include "pipelines/calendar.hpp"

#include <cstdio>

#include "core/error.hpp"

namespace wfa {

using namespace std::chrono;

sys_days parse_date(std::string_view text, std::string_view what) {
  auto digits = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
    year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (y >= 1900 && m > 0 && d > 0 && ymd.ok()) return sys_days{ymd};
  }
  throw InvalidInputError(std::string(what) + " '" + std::string(text) + "' is not a date",
                          "write it as YYYY-MM-DD, e.g. 2025-01-06");
}

std::string iso_date(sys_days day) {
  year_month_day ymd{day};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

std::string long_date(sys_days day) {
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  year_month_day ymd{day};
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%02u %s %04d", static_cast<unsigned>(ymd.day()),
                months[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()));
  return buffer;
}

sys_days today_utc() { return floor<days>(system_clock::now()); }

}  // namespace wfa
