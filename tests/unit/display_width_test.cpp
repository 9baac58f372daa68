#include <gtest/gtest.h>

#include <string>

#include "cli/display_width.hpp"

namespace wfa {
namespace {

struct WidthCase {
  const char* name;
  std::string text;
  std::size_t width;
};

class DisplayWidthTest : public ::testing::TestWithParam<WidthCase> {};

TEST_P(DisplayWidthTest, CountsTerminalColumns) {
  EXPECT_EQ(display_width(GetParam().text), GetParam().width) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DisplayWidthTest,
    ::testing::Values(
        WidthCase{"empty", "", 0}, WidthCase{"ascii", "hello, world", 12},
        WidthCase{"e_acute_precomposed", "\u00e9", 1}, WidthCase{"e_plus_combining_acute", "e\u0301", 1},
        WidthCase{"cafe_both_forms_equal", "caf\u00e9 cafe\u0301", 9},
        WidthCase{"combining_extended_ranges", "a\u1ab0\u1dc0\u20d0\ufe20", 1}, WidthCase{"japanese", "日本", 4},
        WidthCase{"hiragana_katakana", "のタイトル", 10}, WidthCase{"korean", "한국어", 6},
        WidthCase{"hangul_jamo", "\u1100", 2}, WidthCase{"fullwidth_latin", "\uff21", 2}, WidthCase{"emoji", "😀", 2},
        WidthCase{"emoji_supplemental", "🤖", 2}, WidthCase{"zero_width_joiner_alone", "\u200d", 0},
        WidthCase{"zwj_sequence_counts_parts", "👨\u200d👩", 4}, WidthCase{"variation_selector", "\u2764\ufe0f", 1},
        WidthCase{"bom_and_word_joiner", "\ufeffa\u2060", 1}, WidthCase{"arabic", "مرحبا", 5},
        WidthCase{"cjk_extension_b", "\U00020000", 2}, WidthCase{"invalid_lone_byte", "\xff", 1},
        WidthCase{"invalid_inside_ascii",
                  "a\xff"
                  "b",
                  3},
        WidthCase{"lone_continuation", "\x80\x80", 2}, WidthCase{"truncated_sequence", "\xe6\x97", 2},
        WidthCase{"truncated_at_end_after_text", "ab\xf0\x9f\x98", 5}, WidthCase{"overlong_slash", "\xc0\xaf", 2},
        WidthCase{"arabic_with_harakat", "مُحَمَّد", 4},
        WidthCase{"thai_with_tone_marks", "กิ่", 1}, WidthCase{"devanagari_vowel_sign", "के", 1},
        WidthCase{"rocket", "🚀", 2}, WidthCase{"star", "⭐", 2}, WidthCase{"flag_pair", "🇦🇪", 2},
        WidthCase{"encoded_surrogate", "\xed\xa0\x80", 3}, WidthCase{"above_max_code_point", "\xf4\x90\x80\x80", 4}),
    [](const ::testing::TestParamInfo<WidthCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace wfa
