// parse_json_input and read_input_file: the byte and nesting limits, and one-line messages in wfa's words.
#include "core/json_input.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/input_file.hpp"

using namespace wfa;

namespace {

constexpr std::size_t mib = 1u << 20;

/// refusal is the message of the InvalidInputError that parsing TEXT throws ("" when it parses); HINT gets its hint.
std::string refusal(const std::string& text, std::size_t max_bytes = mib, std::string* hint = nullptr) {
  try {
    parse_json_input(text, "batch file", "b.json", max_bytes, "write an array");
  } catch (const InvalidInputError& e) {
    if (hint) *hint = e.hint();
    return e.what();
  }
  return "";
}

std::string nested(int levels) { return std::string(levels, '[') + std::string(levels, ']'); }

}  // namespace

TEST(JsonInput, ParsesWhatIsWithinTheLimits) {
  auto doc = parse_json_input(R"([{"a": 1, "b": [true, null]}])", "batch file", "b.json", mib, "");
  ASSERT_TRUE(doc.is_array());
  EXPECT_EQ(doc[0]["b"][0], true);
  EXPECT_EQ(refusal(nested(max_json_depth)), "") << "64 levels are allowed";
}

TEST(JsonInput, DeepNestingIsOneLineNotACrash) {
  std::string hint;
  auto one_more = refusal(nested(max_json_depth + 1), mib, &hint);
  EXPECT_EQ(one_more, "b.json: batch file nests arrays and objects deeper than 64 levels");
  EXPECT_EQ(hint, "write an array") << "the caller says what the input must be";
  auto deep = refusal(nested(100000));
  EXPECT_EQ(deep, one_more);
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"k\":";
  EXPECT_EQ(refusal(objects + "1" + std::string(100000, '}')), one_more);
}

TEST(JsonInput, MalformedTextNamesTheLineAndColumnInWfasWords) {
  std::string hint;
  auto message = refusal("[\n  {\"a\": tru}\n]", mib, &hint);
  EXPECT_EQ(hint, "write an array");
  EXPECT_EQ(message.rfind("b.json:2:", 0), 0u) << message;
  EXPECT_NE(message.find("batch file is not valid JSON: invalid literal (byte "), std::string::npos) << message;
  EXPECT_EQ(message.find("json.exception"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;

  auto unterminated = refusal("[\"" + std::string(100000, 'x'));
  EXPECT_LT(unterminated.size(), 200u) << "the text read is not quoted back";
  EXPECT_EQ(unterminated.find("json.exception"), std::string::npos) << unterminated;
  EXPECT_NE(refusal("").find("b.json:1:1: batch file is not valid JSON"), std::string::npos);
  EXPECT_NE(refusal("[1e999999]").find("b.json"), std::string::npos);
}

TEST(JsonInput, TextThatIsNotUtf8NamesItsLineAndColumn) {
  std::string hint;
  auto latin1 = refusal("[\n  {\"name\": \"Caf\xe9\"}\n]", mib, &hint);
  EXPECT_EQ(latin1.rfind("b.json:2:", 0), 0u) << latin1;
  EXPECT_NE(latin1.find("batch file is not valid UTF-8 text"), std::string::npos) << latin1;
  EXPECT_EQ(latin1.find("ill-formed"), std::string::npos) << "wfa's words, not the parser's: " << latin1;
  EXPECT_EQ(hint, "save the file as UTF-8");
  EXPECT_NE(refusal("[\"\xed\xa0\x80\"]").find("not valid UTF-8"), std::string::npos) << "a lone surrogate";
  EXPECT_NE(refusal("[\"\xc0\xaf\"]").find("not valid UTF-8"), std::string::npos) << "an overlong encoding";
}

TEST(JsonInput, TooLongTextIsRefusedWithTheLimit) {
  auto message = refusal("[1, 2, 3]", 4);
  EXPECT_EQ(message, "batch file b.json has 9 bytes; the limit is 4 bytes");
  EXPECT_EQ(byte_size(16u << 20), "16 MiB");
  EXPECT_EQ(byte_size(4096), "4 KiB");
  EXPECT_EQ(byte_size(1000), "1000 bytes");
}

TEST(JsonInput, ReadInputFileRefusesALongFileUnread) {
  auto path = std::filesystem::temp_directory_path() / ("wfa-json-input-" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << "[" << std::string(2000, ' ') << "]";
  try {
    read_json_input(path.string(), "batch file", 1024, "");
    ADD_FAILURE() << "a 2002-byte file passed a 1 KiB limit";
  } catch (const InvalidInputError& e) {
    EXPECT_EQ(std::string(e.what()), "batch file " + path.string() + " has 2002 bytes; the limit is 1 KiB");
  }
  EXPECT_TRUE(read_json_input(path.string(), "batch file", 4096, "").is_array());
  std::filesystem::remove(path);
}
