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

TEST(CsvReader, UnterminatedQuoteIsReportedAtTheEnd) {
  auto p = parse("a,b\n1,\"open\nstill open\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.issues[1], CsvIssue::unterminated_quote);
  EXPECT_EQ(p.lines[1], 2u);
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
