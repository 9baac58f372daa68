#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/display_width.hpp"
#include "cli/render.hpp"

namespace wfa {
namespace {

std::size_t display_width_of(const std::string& line) { return display_width(line); }

std::string rendered(const Result& result, OutputFormat format, bool color = false, int schema_version = 1) {
  std::ostringstream out;
  render(result, RenderOptions{format, color, schema_version}, out);
  return out.str();
}

/// A result with fields and one table of multilingual text: Arabic, accented, CJK and emoji.
Result sample() {
  Result result;
  result.fields = {{"id", 42},
                   {"name", "Café"},
                   {"active", true},
                   {"closes_at", Cell::time("2026-11-22T04:39:58Z")},
                   {"note", Cell::null()}};
  result.tables.push_back(Table{"proposals",
                                {"id", "title", "lang", "ok"},
                                {{1, "مرحبا بالعالم", "ar", true},
                                 {2, "Crème brûlée", "fr", false},
                                 {3, "日本語のタイトル", "ja", Cell()},
                                 {4, "Party 🎉", "en", true}}});
  result.message = "4 proposals";
  return result;
}

TEST(OutputFormatTest, ParsesExactNamesOnly) {
  for (auto format : {OutputFormat::table, OutputFormat::plain, OutputFormat::json, OutputFormat::ndjson,
                      OutputFormat::csv, OutputFormat::wide})
    EXPECT_EQ(parse_output_format(output_format_name(format)), format);
  EXPECT_EQ(output_format_name(OutputFormat::ndjson), "ndjson");
  EXPECT_FALSE(parse_output_format("JSON"));
  EXPECT_FALSE(parse_output_format(""));
  EXPECT_FALSE(parse_output_format("yaml"));
}

TEST(OutputFormatTest, DefaultsAndColourFollowTheTerminal) {
  EXPECT_EQ(default_output_format(true), OutputFormat::table);
  EXPECT_EQ(default_output_format(false), OutputFormat::plain);
  EXPECT_TRUE(use_color(true, nullptr, "xterm-256color"));
  EXPECT_TRUE(use_color(true, "", nullptr));
  EXPECT_FALSE(use_color(false, nullptr, "xterm"));
  EXPECT_FALSE(use_color(true, "1", "xterm"));
  EXPECT_FALSE(use_color(true, nullptr, "dumb"));
}

TEST(CellTest, KindsAndText) {
  EXPECT_EQ(Cell().kind(), Cell::Kind::null);
  EXPECT_EQ(Cell::null().to_text(), "");
  EXPECT_EQ(Cell(static_cast<const char*>(nullptr)).kind(), Cell::Kind::null);
  EXPECT_EQ(Cell(true).to_text(), "true");
  EXPECT_EQ(Cell(false).to_text(), "false");
  EXPECT_EQ(Cell(false).kind(), Cell::Kind::boolean);
  EXPECT_EQ(Cell(-7).kind(), Cell::Kind::integer);
  EXPECT_EQ(Cell(std::int64_t{9007199254740993}).to_text(), "9007199254740993");
  EXPECT_EQ(Cell("x").kind(), Cell::Kind::text);
  EXPECT_EQ(Cell(std::string("y")).to_text(), "y");
  EXPECT_EQ(Cell::time("2026-11-22T04:39:58Z").kind(), Cell::Kind::time);
  EXPECT_EQ(Cell::time("2026-11-22T04:39:58Z").to_text(), "2026-11-22T04:39:58Z");
  EXPECT_EQ(Cell::json("{ \"a\" : [1, 2] }").kind(), Cell::Kind::json);
  EXPECT_EQ(Cell::json("{ \"a\" : [1, 2] }").to_text(), R"({"a":[1,2]})");
  EXPECT_EQ(Cell::json("{not json").to_text(), "{not json");
}

TEST(TableFormatTest, AlignsFieldsAndColumnsByDisplayWidth) {
  std::string expected =
      "id:        42\n"
      "name:      Café\n"
      "active:    true\n"
      "closes_at: 2026-11-22T04:39:58Z\n"
      "note:\n"
      "\n"
      "ID  TITLE             LANG  OK\n"
      "1   مرحبا بالعالم     ar    true\n"
      "2   Crème brûlée      fr    false\n"
      "3   日本語のタイトル  ja\n"
      "4   Party 🎉          en    true\n";
  EXPECT_EQ(rendered(sample(), OutputFormat::table), expected);
}

TEST(TableFormatTest, CombiningMarksAlignLikePrecomposed) {
  Result result;
  result.tables.push_back(Table{"items", {"name", "n"}, {{"Cre\u0300me", 1}, {"Crème", 2}}});
  EXPECT_EQ(rendered(result, OutputFormat::table),
            "NAME   N\n"
            "Cre\u0300me  1\n"
            "Crème  2\n");
}

TEST(TableFormatTest, BoldHeadersOnlyWithColour) {
  Result result;
  result.fields = {{"ok", true}};
  result.tables.push_back(Table{"items", {"id", "state"}, {{1, "open"}}});
  EXPECT_EQ(rendered(result, OutputFormat::table, true),
            "ok: true\n"
            "\n"
            "\x1b[1mID  STATE\x1b[0m\n"
            "1   open\n");
  EXPECT_EQ(rendered(result, OutputFormat::table, false).find('\x1b'), std::string::npos);
}

TEST(TableFormatTest, NewlinesInCellsStayOnOneLineAndMultipleTablesAreSeparated) {
  Result result;
  result.tables.push_back(Table{"a", {"x"}, {{"one\ntwo"}}});
  result.tables.push_back(Table{"b", {"y", "z"}, {}});
  EXPECT_EQ(rendered(result, OutputFormat::table),
            "X\n"
            "one two\n"
            "\n"
            "Y  Z\n");
}

/// A list as verbs return it: the record's id, text, a reference, a JSON object, and a raw amount for programs.
Result wide_sample() {
  Result result;
  Table table{
      "items",
      {"id", "name", "note", "workspace_id", "settings", "amount_minor"},
      {{"5b2f0c3e-2222-4d6e-8f90-1a2b3c4d5e6f", "Sheikh Zayed Road — the long northbound approach",
        "مرحبا بالعالم، هذا نص طويل جدا", "a1b2c3d4-0000-4000-8000-000000000001", Cell::json(R"({"a":1})"), 120000}},
      1};
  result.tables.push_back(table);
  return result;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(TableFormatTest, TableLeavesReferencesAndJsonToWideAndFitsTheWidth) {
  auto result = wide_sample();
  std::ostringstream out;
  render(result, RenderOptions{OutputFormat::table, false, 1, false, false, 60}, out);
  auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 2u) << out.str();
  EXPECT_EQ(lines[0].rfind("ID", 0), 0u);
  EXPECT_EQ(lines[0].find("WORKSPACE_ID"), std::string::npos) << "references are for -o wide";
  EXPECT_EQ(lines[0].find("SETTINGS"), std::string::npos) << "JSON objects are for -o wide";
  EXPECT_EQ(lines[0].find("AMOUNT_MINOR"), std::string::npos) << "machine columns are for programs";
  for (const auto& line : lines) EXPECT_LE(display_width_of(line), 60u) << line;
  EXPECT_NE(lines[1].find("5b2f0c3e-2222-4d6e-8f90-1a2b3c4d5e6f"), std::string::npos) << "the id is never cut";
  EXPECT_NE(lines[1].find("\u2026"), std::string::npos) << "a shortened cell ends in an ellipsis";

  std::ostringstream wide;
  render(result, RenderOptions{OutputFormat::wide, false, 1, false, false, 60}, wide);
  auto wide_lines = lines_of(wide.str());
  auto at = [&](const char* column) { return wide_lines[0].find(column); };
  EXPECT_LT(at("NOTE"), at("WORKSPACE_ID")) << wide.str();
  EXPECT_LT(at("WORKSPACE_ID"), at("SETTINGS"));
  EXPECT_LT(at("SETTINGS"), at("AMOUNT_MINOR"));
  EXPECT_NE(at("AMOUNT_MINOR"), std::string::npos);
  EXPECT_NE(wide_lines[1].find("Sheikh Zayed Road — the long northbound approach"), std::string::npos);
  EXPECT_NE(wide_lines[1].find("{\"a\":1}"), std::string::npos);

  std::ostringstream unlimited;
  render(result, RenderOptions{OutputFormat::table, false, 1, false, false, 0}, unlimited);
  EXPECT_EQ(unlimited.str().find("\u2026"), std::string::npos) << "no width, nothing shortened";
  EXPECT_EQ(rendered(result, OutputFormat::plain).find("\u2026"), std::string::npos) << "plain is never shortened";
}

TEST(TableFormatTest, TerminalWidthComesFromColumnsThenTheTerminal) {
  EXPECT_EQ(terminal_width(false, "132"), 132u);
  EXPECT_EQ(terminal_width(false, nullptr), 0u) << "a pipe has no width";
  EXPECT_EQ(terminal_width(false, "wide"), 0u);
  EXPECT_EQ(terminal_width(false, "-5"), 0u);
}

TEST(TableFormatTest, EmptyResultWritesNothing) {
  EXPECT_EQ(rendered(Result{}, OutputFormat::table), "");
  EXPECT_EQ(rendered(Result{}, OutputFormat::plain), "");
  EXPECT_EQ(rendered(Result{}, OutputFormat::csv), "");
}

TEST(PlainFormatTest, TabSeparatedWithoutHeader) {
  std::string expected =
      "id\t42\n"
      "name\tCafé\n"
      "active\ttrue\n"
      "closes_at\t2026-11-22T04:39:58Z\n"
      "note\t\n"
      "1\tمرحبا بالعالم\tar\ttrue\n"
      "2\tCrème brûlée\tfr\tfalse\n"
      "3\t日本語のタイトル\tja\t\n"
      "4\tParty 🎉\ten\ttrue\n";
  EXPECT_EQ(rendered(sample(), OutputFormat::plain), expected);
}

TEST(PlainFormatTest, EscapesTabsNewlinesAndCarriageReturns) {
  Result result;
  result.fields = {{"name", "a\tb"}};
  result.tables.push_back(
      Table{"items", {"a", "b", "c", "d", "e"}, {{"line1\nline2", "x\r\ny", Cell(), true, 7}, {"short"}}});
  EXPECT_EQ(rendered(result, OutputFormat::plain),
            "name\ta b\n"
            "line1 line2\tx y\t\ttrue\t7\n"
            "short\t\t\t\t\n");
}

TEST(CsvFormatTest, QuotesPerRfc4180WithCrlf) {
  Result result;
  result.tables.push_back(Table{"items",
                                {"id", "text", "ok"},
                                {{1, "plain", true},
                                 {2, "a,b", false},
                                 {3, "say \"hi\"", Cell()},
                                 {4, "two\nlines", Cell::json("{\"k\": [1, 2]}")},
                                 {5, "cr\rhere", "日本"}}});
  result.tables.push_back(Table{"ignored", {"z"}, {{"never"}}});
  EXPECT_EQ(rendered(result, OutputFormat::csv),
            "id,text,ok\r\n"
            "1,plain,true\r\n"
            "2,\"a,b\",false\r\n"
            "3,\"say \"\"hi\"\"\",\r\n"
            "4,\"two\nlines\",\"{\"\"k\"\":[1,2]}\"\r\n"
            "5,\"cr\rhere\",日本\r\n");
}

TEST(CsvFormatTest, FieldsBecomeOneRowWithoutTables) {
  Result result;
  result.fields = {{"id", 42}, {"name", "Smith, J."}, {"active", false}};
  EXPECT_EQ(rendered(result, OutputFormat::csv),
            "id,name,active\r\n"
            "42,\"Smith, J.\",false\r\n");
}

TEST(JsonFormatTest, ExactPrettyLayout) {
  Result result;
  result.fields = {{"id", 7}};
  result.tables.push_back(Table{"items", {"a", "b"}, {{1, "x"}}});
  EXPECT_EQ(rendered(result, OutputFormat::json),
            "{\n"
            "  \"schema_version\": 1,\n"
            "  \"id\": 7,\n"
            "  \"items\": [\n"
            "    {\n"
            "      \"a\": 1,\n"
            "      \"b\": \"x\"\n"
            "    }\n"
            "  ]\n"
            "}\n");
}

TEST(JsonFormatTest, ParsesBackWithTypes) {
  auto text = rendered(sample(), OutputFormat::json, false, 3);
  auto doc = nlohmann::ordered_json::parse(text);
  EXPECT_EQ(doc.begin().key(), "schema_version");
  EXPECT_EQ(doc["schema_version"], 3);
  EXPECT_TRUE(doc["id"].is_number_integer());
  EXPECT_EQ(doc["id"], 42);
  EXPECT_EQ(doc["name"], "Café");
  EXPECT_TRUE(doc["active"].is_boolean());
  EXPECT_EQ(doc["closes_at"], "2026-11-22T04:39:58Z");
  EXPECT_TRUE(doc["note"].is_null());
  ASSERT_TRUE(doc["proposals"].is_array());
  ASSERT_EQ(doc["proposals"].size(), 4U);
  EXPECT_EQ(doc["proposals"][0]["title"], "مرحبا بالعالم");
  EXPECT_EQ(doc["proposals"][0]["ok"], true);
  EXPECT_EQ(doc["proposals"][1]["ok"], false);
  EXPECT_TRUE(doc["proposals"][2]["ok"].is_null());
  EXPECT_EQ(doc["proposals"][3]["title"], "Party 🎉");
}

TEST(JsonFormatTest, JsonCellsEmbeddedAndInvalidOnesKeptAsStrings) {
  Result result;
  result.fields = {{"meta", Cell::json(R"({"k": [1, 2], "s": "v"})")},
                   {"broken", Cell::json("{not json")},
                   {"scalar", Cell::json("12")}};
  auto doc = nlohmann::json::parse(rendered(result, OutputFormat::json));
  EXPECT_EQ(doc["meta"], nlohmann::json::parse(R"({"k": [1, 2], "s": "v"})"));
  EXPECT_EQ(doc["broken"], "{not json");
  EXPECT_EQ(doc["scalar"], 12);
}

TEST(JsonFormatTest, EmptyTableIsEmptyArrayAndInvalidUtf8IsReplaced) {
  Result result;
  result.fields = {{"bad", "x\xff"}};
  result.tables.push_back(Table{"items", {"a"}, {}});
  auto text = rendered(result, OutputFormat::json);
  EXPECT_NE(text.find("\"x\xef\xbf\xbd\""), std::string::npos);
  EXPECT_TRUE(nlohmann::json::parse(text)["items"].empty());
}

TEST(NdjsonFormatTest, OneCompactObjectPerRow) {
  Result result;
  result.fields = {{"ignored", 1}};
  result.tables.push_back(Table{"a", {"a", "b"}, {{1, "x"}, {2}}});
  result.tables.push_back(Table{"b", {"m"}, {{Cell::json(R"({"k": true})")}, {Cell::json("[oops")}}});
  EXPECT_EQ(rendered(result, OutputFormat::ndjson),
            "{\"a\":1,\"b\":\"x\"}\n"
            "{\"a\":2,\"b\":null}\n"
            "{\"m\":{\"k\":true}}\n"
            "{\"m\":\"[oops\"}\n");
}

TEST(NdjsonFormatTest, FieldsWithSchemaVersionWithoutTables) {
  Result result;
  result.fields = {{"id", 7}, {"ok", true}, {"at", Cell::time("2026-11-22T04:39:58Z")}};
  auto text = rendered(result, OutputFormat::ndjson, false, 2);
  EXPECT_EQ(text, "{\"schema_version\":2,\"id\":7,\"ok\":true,\"at\":\"2026-11-22T04:39:58Z\"}\n");
}

TEST(NdjsonFormatTest, EveryLineParses) {
  std::istringstream lines(rendered(sample(), OutputFormat::ndjson));
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    auto row = nlohmann::json::parse(line);
    EXPECT_EQ(row.size(), 4U);
    EXPECT_EQ(row["id"], ++count);
  }
  EXPECT_EQ(count, 4);
}

TEST(RenderTest, MessageNeverReachesStdout) {
  for (auto format : {OutputFormat::table, OutputFormat::plain, OutputFormat::json, OutputFormat::ndjson,
                      OutputFormat::csv, OutputFormat::wide})
    EXPECT_EQ(rendered(sample(), format).find("4 proposals"), std::string::npos) << output_format_name(format);
}

}  // namespace
}  // namespace wfa
