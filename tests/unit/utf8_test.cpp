// pipelines/utf8: one strict reading of UTF-8 for the validator and the decoder, and what each refuses.
#include "pipelines/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace wfa;

namespace {

std::vector<char32_t> decoded(std::string_view text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) out.push_back(next_code_point(text, i));
  return out;
}

}  // namespace

TEST(Utf8, DecodesEveryLengthOfValidSequence) {
  EXPECT_EQ(decoded("a\u00e9\u0639\u65e5\U0001f680"), (std::vector<char32_t>{'a', 0xE9, 0x639, 0x65E5, 0x1F680}));
  EXPECT_EQ(utf8_invalid_at("a\u00e9\u0639\u65e5\U0001f680"), std::string_view::npos);
}

TEST(Utf8, MalformedSequencesNeverBecomeOtherCharacters) {
  struct Case {
    const char* name;
    std::string text;
  } cases[] = {
      {"overlong slash", "\xc0\xaf"},
      {"overlong NUL", "\xc0\x80"},
      {"overlong three bytes", "\xe0\x80\xaf"},
      {"lone high surrogate", "\xed\xa0\x80"},
      {"lone low surrogate", "\xed\xb0\x80"},
      {"above U+10FFFF", "\xf4\x90\x80\x80"},
      {"lone continuation", "\x80"},
      {"truncated", "\xe6\x97"},
      {"five-byte form", "\xf8\x88\x80\x80\x80"},
  };
  for (const auto& c : cases) {
    auto points = decoded(c.text);
    for (char32_t cp : points) {
      EXPECT_EQ(cp, char32_t{0xFFFD}) << c.name;
      EXPECT_NE(cp, char32_t{'/'}) << c.name;
    }
    EXPECT_EQ(points.size(), c.text.size()) << c.name << ": one replacement per byte, each byte read once";
    EXPECT_EQ(utf8_invalid_at(c.text), 0u) << c.name << ": the validator agrees";
  }
  EXPECT_EQ(decoded("a\xc0\xaf"
                    "b"),
            (std::vector<char32_t>{'a', 0xFFFD, 0xFFFD, 'b'}));
}
