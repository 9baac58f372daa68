#pragma once
/// Money as integer minor units: parsing what people type ("1,500.50") and printing "1,234,567.89".
#include <cstdint>
#include <string>
#include <string_view>

#include "core/grouping.hpp"

namespace wfa {

/// parse_amount reads a non-negative decimal in major units with at most EXPONENT decimals
/// ("15000", "1,500.5", "0.250") into minor units, exactly (no floating point). Bad text,
/// negatives, too many decimals or overflow are InvalidInputError naming WHAT.
std::int64_t parse_amount(std::string_view text, int exponent, std::string_view what);

/// format_amount prints MINOR with thousands separators and EXPONENT decimals: 123456789, 2 → "1,234,567.89".
std::string format_amount(std::int64_t minor, int exponent);

/// parse_percent_bp reads a percentage ("5", "5.25", "12.5%") as basis points (500, 525, 1250), 0..100 %.
std::int32_t parse_percent_bp(std::string_view text, std::string_view what);

}  // namespace wfa
