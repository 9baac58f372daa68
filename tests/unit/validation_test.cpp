#include "core/validation.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace wfa;

namespace {

bool accepted(std::string (*check)(std::string_view, std::string_view), std::string_view value) {
  try {
    check("field", value);
    return true;
  } catch (const InvalidInputError&) {
    return false;
  }
}

}  // namespace

TEST(Validation, Slugs) {
  const std::string longest(63, 'a'), too_long(64, 'a');
  for (const std::string& good :
       {std::string("a"), std::string("acme"), std::string("acme-2"), std::string("0day"), longest})
    EXPECT_TRUE(accepted(check_slug, good)) << good;
  for (const std::string& bad : {std::string(""), std::string("Acme"), std::string("-acme"), std::string("acme-"),
                                 std::string("ac_me"), std::string("ac.me"), std::string("acmé"), too_long})
    EXPECT_FALSE(accepted(check_slug, bad)) << bad;
}

TEST(Validation, HostnamesFollowRfc1123AndAreNormalised) {
  EXPECT_EQ(check_hostname("host", "App.Example.COM."), "app.example.com");
  for (auto good : {"a.co", "x-1.example.org", "xn--bcher-kva.example"})
    EXPECT_TRUE(accepted(check_hostname, good)) << good;
  std::string long_label = std::string(64, 'a') + ".com";
  std::string too_long;
  for (int i = 0; i < 51; ++i) too_long += "abcd.";  // 258 characters
  too_long += "com";
  for (auto bad : {"", "localhost", "https://a.com", "a.com/path", "a.com:8080", "a_b.com", "-a.com", "a-.com",
                   "a..com", "1.2.3.4", long_label.c_str(), too_long.c_str()})
    EXPECT_FALSE(accepted(check_hostname, bad)) << bad;
}

TEST(Validation, InternationalisedHostnamesAreKeptAsTheirALabel) {
  EXPECT_EQ(check_hostname("host", "bücher.de"), "xn--bcher-kva.de");
  EXPECT_EQ(check_hostname("host", "BÜCHER.de"), "xn--bcher-kva.de") << "UTS #46 maps case first";
  EXPECT_EQ(check_hostname("host", "faß.de"), "xn--fa-hia.de") << "non-transitional: ß stays ß";
  EXPECT_EQ(check_hostname("host", "مثال.إختبار"), "xn--mgbh0fb.xn--kgbechtv");
  EXPECT_EQ(check_hostname("host", "xn--bcher-kva.de"), "xn--bcher-kva.de");
  EXPECT_EQ(check_hostname("host", "a\u200b.de"), "a.de") << "UTS #46 maps a zero-width space away, as browsers do";
  EXPECT_EQ(check_hostname("host", "\u00ff.de"), "xn--wda.de");
  for (auto bad : {"xn--zzzz-zzz.de", "b\u00fccher\u2028.de", "b\u00fccher.de/x", "\xff.de", "xn--.de"})
    EXPECT_FALSE(accepted(check_hostname, bad)) << bad;
}

TEST(Validation, ReservedSubdomains) {
  EXPECT_TRUE(is_reserved_subdomain("www"));
  EXPECT_TRUE(is_reserved_subdomain("admin"));
  EXPECT_FALSE(is_reserved_subdomain("acme"));
}

TEST(Validation, EmailsColoursUuidsTimestamps) {
  EXPECT_EQ(check_email("email", "Sara@Example.COM"), "sara@example.com");
  for (auto bad : {"", "sara", "sara@", "@example.com", "sara@example", "a b@example.com", "a@b@example.com",
                   "a..b@example.com", ".ab@example.com", "ab.@example.com", "ab@-example.com", "ab@example-.com",
                   "ab@ex_ample.com", "ab@example.123", "a(b)@example.com", "ab@example..com"})
    EXPECT_FALSE(accepted(check_email, bad)) << bad;
  EXPECT_FALSE(accepted(check_email, std::string(65, 'a') + "@example.com")) << "a name over 64 characters";
  EXPECT_FALSE(accepted(check_email, "a@" + std::string(250, 'b') + ".com")) << "over 254 characters";
  for (auto good : {"o'brien+tag@mail.example.co.uk", "a_b-c.d@x-y.example", "josé@example.com"})
    EXPECT_TRUE(accepted(check_email, good)) << good;
  EXPECT_EQ(check_color("color", "#0b5fa5"), "#0B5FA5");
  for (auto bad : {"0B5FA5", "#0B5FA", "#0B5FA5F", "#GGGGGG", "blue"}) EXPECT_FALSE(accepted(check_color, bad)) << bad;
  EXPECT_TRUE(is_uuid("0b6c2a4e-5f0e-4f5e-9d1a-3f3b1c2d4e5f"));
  EXPECT_FALSE(is_uuid("0b6c2a4e5f0e4f5e9d1a3f3b1c2d4e5f"));
  EXPECT_FALSE(is_uuid("acme"));
  for (auto good : {"2026-01-31", "2026-01-31T12:00", "2026-01-31 12:00:00", "2026-01-31T12:00:00.123Z",
                    "2026-01-31T12:00:00+04:00", "2026-01-31T12:00:00-0500", "2026-01-31T12:00:00+04"})
    EXPECT_TRUE(accepted(check_timestamp, good)) << good;
  for (auto bad :
       {"", "yesterday", "2026-1-31", "2026-01-31T", "2026-01-31T12", "2026-01-31T12:00:00ZZ", "2026-01-31T12:00:00.Z"})
    EXPECT_FALSE(accepted(check_timestamp, bad)) << bad;
}
