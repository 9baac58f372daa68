#pragma once
/// Phone numbers to E.164 through libphonenumber: one reader for imports, flags and the partner request.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wfa {

/// PhoneUse says which kinds of number a value may be: a recipient is a line a campaign dials, so premium-rate,
/// toll-free, shared-cost and similar service numbers are refused; a contact may be any number.
enum class PhoneUse { recipient, contact };

/// phone_country returns ISO (any case) upper-cased when libphonenumber has a numbering plan for it.
std::optional<std::string> phone_country(std::string_view iso);

/// PhoneReading is the outcome of PhoneReader::read: PROBLEM is empty on success.
struct PhoneReading {
  std::string problem;
  bool read_as_international = false;  ///< no + or international prefix, not valid as national, valid as +DIGITS
};

/// PhoneReader reads numbers for one default country; read is const and safe to call from many threads.
class PhoneReader {
 public:
  /// DEFAULT_COUNTRY is an upper-case ISO code from phone_country, or "" (then a number needs + or 00).
  explicit PhoneReader(std::string default_country = {}, PhoneUse use = PhoneUse::recipient);
  /// read writes RAW as E.164 ("+971501234567") into OUT. Digits of any script count; spaces, dots, dashes,
  /// slashes, parentheses and a literal "(0)" are ignored. Without + or an international prefix a number is
  /// national to the default country first; only when it is not valid there and "+DIGITS" is a valid number is it
  /// read as international. A number libphonenumber cannot place in a known range is kept when its length is
  /// possible for its country (the numbering plans move faster than any library's metadata).
  PhoneReading read(std::string_view raw, std::string& out) const;
  const std::string& default_country() const { return country_; }
  /// without_shortcuts is this reader sending every number through libphonenumber's Parse (the tests' reference).
  PhoneReader without_shortcuts() const;

 private:
  std::string country_;
  PhoneUse use_;
  int calling_code_ = 0;      ///< of the default country
  std::string trunk_prefix_;  ///< the default country's national (trunk) prefix, e.g. "0"
  bool dials_00_ = false;     ///< 00 starts an international number in the default country
  bool shortcuts_ = true;
};

/// phone_key packs an E.164 number ("+" and 8-15 digits, the first not 0) into a unique integer.
std::uint64_t phone_key(std::string_view e164);

}  // namespace wfa
