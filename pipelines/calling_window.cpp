// Calling windows over ICU time zones and libphonenumber regions.
#include "pipelines/calling_window.hpp"

#include <algorithm>
#include <array>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <phonenumbers/phonenumberutil.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>

namespace wfa {

namespace {

constexpr std::array<const char*, 7> weekday_names = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/// zone is ZONE's ICU time zone, made once per thread (ICU zones are not safe to share while in use).
const icu::TimeZone& zone(std::string_view name) {
  thread_local std::unordered_map<std::string, std::unique_ptr<icu::TimeZone>> zones;
  auto key = std::string(name);
  auto found = zones.find(key);
  if (found == zones.end())
    found = zones.emplace(key, icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(key))).first;
  return *found->second;
}

/// offset_at is ZONE's offset from UTC in milliseconds at AT_MS, UTC milliseconds or (LOCAL) local wall milliseconds.
std::int64_t offset_at(const icu::TimeZone& tz, double at_ms, bool local) {
  std::int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  tz.getOffset(at_ms, local, raw, dst, status);
  return U_SUCCESS(status) ? static_cast<std::int64_t>(raw) + dst : 0;
}

}  // namespace

CallingWindow narrow(const CallingWindow& a, const CallingWindow& b) {
  return {static_cast<std::uint8_t>(a.days & b.days), std::max(a.start_minute, b.start_minute),
          std::min(a.end_minute, b.end_minute)};
}

std::optional<std::uint8_t> day_bits(const std::vector<std::string>& names) {
  std::uint8_t bits = 0;
  for (auto name : names) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    auto at = std::find(weekday_names.begin(), weekday_names.end(), name);
    if (at == weekday_names.end()) return std::nullopt;
    bits = static_cast<std::uint8_t>(bits | (1u << (at - weekday_names.begin())));
  }
  return bits;
}

std::optional<std::uint8_t> day_list(std::string_view text) {
  std::vector<std::string> names;
  for (std::size_t at = 0; at <= text.size();) {
    auto comma = std::min(text.find(',', at), text.size());
    names.emplace_back(text.substr(at, comma - at));
    at = comma + 1;
  }
  return day_bits(names);
}

std::vector<std::string> day_names(std::uint8_t days) {
  std::vector<std::string> out;
  for (std::size_t d = 0; d < weekday_names.size(); ++d)
    if (days & (1u << d)) out.emplace_back(weekday_names[d]);
  return out;
}

bool is_time_zone(std::string_view name) {
  if (name.empty() || name.find('/') == std::string_view::npos) return name == "UTC";
  icu::UnicodeString canonical;
  UBool system = false;
  UErrorCode status = U_ZERO_ERROR;
  icu::TimeZone::getCanonicalID(icu::UnicodeString::fromUTF8(std::string(name)), canonical, system, status);
  return U_SUCCESS(status) && system;
}

