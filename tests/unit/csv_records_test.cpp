#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "pipelines/csv_records.hpp"

namespace wfa {
namespace {

TEST(CsvRecords, QuotedFieldsCrLfBomAndLineNumbers) {
  auto table =
      CsvTable::parse("\xEF\xBB\xBF Key ,Name\r\nA,\"x, \"\"y\"\"\"\r\nB,\"two\nlines\"\r\n\r\nC,z\r\n", "f.csv");
  ASSERT_EQ(table.header().size(), 2u);
  EXPECT_EQ(table.header()[0], "key");
  ASSERT_EQ(table.records().size(), 3u);
  EXPECT_EQ(table.field(table.records()[0], "name"), "x, \"y\"");
  EXPECT_EQ(table.records()[1].fields[1], "two\nlines");
  EXPECT_EQ(table.records()[2].line, 6u);
  EXPECT_EQ(table.where(table.records()[2]), "f.csv:6");
  EXPECT_EQ(table.field(table.records()[0], "missing"), "");
}

TEST(CsvRecords, RaggedRowIsKeptWithItsError) {
  auto table = CsvTable::parse("a,b\n1,2\n3\n4,5,6\n", "f.csv");
  ASSERT_EQ(table.records().size(), 3u);
  EXPECT_TRUE(table.records()[0].error.empty());
  EXPECT_NE(table.records()[1].error.find("1 fields"), std::string::npos);
  EXPECT_EQ(table.records()[2].fields.size(), 2u);
  try {
    table.require_well_formed();
    FAIL() << "ragged row accepted";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("f.csv:3"), std::string::npos) << e.what();
  }
}

TEST(CsvRecords, BadFilesNameTheLine) {
  EXPECT_THROW(CsvTable::parse("", "e.csv"), InvalidInputError);
  EXPECT_THROW(CsvTable::parse("a,a\n1,2\n", "d.csv"), InvalidInputError);
  try {
    CsvTable::parse("a,a\n1,2\n", "d.csv");
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("d.csv:1: column 'a' appears twice (columns 1 and 2)"), std::string::npos)
        << e.what();
  }
  auto quoted = CsvTable::parse("a,b\n1,\"open\n2,3\n", "q.csv");
  ASSERT_EQ(quoted.records().size(), 2u) << "the row with the open quote fails alone";
  EXPECT_EQ(quoted.records()[0].error, "quoted field never closed");
  EXPECT_EQ(quoted.records()[1].error, "");
  EXPECT_EQ(quoted.field(quoted.records()[1], "b"), "3");
  try {
    quoted.require_well_formed();
    FAIL() << "unterminated quote accepted";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("q.csv:2: quoted field never closed"), std::string::npos) << e.what();
  }
  auto semicolons = CsvTable::parse("Location Key;Client-Name\nDXB-1;\"Acme; Co\"\n", "s.csv");
  EXPECT_EQ(semicolons.field(semicolons.records()[0], "location_key"), "DXB-1");
  EXPECT_EQ(semicolons.field(semicolons.records()[0], "client_name"), "Acme; Co");
  auto table = CsvTable::parse("a,b\n", "h.csv");
  EXPECT_TRUE(table.records().empty());
  EXPECT_THROW(table.require_columns({"a", "c"}), InvalidInputError);
}

}  // namespace
}  // namespace wfa
