#pragma once
/// PostgreSQL's binary COPY format read row by row, for exports that write typed cells: each field's bytes as the
/// server sends them (big-endian integers, timestamps as microseconds since 2000-01-01 UTC, text as UTF-8), with no
/// text formatting on either side.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wfa {

/// CopyField is one field of a row: its bytes, or null() for SQL NULL. The bytes live until the visitor returns.
struct CopyField {
  const char* data = nullptr;
  std::int32_t size = -1;
  bool null() const { return size < 0; }
  std::string_view text() const { return null() ? std::string_view() : std::string_view(data, std::size_t(size)); }
};

/// CopyBinaryRows splits the messages of `COPY ... TO STDOUT WITH (FORMAT binary)` into rows of FIELDS fields.
class CopyBinaryRows {
 public:
  using Visitor = std::function<void(const std::vector<CopyField>& row)>;

  explicit CopyBinaryRows(std::size_t fields) : fields_(fields), row_(fields) {}

  /// feed reads one message (or any piece of the stream) and calls VISIT for each whole row in it; a row cut at the
  /// end waits for the next piece. Bytes that are not the format (a bad header, another field count) are Error
  /// (unexpected).
  void feed(std::string_view data, const Visitor& visit);
  /// finished says whether the trailer has come: the server sent every row.
  bool finished() const { return finished_; }

 private:
  /// parse reads whole rows from DATA and returns how many bytes it used.
  std::size_t parse(std::string_view data, const Visitor& visit);

  std::size_t fields_;
  std::vector<CopyField> row_;
  std::string carry_;
  bool header_done_ = false;
  bool finished_ = false;
};

/// copy_int64 and copy_int32 decode a big-endian binary field (int8, timestamptz; int4, date).
std::int64_t copy_int64(const CopyField& field);
std::int32_t copy_int32(const CopyField& field);

}  // namespace wfa