namespace {

/// as_e164 reads a number already in E.164 form (+, then 7 to 15 digits) without Parse's normalising, which costs
/// the dispatcher more than anything else it does per recipient; nothing when it is not in that form.
std::optional<i18n::phonenumbers::PhoneNumber> as_e164(const i18n::phonenumbers::PhoneNumberUtil& util,
                                                       std::string_view e164) {
  if (e164.size() < 8 || e164.size() > 16 || e164[0] != '+' || e164[1] == '0' ||
      !std::all_of(e164.begin() + 1, e164.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  for (std::size_t digits = 1; digits <= 3; ++digits) {
    auto code = std::stoi(std::string(e164.substr(1, digits)));
    std::list<std::string> regions;
    util.GetRegionCodesForCountryCallingCode(code, &regions);
    if (regions.empty()) continue;
    auto national = e164.substr(1 + digits);
    if (national.empty()) return std::nullopt;
    i18n::phonenumbers::PhoneNumber number;
    number.set_country_code(code);
    number.set_national_number(std::stoull(std::string(national)));
    // Italian-style leading zeros belong to the number, as Parse keeps them.
    auto zeros = national.find_first_not_of('0');
    if (zeros > 0 && zeros != std::string_view::npos) {
      number.set_italian_leading_zero(true);
      if (zeros > 1) number.set_number_of_leading_zeros(static_cast<int>(zeros));
    }
    return number;
  }
  return std::nullopt;
}

}  // namespace

std::string country_of_number(std::string_view e164) {
  const auto& util = *i18n::phonenumbers::PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneNumber number;
  if (auto quick = as_e164(util, e164))
    number = *quick;
  else if (util.Parse(std::string(e164), "ZZ", &number) != i18n::phonenumbers::PhoneNumberUtil::NO_PARSING_ERROR)
    return "";
  std::string region;
  util.GetRegionCodeForNumber(number, &region);
  return region == "ZZ" ? "" : region;
}

std::vector<std::string> zones_of_country(std::string_view country) {
  std::vector<std::string> out;
  if (country.size() != 2) return out;
  UErrorCode status = U_ZERO_ERROR;
  std::string region(country);
  std::unique_ptr<icu::StringEnumeration> ids(
      icu::TimeZone::createTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION, region.c_str(), nullptr, status));
  if (U_FAILURE(status) || !ids) return out;
  std::int32_t length = 0;
  while (const char* id = ids->next(&length, status)) {
    if (U_FAILURE(status)) break;
    out.emplace_back(id, static_cast<std::size_t>(length));
  }
  std::sort(out.begin(), out.end());
  return out;
}

RecipientPlace place_of(std::string_view e164, std::string_view timezone) {
  RecipientPlace place;
  place.country = country_of_number(e164);
  if (is_time_zone(timezone))
    place.zones = {std::string(timezone)};
  else
    place.zones = zones_of_country(place.country);
  return place;
}

LocalTime local_time(std::string_view name, Instant at) {
  auto ms = static_cast<double>(at.time_since_epoch().count()) * 1000.0;
  auto local = at + std::chrono::seconds(offset_at(zone(name), ms, false) / 1000);
  auto date = std::chrono::floor<std::chrono::days>(local);
  auto seconds = (local - date).count();
  LocalTime out;
  out.date = date;
  out.minute = static_cast<int>(seconds / 60);
  out.weekday = static_cast<int>(std::chrono::weekday(date).iso_encoding()) - 1;
  return out;
}

bool allowed_at(const CallingWindow& window, const std::vector<std::string>& zones, Instant at) {
  if (zones.empty() || window.empty()) return false;
  for (const auto& z : zones) {
    auto local = local_time(z, at);
    if (!(window.days & (1u << local.weekday))) return false;
    if (local.minute < window.start_minute || local.minute >= window.end_minute) return false;
  }
  return true;
}

std::optional<Instant> next_allowed(const CallingWindow& window, const std::vector<std::string>& zones, Instant from) {
  if (zones.empty() || window.empty()) return std::nullopt;
  // The allowed set is an intersection of local windows: its first instant after FROM is FROM itself or the opening
  // of one zone's window on some day.
  std::vector<Instant> candidates = {from};
  for (const auto& z : zones) {
    const auto& tz = zone(z);
    auto today = local_time(z, from).date;
    for (int d = 0; d <= 8; ++d) {
      auto opening = std::chrono::sys_seconds(today + std::chrono::days(d)) + std::chrono::minutes(window.start_minute);
      auto local_ms = static_cast<double>(opening.time_since_epoch().count()) * 1000.0;
      auto utc = opening - std::chrono::seconds(offset_at(tz, local_ms, true) / 1000);
      if (utc >= from && utc <= from + std::chrono::days(8)) candidates.push_back(utc);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  for (auto c : candidates)
    if (allowed_at(window, zones, c)) return c;
  return std::nullopt;
}

}  // namespace wfa
