#include "pipelines/phone.hpp"

#include <cctype>

namespace wfa {

namespace {

// Lengths are those of the national significant number (after the calling code, without the
// trunk prefix), from the ITU-T national numbering plans; ranges cover mobile and fixed lines.
const std::vector<NumberingPlan> plans = {
    // GCC
    {"AE", "971", "0", 8, 9},
    {"SA", "966", "0", 8, 9},
    {"QA", "974", "", 7, 8},
    {"KW", "965", "", 7, 8},
    {"BH", "973", "", 8, 8},
    {"OM", "968", "", 7, 8},
    // United Kingdom, North America (one plan for US and CA)
    {"GB", "44", "0", 9, 10},
    {"US", "1", "1", 10, 10},
    {"CA", "1", "1", 10, 10},
    // Major EU countries and neighbours
    {"DE", "49", "0", 6, 13},
    {"FR", "33", "0", 9, 9},
    {"IT", "39", "", 6, 11},
    {"ES", "34", "", 9, 9},
    {"NL", "31", "0", 9, 9},
    {"BE", "32", "0", 8, 9},
    {"AT", "43", "0", 6, 13},
    {"PL", "48", "", 9, 9},
    {"PT", "351", "", 9, 9},
    {"IE", "353", "0", 7, 9},
    {"SE", "46", "0", 7, 9},
    {"DK", "45", "", 8, 8},
    {"FI", "358", "0", 5, 12},
    {"GR", "30", "", 10, 10},
    {"CZ", "420", "", 9, 9},
    {"RO", "40", "0", 9, 9},
    {"HU", "36", "06", 8, 9},
    {"CH", "41", "0", 9, 9},
    {"NO", "47", "", 8, 8},
    // Frequent in the region's contact lists
    {"IN", "91", "0", 10, 10},
    {"PK", "92", "0", 9, 10},
    {"EG", "20", "0", 9, 10},
    {"JO", "962", "0", 8, 9},
    {"LB", "961", "0", 7, 8},
};

/// plan_for_calling_code finds the plan whose calling code starts DIGITS (codes are prefix-free).
const NumberingPlan* plan_for_calling_code(std::string_view digits) {
  for (const auto& p : plans)
    if (digits.substr(0, p.calling_code.size()) == p.calling_code) return &p;
  return nullptr;
}

bool fits(const NumberingPlan& p, std::size_t nsn_digits) {
  return static_cast<int>(nsn_digits) >= p.min_digits && static_cast<int>(nsn_digits) <= p.max_digits;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return !prefix.empty() && s.substr(0, prefix.size()) == prefix;
}

/// check_international validates "+DIGITS" (DIGITS in OUT after the '+') against the table.
std::string_view check_international(std::string& out) {
  std::string_view digits(out);
  digits.remove_prefix(1);
  if (digits.empty()) return "has no digits";
  if (digits[0] == '0') return "has no valid country code";
  if (digits.size() < 8) return "is too short";
  if (const auto* p = plan_for_calling_code(digits)) {
    auto nsn = digits.substr(p->calling_code.size());
    // "+44 07911 ..." carries the trunk prefix by mistake: drop it when that makes the length right.
    if (!fits(*p, nsn.size()) && starts_with(nsn, p->trunk_prefix) && fits(*p, nsn.size() - p->trunk_prefix.size()))
      out.erase(1 + p->calling_code.size(), p->trunk_prefix.size());
    else if (!fits(*p, nsn.size()))
      return "has the wrong number of digits for its country code";
    return "";
  }
  if (digits.size() < 8) return "is too short";
  if (digits.size() > 15) return "is too long";
  return "";
}

}  // namespace

const std::vector<NumberingPlan>& numbering_plans() { return plans; }

const NumberingPlan* find_plan(std::string_view iso) {
  if (iso.size() != 2) return nullptr;
  char upper[2] = {static_cast<char>(std::toupper(static_cast<unsigned char>(iso[0]))),
                   static_cast<char>(std::toupper(static_cast<unsigned char>(iso[1])))};
  for (const auto& p : plans)
    if (p.iso == std::string_view(upper, 2)) return &p;
  return nullptr;
}

std::string_view normalize_phone(std::string_view raw, const NumberingPlan* default_country, std::string& out) {
  out.assign(1, '+');
  bool plus = false, any = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c >= '0' && c <= '9') {
      out.push_back(c);
      any = true;
    } else if (c == '(' && raw.substr(i, 3) == "(0)") {
      i += 2;
    } else if (c == '+' && !any && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '/' && c != '(' && c != ')' && c != '\t') {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ? "contains letters"
                                                              : "contains characters that are not digits";
    }
  }
  if (out.size() == 1) return "has no digits";
  std::string_view digits = std::string_view(out).substr(1);
  if (plus) return check_international(out);
  if (digits.size() > 2 && digits.substr(0, 2) == "00") {
    out.erase(1, 2);
    return check_international(out);
  }
  if (default_country && default_country->calling_code == "1" && digits.substr(0, 3) == "011") {
    out.erase(1, 3);
    return check_international(out);
  }
  if (default_country) {
    const auto& home = *default_country;
    if (starts_with(digits, home.trunk_prefix) && fits(home, digits.size() - home.trunk_prefix.size())) {
      out.replace(1, home.trunk_prefix.size(), home.calling_code);
      return check_international(out);
    }
    if (const auto* p = plan_for_calling_code(digits); p && fits(*p, digits.size() - p->calling_code.size()))
      return check_international(out);
    if (!starts_with(digits, home.trunk_prefix) && fits(home, digits.size())) {
      out.insert(1, home.calling_code);
      return check_international(out);
    }
    if (starts_with(digits, home.trunk_prefix)) return "has the wrong number of digits for a national number";
    return check_international(out);
  }
  if (const auto* p = plan_for_calling_code(digits); p && fits(*p, digits.size() - p->calling_code.size()))
    return check_international(out);
  return "has no country code (give --default-country or write it as +CC...)";
}

std::uint64_t phone_key(std::string_view e164) {
  std::uint64_t key = 0;
  for (std::size_t i = 1; i < e164.size(); ++i) key = key * 10 + static_cast<std::uint64_t>(e164[i] - '0');
  return key;
}

}  // namespace wfa
