#pragma once
/// Calendar dates (UTC, no time of day) as people type and read them.
#include <chrono>
#include <string>
#include <string_view>

namespace wfa {

/// parse_date reads YYYY-MM-DD; anything else, or a day that does not exist, is InvalidInputError naming WHAT.
std::chrono::sys_days parse_date(std::string_view text, std::string_view what);
/// iso_date prints YYYY-MM-DD.
std::string iso_date(std::chrono::sys_days day);
/// long_date prints "06 Jan 2025", the same in every locale.
std::string long_date(std::chrono::sys_days day);
/// today_utc is the current UTC date.
std::chrono::sys_days today_utc();

}  // namespace wfa
