// Property tests of the parsers users feed: random inputs never crash, every refusal is a wfa error, and whatever
// is accepted is returned in a normal form that reads back to itself (hostnames, URLs, TOML values, UTF-8).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/url.hpp"
#include "core/utf8.hpp"
#include "core/validation.hpp"
#include "pipelines/utf8.hpp"

using namespace wfa;

namespace {

std::string pick_pieces(std::mt19937& rng, const std::vector<std::string>& pieces, int max_count) {
  std::string out;
  for (int n = std::uniform_int_distribution<int>(0, max_count)(rng); n > 0; --n)
    out += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
  return out;
}

std::string utf8_of(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6)), out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12)), out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18)), out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F)), out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

}  // namespace

TEST(ParserProperty, HostnamesAreIdempotentAndTheirULabelReadsBackToTheALabel) {
  const std::vector<std::string> pieces = {
      "a", "Z", "0",         "9",    "-",       ".",    "..",       "_", "xn--",
      "ü", "ß", "مثال",      "中文", "example", ".com", " ",        "ǅ", "\xE2\x80\x8D",
      "ﬁ", "İ", "e\xCC\x81", "-.",   "1.2",     ".de",  "\xC0\xAF", "é"};
  std::mt19937 rng(42);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    auto raw = pick_pieces(rng, pieces, 8);
    std::string host;
    try {
      host = check_hostname("host", raw);
    } catch (const InvalidInputError&) {
      continue;
    }
    ++accepted;
    ASSERT_EQ(check_hostname("host", host), host) << raw;
    ASSERT_EQ(utf8_invalid_at(host), std::string::npos) << raw;
    ASSERT_EQ(host.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ _"), std::string::npos) << raw << " -> " << host;
    auto shown = hostname_for_display(host);
    ASSERT_EQ(check_hostname("host", shown), host) << raw << " -> " << host << " shown as " << shown;
  }
  EXPECT_GT(accepted, 500);
}

TEST(ParserProperty, HttpsUrlsComeBackNormalisedAndStable) {
  const std::vector<std::string> schemes = {"https://", "HTTPS://", "http://", "", "https:///", "https://@"};
  const std::vector<std::string> hosts = {"cdn", ".example", ".com", "ü", "CDN", "-", "..", "user:pw@", "[::1]", "1"};
  const std::vector<std::string> tails = {":443", ":8443", "/",  "/logo.png", "?v=1", "#x",
                                          "%20",  " ",     "\\", "@",         "//",   "/ü"};
  std::mt19937 rng(7);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    auto raw = schemes[std::uniform_int_distribution<std::size_t>(0, schemes.size() - 1)(rng)] +
               pick_pieces(rng, hosts, 4) + pick_pieces(rng, tails, 3);
    std::string url;
    try {
      url = check_https_url("--logo", raw, "give an https:// URL");
    } catch (const InvalidInputError&) {
      continue;
    }
    ++accepted;
    ASSERT_EQ(url.rfind("https://", 0), 0u) << raw << " -> " << url;
    ASSERT_EQ(check_https_url("--logo", url, ""), url) << raw;
    auto authority = url.substr(8, url.find_first_of("/?#", 8) - 8);
    ASSERT_EQ(authority.find('@'), std::string::npos) << "no credentials: " << raw << " -> " << url;
  }
  EXPECT_GT(accepted, 200);
}

TEST(ParserProperty, TomlStringsOfAnyTextReadBackExactlyAndGarbageIsAnError) {
  auto path = std::filesystem::temp_directory_path() / ("wfa-prop-" + std::to_string(getpid()) + ".toml");
  std::mt19937 rng(11);
  const std::vector<char32_t> alphabet = {U'a', U'"', U'\\', U'\n', U'\r', U'\t', U'\x01', U'\x7F', U'#', U'=',
                                          U'[', U'é', U'م',  U'中', U'🚀',  U' ',  U'\'',   U'u',    U'0'};
  for (int i = 0; i < 2000; ++i) {
    std::string value, escaped;
    for (int n = std::uniform_int_distribution<int>(0, 12)(rng); n > 0; --n) {
      char32_t c = alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng)];
      value += utf8_of(c);
      if (c == U'"' || c == U'\\') {
        escaped += '\\', escaped += static_cast<char>(c);
      } else if (c < 0x20 || c == 0x7F) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\u%04X", static_cast<unsigned>(c));
        escaped += hex;
      } else {
        escaped += utf8_of(c);
      }
    }
    std::ofstream(path, std::ios::trunc | std::ios::binary) << "# generated\n\nactor = \"" << escaped << "\"\n";
    std::map<std::string, std::pair<std::string, int>> settings;
    try {
      settings = parse_config_file(path);
    } catch (const Error& e) {
      FAIL() << escaped << ": " << e.what();
    }
    ASSERT_EQ(settings.at("actor").first, value) << escaped;
    ASSERT_EQ(settings.at("actor").second, 3);
  }
  const std::vector<std::string> pieces = {"a", " = ",  "\"",     "'",    "[",   "]",          "\n",
                                           "1", "true", "#",      "\\",   "=",   "{",          "}",
                                           ",", ".",    "\"\"\"", "\xFF", "x.y", "1979-05-27", "inf"};
  for (int i = 0; i < 3000; ++i) {
    auto text = pick_pieces(rng, pieces, 12);
    std::ofstream(path, std::ios::trunc | std::ios::binary) << text;
    try {
      for (const auto& [key, setting] : parse_config_file(path)) {
        ASSERT_FALSE(key.empty()) << text;
        ASSERT_GE(setting.second, 1) << text;
      }
    } catch (const Error& e) {
      ASSERT_NE(std::string(e.what()).find(path.string()), std::string::npos) << "errors name the file: " << e.what();
    }
  }
  std::filesystem::remove(path);
}

TEST(ParserProperty, Utf8ValidationAndDecodingAgreeOnRandomBytes) {
  std::mt19937 rng(3);
  const std::vector<std::string> pieces = {"a",
                                           "\xC3\xA9",
                                           "\xE2\x82\xAC",
                                           "\xF0\x9F\x9A\x80",
                                           "\xC0\xAF",
                                           "\xED\xA0\x80",
                                           "\xF4\x90\x80\x80",
                                           "\x80",
                                           "\xC3",
                                           "\xE2\x82",
                                           "\xFF",
                                           "\xEF\xBB\xBF",
                                           std::string(1, '\0'),
                                           "\xF8\x88\x80\x80\x80"};
  for (int i = 0; i < 30000; ++i) {
    auto text = pick_pieces(rng, pieces, 8);
    auto bad = utf8_invalid_at(text);
    if (bad == std::string::npos) {
      std::string again;
      for (std::size_t at = 0; at < text.size();) {
        char32_t c = next_code_point(text, at);
        ASSERT_FALSE(c >= 0xD800 && c <= 0xDFFF) << "a surrogate decoded";
        ASSERT_LE(c, 0x10FFFFu);
        again += utf8_of(c);
      }
      ASSERT_EQ(again, text) << "valid text re-encodes to itself";
    } else {
      ASSERT_LT(bad, text.size());
      ASSERT_EQ(utf8_invalid_at(text.substr(0, bad)), std::string::npos) << "everything before the error is valid";
    }
  }
}
