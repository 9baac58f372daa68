// The CSV reader over a corpus of nasty files: every quirk it must survive, one test each.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "core/error.hpp"
#include "pipelines/csv_reader.hpp"

using namespace wfa;

namespace {

/// CsvFile is a temporary file holding CONTENT, removed on destruction.
struct CsvFile {
  std::string path;
  explicit CsvFile(const std::string& content) {
    char name[] = "/tmp/wfa-csv-test-XXXXXX";
    int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    ::close(fd);
    path = name;
    std::ofstream(path, std::ios::binary) << content;
  }
  ~CsvFile() { std::remove(path.c_str()); }
};

struct Parsed {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;
  std::vector<CsvIssue> issues;
  std::vector<std::size_t> issue_lines;
  std::vector<std::string> raws;
  char delimiter = 0;
};

Parsed parse(const std::string& content, CsvOptions options = {}) {
  CsvFile file(content);
  CsvReader reader(file.path, options);
  Parsed p;
  CsvRecord r;
  while (reader.next(r)) {
    p.rows.emplace_back(r.fields.begin(), r.fields.end());
    p.lines.push_back(r.line);
    p.issues.push_back(r.issue);
    p.issue_lines.push_back(r.issue_line);
    p.raws.emplace_back(r.raw);
  }
  p.delimiter = reader.delimiter();
  return p;
}

using Rows = std::vector<std::vector<std::string>>;

}  // namespace

TEST(CsvReader, EmptyFileHasNoRecords) {
  EXPECT_TRUE(parse("").rows.empty());
  EXPECT_TRUE(parse("\xEF\xBB\xBF").rows.empty());
}

TEST(CsvReader, HeaderOnly) {
  auto p = parse("phone,name\r\n");
  EXPECT_EQ(p.rows, (Rows{{"phone", "name"}}));
}

TEST(CsvReader, OneColumnFileWithoutFinalNewline) {
  auto p = parse("phone\n+971501234567\n+971501234568");
  EXPECT_EQ(p.rows, (Rows{{"phone"}, {"+971501234567"}, {"+971501234568"}}));
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{1, 2, 3}));
}

TEST(CsvReader, SkipsTheByteOrderMark) {
  auto p = parse("\xEF\xBB\xBFphone,name\r\n1,a\r\n");
  EXPECT_EQ(p.rows, (Rows{{"phone", "name"}, {"1", "a"}}));
}

TEST(CsvReader, CrlfAndLfMixed) {
  auto p = parse("a,b\r\n1,2\n3,4\r\n");
  EXPECT_EQ(p.rows, (Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(p.raws[1], "1,2");
  EXPECT_EQ(p.raws[2], "3,4");
}

TEST(CsvReader, QuotedFieldsWithDelimitersQuotesAndNewlines) {
  auto p = parse("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"line1\nline2\r\nline3\"\r\nnext,1,2\r\n");
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[1], (std::vector<std::string>{"x, y", "say \"hi\"", "line1\nline2\r\nline3"}));
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{1, 2, 5}));
  EXPECT_EQ(p.raws[1], "\"x, y\",\"say \"\"hi\"\"\",\"line1\nline2\r\nline3\"");
  EXPECT_EQ(p.rows[2], (std::vector<std::string>{"next", "1", "2"}));
}

TEST(CsvReader, EmptyQuotedAndUnquotedFields) {
  auto p = parse("a,b,c\n,\"\",\n");
  EXPECT_EQ(p.rows[1], (std::vector<std::string>{"", "", ""}));
}

TEST(CsvReader, BlankLinesAreSkippedButCounted) {
  auto p = parse("a\n\n1\r\n\r\n2\n");
  EXPECT_EQ(p.rows, (Rows{{"a"}, {"1"}, {"2"}}));
  EXPECT_EQ(p.lines, (std::vector<std::size_t>{1, 3, 5}));
}

TEST(CsvReader, RaggedRowsKeepTheirFieldCount) {
  auto p = parse("a,b,c\n1,2\n1,2,3,4\n");
  EXPECT_EQ(p.rows[1].size(), 2u);
  EXPECT_EQ(p.rows[2].size(), 4u);
}

