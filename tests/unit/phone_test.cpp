// Phone numbers through libphonenumber: national first with a default country, the W3 reference shapes, digits of
// other scripts, service numbers, and a property test that what is accepted is E.164 and reads back to itself.
#include <gtest/gtest.h>

#include <phonenumbers/phonenumberutil.h>

#include <array>
#include <random>
#include <regex>
#include <set>

#include "core/error.hpp"
#include "pipelines/phone.hpp"
#include "pipelines/phone_set.hpp"
#include "pipelines/recipient_mapping.hpp"
#include "pipelines/recipient_rows.hpp"

using namespace wfa;

namespace {

std::string e164(std::string_view raw, const char* country = "AE", PhoneUse use = PhoneUse::recipient) {
  std::string out;
  auto reading = PhoneReader(country ? country : "", use).read(raw, out);
  return reading.problem.empty() ? out : "!" + reading.problem;
}

bool refused(std::string_view raw, const char* country = "AE") { return e164(raw, country).substr(0, 1) == "!"; }

}  // namespace

TEST(Phone, NationalNumbersAreReadAsNationalBeforeAnyCallingCode) {
  // Once read as Sweden (+46) and Belgium (+32): a leading run of digits was tried as a calling code first.
  EXPECT_EQ(e164("(469) 555-0123", "US"), "+14695550123");
  EXPECT_EQ(e164("(323) 555-0123", "US"), "+13235550123");
  // Other area codes that begin like calling codes: 212 (Morocco), 312 (none), 331 (France 33), 441 (UK 44), 971.
  EXPECT_EQ(e164("212 555 0199", "US"), "+12125550199");
  EXPECT_EQ(e164("(331) 555-0123", "US"), "+13315550123");
  EXPECT_EQ(e164("441-555-0123", "US"), "+14415550123");
  EXPECT_EQ(e164("(971) 555-0123", "US"), "+19715550123");
  // A Dubai landline whose leading 0 a spreadsheet dropped, once read as Austria (+43).
  EXPECT_EQ(e164("4 312 3456", "AE"), "+97143123456");
  EXPECT_EQ(e164("2 612 3456", "AE"), "+97126123456") << "Abu Dhabi";
}

TEST(Phone, WithoutAPrefixANumberValidOnlyAsInternationalIsReadAsInternationalAndSaysSo) {
  std::string out;
  PhoneReader ae("AE");
  auto reading = ae.read("1-415-555-2671", out);
  EXPECT_EQ(reading.problem, "");
  EXPECT_EQ(out, "+14155552671");
  EXPECT_TRUE(reading.read_as_international);
  reading = ae.read("050 123 4567", out);
  EXPECT_EQ(out, "+971501234567");
  EXPECT_FALSE(reading.read_as_international);
  reading = ae.read("+44 7911 123456", out);
  EXPECT_FALSE(reading.read_as_international) << "a + says it";
}

TEST(Phone, W3ReferenceShapesWithDefaultCountryAe) {
  const std::pair<const char*, const char*> cases[] = {
      {"+971 50 123 4567", "+971501234567"}, {"00971501234567", "+971501234567"},
      {"(050) 123-4567", "+971501234567"},   {"050-123-4567", "+971501234567"},
      {"971501234567", "+971501234567"},     {"+971-50-123-4567", "+971501234567"},
      {" 050 123 4567 ", "+971501234567"},   {"+971 59 123 4567", "+971591234567"},
      {"+1-415-555-2671", "+14155552671"},   {"+1 (415) 555-2671", "+14155552671"},
      {"001 415 555 2671", "+14155552671"},  {"+1.415.555.2671", "+14155552671"},
      {"1-415-555-2671", "+14155552671"},    {"+966 50 123 4567", "+966501234567"},
      {"00966501234567", "+966501234567"},   {"+44 7911 123456", "+447911123456"},
      {"0044 7911 123456", "+447911123456"}, {"+44(0)7911123456", "+447911123456"},
      {"+91 98765 43210", "+919876543210"},  {"0091987654321 0", "+919876543210"},
  };
  for (const auto& [raw, want] : cases) EXPECT_EQ(e164(raw), want) << raw;
}

TEST(Phone, W3InvalidShapesAreRejected) {
  for (const char* raw :
       {"N/A", "123", "98765", "437630", "+971 50 12", "+1-415-555-0100-123456", "phone", "0000", "call me"})
    EXPECT_TRUE(refused(raw)) << raw << " -> " << e164(raw);
}

