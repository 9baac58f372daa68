#pragma once
/// Phone numbers to E.164, driven by a table of numbering plans (calling code, national trunk
/// prefix, national significant number lengths) rather than per-country code.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wfa {

/// NumberingPlan is one row of the data table in phone.cpp.
struct NumberingPlan {
  std::string_view iso;           ///< ISO 3166-1 alpha-2, e.g. "AE"
  std::string_view calling_code;  ///< e.g. "971"
  std::string_view trunk_prefix;  ///< dialled before national numbers ("0"; "1" in NANP; "" if none)
  int min_digits;                 ///< national significant number length range
  int max_digits;
};

/// numbering_plans is the whole table, in a stable order (for help texts).
const std::vector<NumberingPlan>& numbering_plans();
/// find_plan looks a country up by ISO code (any case); nullptr when it is not in the table.
const NumberingPlan* find_plan(std::string_view iso);

/// normalize_phone writes RAW as E.164 ("+971501234567") into OUT and returns "" on success, else
/// a short reason. Accepted input: digits with spaces, dots, dashes, slashes and parentheses; a
/// leading "+" or "00" (international); a literal "(0)" is dropped. A number without either is
/// national to DEFAULT_COUNTRY (its trunk prefix removed), unless it already starts with a known
/// calling code and has that country's length. Numbers of countries in the table must have their
/// lengths; others need 8-15 digits. DEFAULT_COUNTRY may be nullptr (national numbers refused).
std::string_view normalize_phone(std::string_view raw, const NumberingPlan* default_country, std::string& out);

/// phone_key packs an E.164 number ("+" and 8-15 digits, the first not 0) into a unique integer.
std::uint64_t phone_key(std::string_view e164);

}  // namespace wfa
