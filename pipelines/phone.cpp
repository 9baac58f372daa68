#include "pipelines/phone.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <set>

namespace wfa {

namespace {

using i18n::phonenumbers::PhoneNumber;
using Util = i18n::phonenumbers::PhoneNumberUtil;

const Util& util() { return *Util::GetInstance(); }

/// ascii_problem refuses what no phone number holds: ASCII letters (vanity numbers and "ext" are not dialled
/// here) and ASCII symbols other than the separators people write.
std::string ascii_problem(std::string_view raw) {
  for (unsigned char c : raw) {
    if (c >= 0x80 || (c >= '0' && c <= '9')) continue;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return "contains letters";
    if (c != ' ' && c != '-' && c != '.' && c != '/' && c != '(' && c != ')' && c != '+' && c != '\t')
      return "contains characters that are not digits";
  }
  return {};
}

std::string parse_problem(Util::ErrorType error, bool has_default) {
  switch (error) {
    case Util::INVALID_COUNTRY_CODE_ERROR:
      return has_default ? "has no valid country code"
                         : "has no country code (give --default-country or write it as +CC...)";
    case Util::TOO_SHORT_AFTER_IDD:
    case Util::TOO_SHORT_NSN:
      return "is too short";
    case Util::TOO_LONG_NSN:
      return "is too long";
    default:
      return "is not a phone number";
  }
}

std::string length_problem(Util::ValidationResult result, const PhoneNumber& n) {
  auto code = "+" + std::to_string(n.country_code());
  switch (result) {
    case Util::INVALID_COUNTRY_CODE:
      return "has no valid country code";
    case Util::TOO_SHORT:
      return "is too short for its country code " + code;
    case Util::TOO_LONG:
      return "is too long for its country code " + code;
    default:
      return "has the wrong number of digits for its country code " + code;
  }
}

/// type_problem refuses, for campaign recipients, numbers that are services rather than someone's line.
std::string type_problem(Util::PhoneNumberType type) {
  switch (type) {
    case Util::PREMIUM_RATE:
      return "is a premium-rate number (calling it costs money)";
    case Util::TOLL_FREE:
      return "is a toll-free service number, not someone's line";
    case Util::SHARED_COST:
    case Util::UAN:
      return "is a shared-cost or universal access service number, not someone's line";
    default:
      return {};
  }
}

/// plus_number reads "+DIGITS" (ASCII digits, at most 15) as a calling code libphonenumber knows (codes are
/// prefix-free) and a national number without leading zero; false for anything else.
bool plus_number(std::string_view input, PhoneNumber& n) {
  if (input.size() < 3 || input.size() > 16 || input[0] != '+') return false;
  auto digits = input.substr(1);
  for (char c : digits)
    if (c < '0' || c > '9') return false;
  int code = 0;
  for (std::size_t length = 1; length <= 3 && length < digits.size(); ++length) {
    code = code * 10 + (digits[length - 1] - '0');
    std::string region;
    util().GetRegionCodeForCountryCode(code, &region);
    if (region == "ZZ") continue;
    if (digits[length] == '0') return false;  // leading zeros (Italy) and trunk prefixes are Parse's to read
    std::uint64_t national = 0;
    for (char c : digits.substr(length)) national = national * 10 + static_cast<std::uint64_t>(c - '0');
    n.set_country_code(code);
    n.set_national_number(national);
    return true;
  }
  return false;
}

/// national_number reads national DIGITS of the country with calling code CODE: its trunk prefix (TRUNK) taken off
/// when they start with it, no leading zero left; false for anything else (or without a default country).
bool national_number(std::string_view input, int code, std::string_view trunk, PhoneNumber& n) {
  if (code == 0 || input.size() < 4 || input.size() > 17) return false;
  for (char c : input)
    if (c < '0' || c > '9') return false;
  if (!trunk.empty() && input.substr(0, trunk.size()) == trunk) input.remove_prefix(trunk.size());
  if (input.empty() || input.size() > 14 || input[0] == '0') return false;
  std::uint64_t national = 0;
  for (char c : input) national = national * 10 + static_cast<std::uint64_t>(c - '0');
  n.set_country_code(code);
  n.set_national_number(national);
  return true;
}

}  // namespace

std::optional<std::string> phone_country(std::string_view iso) {
  if (iso.size() != 2) return std::nullopt;
  std::string upper(iso);
  for (auto& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  static const std::set<std::string> regions = [] {
    std::set<std::string> all;
    util().GetSupportedRegions(&all);
    return all;
  }();
  if (!regions.count(upper)) return std::nullopt;
  return upper;
}

PhoneReader::PhoneReader(std::string default_country, PhoneUse use) : country_(std::move(default_country)), use_(use) {
  if (country_.empty()) return;
  calling_code_ = util().GetCountryCodeForRegion(country_);
  util().GetNddPrefixForRegion(country_, true, &trunk_prefix_);
  // Whether 00 alone is this country's international prefix (not 00 plus a carrier digit, as in Hong Kong), asked
  // of Parse itself with a number of every leading calling-code digit: libphonenumber has no getter for it.
  dials_00_ = true;
  for (const char* region : {"US", "EG", "FR", "GB", "MX", "AU", "RU", "HK", "AE"}) {
    PhoneNumber example, probe;
    std::string e164;
    util().GetExampleNumber(region, &example);
    util().Format(example, Util::E164, &e164);
    dials_00_ = dials_00_ &&
                util().ParseAndKeepRawInput("00" + e164.substr(1), country_, &probe) == Util::NO_PARSING_ERROR &&
                probe.country_code_source() == PhoneNumber::FROM_NUMBER_WITH_IDD &&
                probe.country_code() == example.country_code() && probe.national_number() == example.national_number();
  }
}

PhoneReader PhoneReader::without_shortcuts() const {
  auto copy = *this;
  copy.shortcuts_ = false;
  return copy;
}

PhoneReading PhoneReader::read(std::string_view raw, std::string& out) const {
  PhoneReading r;
  if (auto why = ascii_problem(raw); !why.empty()) return {why};
  // Separators and a literal "(0)" are taken out first: libphonenumber then runs its expressions over digits only,
  // about a fifth less work per number.
  std::string input;
  input.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '(' && raw.substr(i, 3) == "(0)")
      i += 2;
    else if (c != ' ' && c != '-' && c != '.' && c != '/' && c != '(' && c != ')' && c != '\t')
      input.push_back(c);
  }
  const auto& u = util();
  // GetNumberType is IsValidNumber's own test (UNKNOWN: in no range), so one call gives validity and type.
  auto accept = [&](const PhoneNumber& number, Util::PhoneNumberType type) -> PhoneReading {
    bool valid = type != Util::UNKNOWN;
    if (valid && use_ == PhoneUse::recipient)
      if (auto why = type_problem(type); !why.empty()) return {why};
    u.Format(number, Util::E164, &out);
    if (out.size() > 16) return {"is longer than the 15 digits an international number may have"};
    if (!valid) {
      // Outside every known range: kept only when the country's plan has a format for its leading digits and
      // length (libphonenumber groups it, e.g. 059 123 4567) and its E.164 form reads back as itself; so a new
      // mobile range passes while 12-123456 or an 8-digit UAE "mobile" does not.
      std::string national, twice;
      u.Format(number, Util::NATIONAL, &national);
      bool grouped = national.find_first_not_of("0123456789") != std::string::npos;
      PhoneNumber again;
      if (!grouped) return {"is not in any number range of its country code +" + std::to_string(number.country_code())};
      if (u.Parse(out, "ZZ", &again) != Util::NO_PARSING_ERROR || (u.Format(again, Util::E164, &twice), twice != out))
        return {"is not a number of its country code +" + std::to_string(number.country_code()) +
                " as written (check the digits after the code)"};
    }
    return r;
  };
  // "+DIGITS" that libphonenumber finds valid as written needs none of its parser's expressions (more than half the
  // work of a number); anything else, or anything it does not find valid, goes through Parse. A test holds the
  // shortcuts to Parse's answer for every example number of every country.
  if (PhoneNumber plain; shortcuts_ && plus_number(input, plain))
    if (auto type = u.GetNumberType(plain); type != Util::UNKNOWN) return accept(plain, type);
  if (PhoneNumber plain; shortcuts_ && dials_00_ && input.size() > 3 && input.compare(0, 2, "00") == 0 &&
                         plus_number("+" + input.substr(2), plain))
    if (auto type = u.GetNumberType(plain); type != Util::UNKNOWN) return accept(plain, type);
  // Likewise national digits, with the country's trunk prefix taken off when they start with it.
  if (PhoneNumber plain; shortcuts_ && national_number(input, calling_code_, trunk_prefix_, plain))
    if (auto type = u.GetNumberType(plain); type != Util::UNKNOWN) return accept(plain, type);
  const std::string region = country_.empty() ? "ZZ" : country_;
  PhoneNumber n;
  auto error = u.ParseAndKeepRawInput(input, region, &n);
  bool explicit_code =
      error == Util::NO_PARSING_ERROR && (n.country_code_source() == PhoneNumber::FROM_NUMBER_WITH_PLUS_SIGN ||
                                          n.country_code_source() == PhoneNumber::FROM_NUMBER_WITH_IDD);
  // A line people answer has the length of a fixed or mobile number; a contact may be any kind of number.
  auto possible_length = [&](const PhoneNumber& number) {
    return use_ == PhoneUse::recipient ? u.IsPossibleNumberForTypeWithReason(number, Util::FIXED_LINE_OR_MOBILE)
                                       : u.IsPossibleNumberWithReason(number);
  };
  if (explicit_code) {
    if (auto type = u.GetNumberType(n); type != Util::UNKNOWN) return accept(n, type);
    auto possible = possible_length(n);
    return possible == Util::IS_POSSIBLE ? accept(n, Util::UNKNOWN) : PhoneReading{length_problem(possible, n)};
  }
  if (error == Util::NO_PARSING_ERROR)
    if (auto type = u.GetNumberType(n); type != Util::UNKNOWN) return accept(n, type);
  std::string digits = input;
  u.NormalizeDigitsOnly(&digits);
  PhoneNumber international;
  if (!digits.empty() && u.Parse("+" + digits, "ZZ", &international) == Util::NO_PARSING_ERROR)
    if (auto type = u.GetNumberType(international); type != Util::UNKNOWN) {
      r.read_as_international = true;
      return accept(international, type);
    }
  if (error != Util::NO_PARSING_ERROR) return {parse_problem(error, !country_.empty())};
  auto possible = possible_length(n);
  if (possible == Util::IS_POSSIBLE) return accept(n, Util::UNKNOWN);
  if (possible == Util::TOO_SHORT) return {"is too short for a " + country_ + " number"};
  if (possible == Util::TOO_LONG) return {"is too long for a " + country_ + " number"};
  return {"has the wrong number of digits for a " + country_ + " number"};
}

std::uint64_t phone_key(std::string_view e164) {
  std::uint64_t key = 0;
  for (std::size_t i = 1; i < e164.size(); ++i) key = key * 10 + static_cast<std::uint64_t>(e164[i] - '0');
  return key;
}

}  // namespace wfa