TEST(Phone, TrunkPrefixesAndInternationalPrefixesOfEachCountry) {
  EXPECT_EQ(e164("07911 123456", "GB"), "+447911123456");
  EXPECT_EQ(e164("(415) 555-2671", "US"), "+14155552671");
  EXPECT_EQ(e164("1 415 555 2671", "CA"), "+14155552671");
  EXPECT_EQ(e164("011 44 7911 123456", "US"), "+447911123456");
  EXPECT_EQ(e164("06 12 34 56 78", "FR"), "+33612345678");
  EXPECT_EQ(e164("0151 23456789", "DE"), "+4915123456789");
  EXPECT_EQ(e164("312 345 6789", "IT"), "+393123456789") << "Italian mobiles have no trunk prefix";
  EXPECT_EQ(e164("06 1234 5678", "IT"), "+390612345678") << "Italian landlines keep their 0";
  EXPECT_EQ(e164("3312 3456", "QA"), "+97433123456");
  EXPECT_EQ(e164("501234567", "AE"), "+971501234567") << "a national number without its trunk prefix";
  EXPECT_EQ(e164("+44 07911 123456"), "+447911123456") << "a trunk prefix after the country code";
  EXPECT_EQ(e164("+86 138 0013 8000"), "+8613800138000");
}

TEST(Phone, NumbersOutsideKnownRangesPassOnlyWithTheShapeOfTheirCountrysNumbers) {
  EXPECT_EQ(e164("059 123 4567"), "+971591234567") << "a mobile range newer than the library's data";
  EXPECT_EQ(e164("+971 59 123 4567"), "+971591234567");
  EXPECT_NE(e164("12-123456").find("not in any number range"), std::string::npos) << e164("12-123456");
  EXPECT_NE(e164("050 123 456").find("not in any number range"), std::string::npos) << "an 8-digit UAE mobile";
  EXPECT_TRUE(refused("(123) 555-0123", "US")) << "no area code starts with 1";
}

TEST(Phone, LengthsAreCheckedPerCountry) {
  EXPECT_TRUE(refused("+9715012345678"));
  EXPECT_TRUE(refused("+1415555267"));
  EXPECT_TRUE(refused("+1234567890123456"));
  EXPECT_TRUE(refused("+0971501234567"));
  EXPECT_NE(e164("+971 50 12").find("too short"), std::string::npos) << e164("+971 50 12");
}

TEST(Phone, NationalNumbersNeedADefaultCountry) {
  EXPECT_NE(e164("050 123 4567", nullptr).find("--default-country"), std::string::npos)
      << e164("050 123 4567", nullptr);
  EXPECT_EQ(e164("+971 50 123 4567", nullptr), "+971501234567");
  EXPECT_EQ(e164("971501234567", nullptr), "+971501234567") << "valid as +DIGITS";
}

TEST(Phone, DigitsOfOtherScriptsAreDigits) {
  EXPECT_EQ(e164("٠٥٠ ١٢٣ ٤٥٦٧"), "+971501234567") << "Arabic-Indic";
  EXPECT_EQ(e164("۰۵۰ ۱۲۳ ۴۵۶۷"), "+971501234567") << "Persian";
  EXPECT_EQ(e164("０５０ １２３ ４５６７"), "+971501234567") << "full-width";
  EXPECT_EQ(e164("+٩٧١٥٠١٢٣٤٥٦٧"), "+971501234567");
}

TEST(Phone, ServiceNumbersAreNoRecipientsButMayBeContacts) {
  EXPECT_NE(e164("+1 900 555 0123", "US").find("premium-rate"), std::string::npos) << e164("+1 900 555 0123", "US");
  EXPECT_NE(e164("800 4663", "AE").find("toll-free"), std::string::npos) << e164("800 4663", "AE");
  EXPECT_EQ(e164("+1 800 555 0123", "US", PhoneUse::contact), "+18005550123");
}

TEST(Phone, LettersAndOddCharactersAreRefused) {
  EXPECT_EQ(e164("+971 50 123 4567 ext 2"), "!contains letters");
  EXPECT_EQ(e164("1-800-FLOWERS", "US"), "!contains letters");
  EXPECT_TRUE(refused("+971#501234567"));
  EXPECT_TRUE(refused("محمد"));
}