TEST(CsvReader, AQuoteNeverClosedBreaksItsOwnRowOnlyAndReadingGoesOn) {
  auto p = parse("a,b\n1,\"open\n2,after\n3,fine\n");
  ASSERT_EQ(p.rows.size(), 4u);
  EXPECT_EQ(p.issues[1], CsvIssue::unterminated_quote);
  EXPECT_EQ(p.lines[1], 2u);
  EXPECT_EQ(p.rows[1], (std::vector<std::string>{"1", "open"}));
  EXPECT_EQ(p.issues[2], CsvIssue::none);
  EXPECT_EQ(p.rows[2], (std::vector<std::string>{"2", "after"}));
  EXPECT_EQ(p.lines[2], 3u);
  EXPECT_EQ(p.rows[3], (std::vector<std::string>{"3", "fine"}));
  EXPECT_EQ(p.lines[3], 4u);
}

TEST(CsvReader, TextAfterAClosingQuoteIsReported) {
  auto p = parse("a,b\n\"x\"y,2\nok,3\n");
  EXPECT_EQ(p.issues[1], CsvIssue::stray_quote);
  EXPECT_EQ(p.issues[2], CsvIssue::none);
  EXPECT_EQ(p.rows[2], (std::vector<std::string>{"ok", "3"}));
}

TEST(CsvReader, InvalidUtf8IsReportedWithItsLine) {
  auto p = parse("a,b\n1,\"x\ny\xC3\x28\"\n2,ok\n");
  EXPECT_EQ(p.issues[1], CsvIssue::invalid_utf8);
  EXPECT_EQ(p.issue_lines[1], 3u);
  EXPECT_EQ(p.issues[2], CsvIssue::none);
  EXPECT_EQ(parse("a\n\xED\xA0\x80\n").issues[1], CsvIssue::invalid_utf8) << "a surrogate";
  EXPECT_EQ(parse("a\n\xC0\xAF\n").issues[1], CsvIssue::invalid_utf8) << "an overlong";
  EXPECT_EQ(parse("a\nZo\xC3\xAB \xD9\x85\xF0\x9F\x98\x80\n").issues[1], CsvIssue::none);
}

TEST(CsvReader, NulByteIsReported) {
  auto p = parse(std::string("a,b\n1,x\0y\n2,z\n", 14));
  EXPECT_EQ(p.issues[1], CsvIssue::nul_byte);
  EXPECT_EQ(p.issues[2], CsvIssue::none);
}

TEST(CsvReader, Latin1IsConvertedToUtf8) {
  CsvOptions o;
  o.encoding = CsvEncoding::latin1;
  auto p = parse("name\nZo\xEB M\xFCller\n", o);
  EXPECT_EQ(p.rows[1][0], "Zo\xC3\xAB M\xC3\xBCller");
  EXPECT_EQ(p.issues[1], CsvIssue::none);
}

TEST(CsvReader, DetectsTheDelimiterFromTheHeader) {
  EXPECT_EQ(parse("a;b;c\n1;2;3\n").delimiter, ';');
  EXPECT_EQ(parse("a\tb\n1\t2\n").delimiter, '\t');
  EXPECT_EQ(parse("a|b\n1|2\n").delimiter, '|');
  EXPECT_EQ(parse("\"x;y\",b\n").delimiter, ',') << "delimiters inside quotes do not count";
  EXPECT_EQ(parse("phone\n1\n").delimiter, ',');
  CsvOptions o;
  o.delimiter = ';';
  EXPECT_EQ(parse("a,b;c\n", o).rows[0], (std::vector<std::string>{"a,b", "c"}));
}

TEST(CsvReader, VeryLongFieldAcrossManyBlocks) {
  std::string big(3 * 1024 * 1024 + 17, 'x');
  big[1000] = '"';
  std::string quoted;
  for (char c : big) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  CsvOptions o;
  o.block_bytes = 64 * 1024;
  auto p = parse("a,b\n1,\"" + quoted + "\"\n2,y\n", o);
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[1][1], big);
  EXPECT_EQ(p.rows[2], (std::vector<std::string>{"2", "y"}));
}

TEST(CsvReader, RecordsSplitAtEveryBlockBoundary) {
  std::string content = "a,b\r\n";
  Rows expected{{"a", "b"}};
  for (int i = 0; i < 300; ++i) {
    content += std::to_string(i) + ",\"q\"\"" + std::to_string(i) + "\r\nz\"\r\n";
    expected.push_back({std::to_string(i), "q\"" + std::to_string(i) + "\r\nz"});
  }
  for (std::size_t block : {1u, 2u, 3u, 7u, 64u}) {
    CsvOptions o;
    o.block_bytes = block;
    EXPECT_EQ(parse(content, o).rows, expected) << "block " << block;
  }
}

