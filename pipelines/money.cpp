// Exact decimal parsing and formatting of minor-unit amounts.
#include "pipelines/money.hpp"

#include <limits>

#include "core/error.hpp"

namespace wfa {

namespace {

constexpr std::string_view amount_hint = "give a non-negative number such as 15000 or 1500.50";
constexpr std::string_view percent_hint = "give a percentage from 0 to 100 such as 5, 2.5 or 12.75%";

[[noreturn]] void bad_amount(std::string_view text, std::string_view what, const std::string& why,
                             std::string_view hint) {
  throw InvalidInputError(std::string(what) + " '" + std::string(text) + "' " + why, std::string(hint));
}

/// grouping_ok: INTEGER's commas, if any, separate groups of three digits after a first group of one to three.
bool grouping_ok(std::string_view integer) {
  auto comma = integer.find(',');
  if (comma == std::string_view::npos) return true;
  if (comma == 0 || comma > 3) return false;
  for (std::size_t at = comma; at < integer.size(); at += 4)
    if (integer[at] != ',' || at + 4 > integer.size() || integer.substr(at + 1, 3).find(',') != std::string_view::npos)
      return false;
  return true;
}

/// parse_fixed reads TEXT as a decimal with at most SCALE fraction digits, scaled by 10^SCALE. A comma is read
/// only as a thousands separator where it groups three digits ("15,000.50"); anywhere else ("15000,50", "12,5")
/// it would be a decimal comma, which is refused rather than guessed.
std::int64_t parse_fixed(std::string_view text, int scale, std::string_view what, std::string_view hint) {
  std::string_view body = text;
  while (!body.empty() && (body.front() == ' ' || body.front() == '\t')) body.remove_prefix(1);
  while (!body.empty() && (body.back() == ' ' || body.back() == '\t')) body.remove_suffix(1);
  if (body.empty()) bad_amount(text, what, "is empty", hint);
  if (body.front() == '-') bad_amount(text, what, "is negative", hint);
  if (body.front() == '+') body.remove_prefix(1);
  auto point = body.find('.');
  auto integer = body.substr(0, point);
  auto fraction = point == std::string_view::npos ? std::string_view() : body.substr(point + 1);
  if (fraction.find(',') != std::string_view::npos || fraction.find('.') != std::string_view::npos)
    bad_amount(text, what, "is not a number", hint);
  if (!grouping_ok(integer)) {
    if (point == std::string_view::npos && integer.find(',') == integer.rfind(','))
      throw InvalidInputError(std::string(what) + " '" + std::string(text) + "' has a decimal comma",
                              "write the decimals after a point, e.g. 15000.50 (a comma only groups thousands: "
                              "15,000.50)");
    bad_amount(text, what, "groups its digits other than in threes", hint);
  }
  std::int64_t value = 0;
  bool digits = false;
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  constexpr auto limit = max / 10;
  auto add = [&](char c) {
    if (c < '0' || c > '9') bad_amount(text, what, "is not a number", hint);
    if (value > (max - (c - '0')) / 10) bad_amount(text, what, "is too large", hint);
    value = value * 10 + (c - '0');
    digits = true;
  };
  for (char c : integer)
    if (c != ',') add(c);
  if (fraction.size() > static_cast<std::size_t>(scale))
    bad_amount(text, what, "has more than " + std::to_string(scale) + " decimals", hint);
  for (char c : fraction) add(c);
  if (!digits) bad_amount(text, what, "is not a number", hint);
  for (auto i = fraction.size(); i < static_cast<std::size_t>(scale); ++i) {
    if (value > limit) bad_amount(text, what, "is too large", hint);
    value *= 10;
  }
  return value;
}

}  // namespace

std::int64_t parse_amount(std::string_view text, int exponent, std::string_view what) {
  return parse_fixed(text, exponent, what, amount_hint);
}

std::int32_t parse_percent_bp(std::string_view text, std::string_view what) {
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  auto bp = parse_fixed(text, 2, what, percent_hint);
  if (bp > 10000)
    throw InvalidInputError(std::string(what) + " '" + std::string(text) + "' is over 100 %",
                            std::string(percent_hint));
  return static_cast<std::int32_t>(bp);
}

std::string format_amount(std::int64_t minor, int exponent) {
  bool negative = minor < 0;
  auto magnitude = negative ? -static_cast<unsigned long long>(minor) : static_cast<unsigned long long>(minor);
  unsigned long long scale = 1;
  for (int i = 0; i < exponent; ++i) scale *= 10;
  auto out = group_thousands(magnitude / scale);
  if (exponent > 0) {
    auto fraction = std::to_string(magnitude % scale);
    out += '.' + std::string(static_cast<std::size_t>(exponent) - fraction.size(), '0') + fraction;
  }
  return negative ? "-" + out : out;
}

}  // namespace wfa