TEST(Phone, CountriesAreTheOnesLibphonenumberKnows) {
  EXPECT_EQ(phone_country("ae"), "AE");
  EXPECT_EQ(phone_country("SE"), "SE");
  EXPECT_EQ(phone_country("XX"), std::nullopt);
  EXPECT_EQ(phone_country("ARE"), std::nullopt);
  EXPECT_EQ(phone_country(""), std::nullopt);
}

TEST(Phone, PropertyAcceptedNumbersAreE164AndReadBackToThemselves) {
  static const std::regex e164_shape(R"(\+[1-9][0-9]{1,14})");
  const std::vector<std::string> pieces = {"0", "1", "2", "3",  "4",   "5",  "6", "7",   "8", "9", " ",  "-", "(",
                                           ")", ".", "+", "00", "971", "44", "1", "(0)", "٥", "۵", "５", "x", "#"};
  std::mt19937 rng(20261206);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string raw;
    for (int n = std::uniform_int_distribution<int>(0, 18)(rng); n > 0; --n)
      raw += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
    for (const char* country : {"AE", "US", ""}) {
      std::string out, slow_out;
      PhoneReader reader(country);
      auto reading = reader.read(raw, out);
      auto slow = reader.without_shortcuts().read(raw, slow_out);
      ASSERT_EQ(reading.problem, slow.problem) << raw << " (" << country << ")";
      if (!reading.problem.empty()) continue;
      ASSERT_EQ(out, slow_out) << raw << " (" << country << ")";
      ++accepted;
      ASSERT_TRUE(std::regex_match(out, e164_shape)) << raw << " -> " << out;
      std::string again;
      ASSERT_EQ(reader.read(out, again).problem, "") << raw << " -> " << out;
      ASSERT_EQ(again, out) << raw;
      ASSERT_NE(phone_key(out), 0u);
    }
  }
  EXPECT_GT(accepted, 1000) << "the generator should produce numbers, not only noise";
}

TEST(Phone, ShortcutsGiveParsesAnswerForEveryExampleNumberOfEveryCountry) {
  using Util = i18n::phonenumbers::PhoneNumberUtil;
  const auto& u = *Util::GetInstance();
  std::set<std::string> regions;
  u.GetSupportedRegions(&regions);
  int compared = 0;
  for (const auto& region : regions) {
    PhoneReader home(region), ae("AE");
    PhoneReader home_slow = home.without_shortcuts(), ae_slow = ae.without_shortcuts();
    for (auto type : {Util::FIXED_LINE, Util::MOBILE, Util::TOLL_FREE, Util::PREMIUM_RATE, Util::VOIP, Util::UAN}) {
      i18n::phonenumbers::PhoneNumber example;
      if (!u.GetExampleNumberForType(region, type, &example)) continue;
      for (int last = 0; last < 10; last += 4) {
        auto number = example;
        number.set_national_number(number.national_number() / 10 * 10 + static_cast<std::uint64_t>(last));
        for (int format = 0; format < 5; ++format) {
          std::string text;
          if (format < 3)
            u.Format(number, std::array{Util::E164, Util::NATIONAL, Util::INTERNATIONAL}[format], &text);
          else  // as dialled from abroad: 00 44 ... from the UAE, 011 44 ... from the US
            u.FormatOutOfCountryCallingNumber(number, format == 3 ? "AE" : "US", &text);
          for (auto* pair : {&home, &ae}) {
            const auto& slow = pair == &home ? home_slow : ae_slow;
            std::string fast_out, slow_out;
            auto fast_reading = pair->read(text, fast_out), slow_reading = slow.read(text, slow_out);
            ASSERT_EQ(fast_reading.problem, slow_reading.problem) << region << " " << text;
            if (fast_reading.problem.empty()) {
              ASSERT_EQ(fast_out, slow_out) << region << " " << text;
            }
            ++compared;
          }
        }
      }
    }
  }
  EXPECT_GT(compared, 5000);
}

TEST(PhoneSet, RemembersTheFirstLine) {
  PhoneSet seen;
  EXPECT_EQ(seen.insert(phone_key("+971501234567"), PhoneSet::existing_line), 0u);
  EXPECT_EQ(seen.insert(phone_key("+971501234567"), 9), 1u) << "already in the database";
  for (std::uint32_t i = 0; i < 200000; ++i) EXPECT_EQ(seen.insert(14155550000ULL + i, i + 2), 0u);
  EXPECT_EQ(seen.insert(14155550000ULL + 777, 5), 780u) << "line 779 plus one";
  EXPECT_EQ(seen.size(), 200001u);
}

