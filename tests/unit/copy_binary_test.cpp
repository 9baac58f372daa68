// PostgreSQL's binary COPY format read row by row, whole or cut into pieces anywhere.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/copy_binary.hpp"
#include "core/error.hpp"

using namespace wfa;

namespace {

std::string be32(std::int32_t v) {
  auto u = static_cast<std::uint32_t>(v);
  return {static_cast<char>(u >> 24), static_cast<char>(u >> 16), static_cast<char>(u >> 8), static_cast<char>(u)};
}

std::string be16(std::int16_t v) {
  auto u = static_cast<std::uint16_t>(v);
  return {static_cast<char>(u >> 8), static_cast<char>(u)};
}

std::string field(const std::string& bytes) { return be32(static_cast<std::int32_t>(bytes.size())) + bytes; }

/// stream is a COPY of two rows (text, int8): ("héllo", 42) and (NULL, -1), with the header and the trailer.
std::string stream() {
  std::string s("PGCOPY\n\377\r\n\0", 11);
  s += be32(0) + be32(0);
  s += be16(2) + field("h\xC3\xA9llo") + field(std::string("\0\0\0\0\0\0\0\x2A", 8));
  s += be16(2) + be32(-1) + field(std::string(8, '\xFF'));
  s += be16(-1);
  return s;
}

struct Seen {
  std::vector<std::string> text;
  std::vector<std::int64_t> numbers;
};

void read_in_pieces(const std::string& data, std::size_t piece, Seen& seen, CopyBinaryRows& rows) {
  for (std::size_t at = 0; at < data.size(); at += piece)
    rows.feed(std::string_view(data).substr(at, piece), [&](const std::vector<CopyField>& row) {
      seen.text.push_back(row[0].null() ? "NULL" : std::string(row[0].text()));
      seen.numbers.push_back(copy_int64(row[1]));
    });
}

}  // namespace

TEST(CopyBinary, RowsComeOutTheSameWhateverTheMessagesAre) {
  for (std::size_t piece : {std::size_t(1), std::size_t(3), std::size_t(7), std::size_t(20), std::size_t(1000)}) {
    CopyBinaryRows rows(2);
    Seen seen;
    read_in_pieces(stream(), piece, seen, rows);
    EXPECT_TRUE(rows.finished()) << piece;
    EXPECT_EQ(seen.text, (std::vector<std::string>{"h\xC3\xA9llo", "NULL"})) << piece;
    EXPECT_EQ(seen.numbers, (std::vector<std::int64_t>{42, -1})) << piece;
  }
}

TEST(CopyBinary, BytesThatAreNotTheFormatAreRefused) {
  CopyBinaryRows rows(3);
  Seen seen;
  EXPECT_THROW(read_in_pieces(stream(), 1000, seen, rows), Error) << "rows of 2 fields, not 3";
  CopyBinaryRows text(2);
  EXPECT_THROW(read_in_pieces(std::string("id,name\n1,a\n") + std::string(20, 'x'), 1000, seen, text), Error);
  EXPECT_THROW(copy_int64(CopyField{"abcd", 4}), Error);
}