TEST(CsvReader, RecordLongerThanTheLimitIsAnError) {
  CsvOptions o;
  o.block_bytes = 1024;
  o.max_record_bytes = 4096;
  CsvFile file("a\n\"" + std::string(10000, 'x') + "\n");
  CsvReader reader(file.path, o);
  CsvRecord r;
  ASSERT_TRUE(reader.next(r));
  try {
    reader.next(r);
    FAIL() << "no error";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find(":2: record longer"), std::string::npos) << e.what();
  }
}

TEST(CsvReader, MissingFileIsInvalidInput) { EXPECT_THROW(CsvReader("/nonexistent/x.csv"), InvalidInputError); }

namespace {

std::string utf16le(std::u16string_view text, bool bom = true) {
  std::string out = bom ? "\xFF\xFE" : "";
  for (char16_t c : text) out += static_cast<char>(c & 0xFF), out += static_cast<char>(c >> 8);
  return out;
}

std::string refusal(const std::string& content, CsvOptions options = {}) {
  try {
    parse(content, options);
  } catch (const InvalidInputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(CsvReader, Windows1252AsExcelWritesItDecodesSmartQuotesAndTheEuro) {
  CsvOptions o;
  o.encoding = CsvEncoding::windows1252;
  auto p = parse(
      "name;price\n\x93"
      "Caf\xE9\x94;\x80 5\n",
      o);
  EXPECT_EQ(p.delimiter, ';');
  EXPECT_EQ(p.rows[1], (std::vector<std::string>{"\xE2\x80\x9C"
                                                 "Caf\xC3\xA9\xE2\x80\x9D",
                                                 "\xE2\x82\xAC 5"}));
  EXPECT_NE(refusal("a\n\x81\n", o).find("byte 0x81 is not a character"), std::string::npos) << refusal("a\n\x81\n", o);
}

TEST(CsvReader, Utf16WithAByteOrderMarkIsDetectedAndDecodedAcrossBlockBoundaries) {
  auto text = utf16le(u"phone\tname\r\n+971501234567\t\u0645\u062D\u0645\u062F \U0001F680\r\n");
  for (std::size_t block : {std::size_t{3}, std::size_t{7}, std::size_t{1} << 20}) {
    CsvOptions o;
    o.block_bytes = block;
    auto p = parse(text, o);
    ASSERT_EQ(p.rows.size(), 2u) << block;
    EXPECT_EQ(p.delimiter, '\t');
    EXPECT_EQ(p.rows[1][1], "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF \xF0\x9F\x9A\x80") << block;
    EXPECT_EQ(p.issues[1], CsvIssue::none);
  }
  std::string be = "\xFE\xFF";
  for (char16_t c : std::u16string_view(u"a\n\u00E9\n"))
    be += static_cast<char>(c >> 8), be += static_cast<char>(c & 0xFF);
  EXPECT_EQ(parse(be).rows[1][0], "\xC3\xA9") << "big-endian by its mark";
  CsvOptions o;
  o.encoding = CsvEncoding::utf16;
  EXPECT_EQ(parse(utf16le(u"a\nb\n", false), o).rows[1][0], "b") << "--encoding utf-16 without a mark is little-endian";
  EXPECT_NE(refusal(utf16le(u"a\nb\n") + "x").find("middle of a character"), std::string::npos);
}

TEST(CsvReader, FilesThatAreNotTextAreNamedBeforeReading) {
  EXPECT_NE(refusal(std::string("PK\x03\x04\x14\0\0\0", 8) + "xl/workbook.xml").find("ZIP archive"), std::string::npos);
  EXPECT_NE(refusal("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest").find(".xls workbook"), std::string::npos);
  EXPECT_NE(refusal("%PDF-1.7\n").find("PDF"), std::string::npos);
  EXPECT_NE(refusal("\x89PNG\r\n\x1A\n").find("image"), std::string::npos);
  auto no_mark = refusal(utf16le(u"phone,name\n+971501234567,Ann\n", false));
  EXPECT_NE(no_mark.find("UTF-16 text without a byte-order mark"), std::string::npos) << no_mark;
}

TEST(CsvReader, TextInMemoryReadsLikeAFile) {
  std::string text =
      "\xEF\xBB\xBF"
      "A;B\n1;\"x;y\"\n";
  CsvReader reader(std::string_view(text), "batch.csv", {});
  CsvRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.fields[0], "A");
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.fields[1], "x;y");
  EXPECT_EQ(r.line, 2u);
  EXPECT_FALSE(reader.next(r));
}
