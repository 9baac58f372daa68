// Exact decimal parsing and formatting of minor-unit amounts.
#include "pipelines/money.hpp"

#include <limits>

#include "core/error.hpp"

namespace wfa {

namespace {

[[noreturn]] void bad_amount(std::string_view text, std::string_view what, const std::string& why) {
  throw InvalidInputError(std::string(what) + " '" + std::string(text) + "' " + why,
                          "give a non-negative number such as 15000 or 1500.50");
}

/// parse_fixed reads TEXT as a decimal with at most SCALE fraction digits, scaled by 10^SCALE.
std::int64_t parse_fixed(std::string_view text, int scale, std::string_view what) {
  std::string_view body = text;
  while (!body.empty() && (body.front() == ' ' || body.front() == '\t')) body.remove_prefix(1);
  while (!body.empty() && (body.back() == ' ' || body.back() == '\t')) body.remove_suffix(1);
  if (body.empty()) bad_amount(text, what, "is empty");
  if (body.front() == '-') bad_amount(text, what, "is negative");
  if (body.front() == '+') body.remove_prefix(1);
  std::int64_t value = 0;
  int decimals = -1;
  bool digits = false;
  constexpr auto limit = std::numeric_limits<std::int64_t>::max() / 10;
  for (char c : body) {
    if (c == ',' && decimals < 0) continue;
    if (c == '.' && decimals < 0) {
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') bad_amount(text, what, "is not a number");
    if (decimals >= 0 && ++decimals > scale)
      bad_amount(text, what, "has more than " + std::to_string(scale) + " decimals");
    if (value > limit) bad_amount(text, what, "is too large");
    value = value * 10 + (c - '0');
    digits = true;
  }
  if (!digits) bad_amount(text, what, "is not a number");
  for (int i = decimals < 0 ? 0 : decimals; i < scale; ++i) {
    if (value > limit) bad_amount(text, what, "is too large");
    value *= 10;
  }
  return value;
}

}  // namespace

std::int64_t parse_amount(std::string_view text, int exponent, std::string_view what) {
  return parse_fixed(text, exponent, what);
}

std::int32_t parse_percent_bp(std::string_view text, std::string_view what) {
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  auto bp = parse_fixed(text, 2, what);
  if (bp > 10000)
    throw InvalidInputError(std::string(what) + " '" + std::string(text) + "' is over 100 %",
                            "give a percentage from 0 to 100");
  return static_cast<std::int32_t>(bp);
}

std::string format_amount(std::int64_t minor, int exponent) {
  bool negative = minor < 0;
  auto magnitude = negative ? -static_cast<unsigned long long>(minor) : static_cast<unsigned long long>(minor);
  unsigned long long scale = 1;
  for (int i = 0; i < exponent; ++i) scale *= 10;
  auto whole = std::to_string(magnitude / scale);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  if (exponent > 0) {
    auto fraction = std::to_string(magnitude % scale);
    out += '.' + std::string(static_cast<std::size_t>(exponent) - fraction.size(), '0') + fraction;
  }
  return negative ? "-" + out : out;
}

}  // namespace wfa