TEST(RecipientFields, EmailSyntax) {
  for (const char* ok : {"a@b.co", "jose.garcia123@gmail.com", "x+tag@sub.example.ae", "ü@exämple.de"})
    EXPECT_EQ(email_problem(ok), "") << ok;
  for (const char* bad : {"", "a", "a@", "@b.co", "a@b", "a@b.c", "a b@c.de", "a@@b.de", "a..b@c.de", ".a@b.de",
                          "a@-b.de", "a@b..de", "a@.b.c", "a@b_c.de"})
    EXPECT_NE(email_problem(bad), "") << bad;
}

TEST(RecipientMapping, AutoMapsCommonHeadersAndKeepsTheRestAsVariables) {
  std::vector<std::string_view> header{"Mobile",  "First Name", "SURNAME",  "E-Mail",
                                       "Company", "Time Zone",  "var_plan", "Notes"};
  auto m = map_columns(header, {{}, {"Notes"}, "f.csv", "--map", "--skip"});
  EXPECT_EQ(m.field_column[0], 0u);
  EXPECT_EQ(m.field_column[1], 1u);
  EXPECT_EQ(m.field_column[2], 2u);
  EXPECT_EQ(m.field_column[4], 3u);
  EXPECT_EQ(m.field_column[5], 4u);
  EXPECT_EQ(m.field_column[6], 5u);
  ASSERT_EQ(m.variables.size(), 1u);
  EXPECT_EQ(m.variables[0].second, "plan");
}

TEST(RecipientMapping, HeadersInFrenchGermanSpanishAndArabicAreMapped) {
  auto phone_of = [](std::vector<std::string_view> header) {
    return map_columns(header, {{}, {}, "f.csv", "--map", "--skip"}).field_column[0];
  };
  for (std::string_view h : {"Mobile No.", "WhatsApp Number", "T\xC3\xA9l\xC3\xA9phone", "Handynummer",
                             "Tel\xC3\xA9"
                             "fono",
                             "\xD8\xB1\xD9\x82\xD9\x85 \xD8\xA7\xD9\x84\xD8\xAC\xD9\x88\xD8\xA7\xD9\x84"})
    EXPECT_EQ(phone_of({"Notes", h}), 1u) << h;
  auto m = map_columns({"Pr\xC3\xA9nom", "Nom de famille", "Soci\xC3\xA9t\xC3\xA9", "Courriel", "Portable"},
                       {{}, {}, "f.csv", "--map", "--skip"});
  EXPECT_EQ(m.field_column[0], 4u);
  EXPECT_EQ(m.field_column[1], 0u);
  EXPECT_EQ(m.field_column[2], 1u);
  EXPECT_EQ(m.field_column[4], 3u);
  EXPECT_EQ(m.field_column[5], 2u);
  EXPECT_TRUE(m.variables.empty());
}

TEST(RecipientMapping, AColumnNamedTwiceIsRefusedWithBothPositions) {
  try {
    map_columns({"phone", "Name", "E-Mail", "e_mail"}, {{}, {}, "f.csv", "--map", "--skip"});
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("f.csv:1: column 'e_mail' appears twice (columns 3 and 4)"), std::string::npos)
        << e.what();
  }
}

TEST(RecipientMapping, MapOverridesAndErrorsNameTheColumns) {
  std::vector<std::string_view> header{"Tel1", "Tel2", "Who"};
  auto m = map_columns(header, {{"phone=Tel2", "full_name=who"}, {}, "f.csv", "--map", "--skip"});
  EXPECT_EQ(m.field_column[0], 1u);
  EXPECT_EQ(m.field_column[3], 2u);
  ASSERT_EQ(m.variables.size(), 1u);
  EXPECT_EQ(m.variables[0].second, "tel1");
  EXPECT_THROW(map_columns(header, {{"phone=Nope"}, {}, "f.csv", "--map", "--skip"}), InvalidInputError);
  EXPECT_THROW(map_columns(header, {{"colour=Tel1"}, {}, "f.csv", "--map", "--skip"}), InvalidInputError);
  try {
    map_columns(header, {{}, {}, "f.csv", "--map", "--skip"});
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("f.csv has no phone column (columns: Tel1, Tel2, Who)"), std::string::npos)
        << e.what();
  }
}
