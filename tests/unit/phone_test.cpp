// E.164 normalisation against the numbering-plan table, and the W3 reference shapes.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "pipelines/phone.hpp"
#include "pipelines/phone_set.hpp"
#include "pipelines/recipient_mapping.hpp"
#include "pipelines/recipient_rows.hpp"

using namespace wfa;

namespace {

std::string e164(std::string_view raw, const char* country = "AE") {
  std::string out;
  auto why = normalize_phone(raw, country ? find_plan(country) : nullptr, out);
  return why.empty() ? out : "!" + std::string(why);
}

}  // namespace

TEST(Phone, W3ReferenceShapesWithDefaultCountryAe) {
  const std::pair<const char*, const char*> cases[] = {
      {"+971 50 123 4567", "+971501234567"}, {"00971501234567", "+971501234567"},
      {"(050) 123-4567", "+971501234567"},   {"050-123-4567", "+971501234567"},
      {"971501234567", "+971501234567"},     {"+971-50-123-4567", "+971501234567"},
      {" 050 123 4567 ", "+971501234567"},   {"+1-415-555-1234", "+14155551234"},
      {"+1 (415) 555-1234", "+14155551234"}, {"001 415 555 1234", "+14155551234"},
      {"+1.415.555.1234", "+14155551234"},   {"1-415-555-1234", "+14155551234"},
      {"+966 50 123 4567", "+966501234567"}, {"00966501234567", "+966501234567"},
      {"+44 7911 123456", "+447911123456"},  {"0044 7911 123456", "+447911123456"},
      {"+44(0)7911123456", "+447911123456"}, {"+91 98765 43210", "+919876543210"},
      {"0091987654321 0", "+919876543210"},
  };
  for (const auto& [raw, want] : cases) EXPECT_EQ(e164(raw), want) << raw;
}

TEST(Phone, W3InvalidShapesAreRejected) {
  for (const char* raw :
       {"", "N/A", "123", "98765", "437630", "+971 50 12", "+1-415-555-0100-123456", "phone", "0000", "call me"})
    EXPECT_EQ(e164(raw).substr(0, 1), "!") << raw << " -> " << e164(raw);
}

TEST(Phone, TrunkPrefixesComeFromTheTable) {
  EXPECT_EQ(e164("07911 123456", "GB"), "+447911123456");
  EXPECT_EQ(e164("(415) 555-1234", "US"), "+14155551234");
  EXPECT_EQ(e164("1 415 555 1234", "CA"), "+14155551234");
  EXPECT_EQ(e164("011 44 7911 123456", "US"), "+447911123456");
  EXPECT_EQ(e164("06 12 34 56 78", "FR"), "+33612345678");
  EXPECT_EQ(e164("0151 23456789", "DE"), "+4915123456789");
  EXPECT_EQ(e164("3123456789", "IT"), "+393123456789") << "Italy has no trunk prefix";
  EXPECT_EQ(e164("5555 1234", "QA"), "+97455551234");
  EXPECT_EQ(e164("501234567", "AE"), "+971501234567") << "a national number without its trunk prefix";
  EXPECT_EQ(e164("+44 07911 123456"), "+447911123456") << "a trunk prefix after the country code";
}

TEST(Phone, LengthsAreCheckedForKnownCountries) {
  EXPECT_EQ(e164("+9715012345678").substr(0, 1), "!");
  EXPECT_EQ(e164("+1415555123").substr(0, 1), "!");
  EXPECT_EQ(e164("+86 138 0013 8000"), "+8613800138000") << "countries outside the table: 8-15 digits";
  EXPECT_EQ(e164("+1234567890123456").substr(0, 1), "!");
  EXPECT_EQ(e164("+0971501234567").substr(0, 1), "!");
}

TEST(Phone, NationalNumbersNeedADefaultCountry) {
  EXPECT_EQ(e164("050 123 4567", nullptr).substr(0, 1), "!");
  EXPECT_EQ(e164("+971 50 123 4567", nullptr), "+971501234567");
  EXPECT_EQ(e164("971501234567", nullptr), "+971501234567");
}

TEST(Phone, LettersAndOddCharactersAreRefused) {
  EXPECT_EQ(e164("+971 50 123 4567 ext 2"), "!contains letters");
  EXPECT_EQ(e164("+971#501234567").substr(0, 1), "!");
}

TEST(Phone, FindPlanIgnoresCase) {
  ASSERT_NE(find_plan("ae"), nullptr);
  EXPECT_EQ(find_plan("ae")->calling_code, "971");
  EXPECT_EQ(find_plan("XX"), nullptr);
  EXPECT_EQ(find_plan("ARE"), nullptr);
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
