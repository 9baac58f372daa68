#pragma once
/// When a number may be called: a window of weekdays and local hours (a country's calling law, narrowed by a
/// campaign's own), the time zones a recipient may be in, and the instants inside the window of every one of them.
/// Time zones come from ICU (tzdata), the country of a number from libphonenumber; neither shows in this header.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wfa {

/// CallingWindow: the weekdays (bit 0 Monday … bit 6 Sunday) and the local minutes [start, end) calls are allowed.
struct CallingWindow {
  std::uint8_t days = 0x7f;
  int start_minute = 0;
  int end_minute = 24 * 60;
  bool empty() const { return days == 0 || end_minute <= start_minute; }
};

/// narrow is the window both A and B allow (a campaign's window inside a country's).
CallingWindow narrow(const CallingWindow& a, const CallingWindow& b);

/// day_bits reads weekday names (mon … sun, any case) into CallingWindow::days; an unknown name is nullopt.
std::optional<std::uint8_t> day_bits(const std::vector<std::string>& names);
/// day_list reads comma-separated weekday names ("mon,tue") as day_bits does.
std::optional<std::uint8_t> day_list(std::string_view comma_separated);
/// day_names is the inverse of day_bits, Monday first.
std::vector<std::string> day_names(std::uint8_t days);

/// is_time_zone: NAME is a zone tzdata knows (e.g. Asia/Dubai), not a bare offset or abbreviation.
bool is_time_zone(std::string_view name);

/// country_of_number is the ISO country (region) of an E.164 number, e.g. "US" for +1 212…, "" when unknown.
std::string country_of_number(std::string_view e164);

/// zones_of_country are the canonical zones tzdata places in COUNTRY, sorted; empty for an unknown country.
std::vector<std::string> zones_of_country(std::string_view country);

/// RecipientPlace is where a recipient is for the calling rules: the country whose rules apply and the zones whose
/// local time counts (its own zone when it has one, else every zone of its number's country).
struct RecipientPlace {
  std::string country;
  std::vector<std::string> zones;
};
/// place_of places E164 with its imported TIMEZONE ("" or not a zone: ignored).
RecipientPlace place_of(std::string_view e164, std::string_view timezone);

using Instant = std::chrono::sys_seconds;

/// LocalTime is an instant as seen in one zone.
struct LocalTime {
  std::chrono::sys_days date;  ///< the local calendar day
  int minute = 0;              ///< minutes after local midnight
  int weekday = 0;             ///< 0 Monday … 6 Sunday
};
/// local_time is AT in ZONE (an unknown zone counts as UTC).
LocalTime local_time(std::string_view zone, Instant at);

/// allowed_at: AT falls inside WINDOW in every one of ZONES (no zones: never).
bool allowed_at(const CallingWindow& window, const std::vector<std::string>& zones, Instant at);

/// next_allowed is the first instant at or after FROM that allowed_at admits, looking at most eight days ahead;
/// nullopt when there is none (an empty window, or zones whose windows never overlap).
std::optional<Instant> next_allowed(const CallingWindow& window, const std::vector<std::string>& zones, Instant from);

}  // namespace wfa
