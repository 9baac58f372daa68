#pragma once
/// Reads the records of a large JSON file one at a time without holding the file: NDJSON (one object per line) or a
/// top-level array of objects, told apart by the first byte that is not white space.
#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace wfa {

/// JsonRecordReader hands out each record's bytes with the line it starts on. A record stays valid until the next
/// call to next(), and at least record_padding readable bytes follow it (simdjson's on-demand parser reads ahead).
class JsonRecordReader {
 public:
  static constexpr std::size_t record_padding = 64;
  static constexpr std::size_t max_record_bytes = 16 << 20;

  /// Opens PATH; a file that cannot be read is InvalidInputError naming it.
  explicit JsonRecordReader(const std::string& path);
  ~JsonRecordReader();
  JsonRecordReader(const JsonRecordReader&) = delete;
  JsonRecordReader& operator=(const JsonRecordReader&) = delete;

  /// next sets RECORD and LINE to the next record; false at the end. A record longer than max_record_bytes, an
  /// array element that is not an object or an array cut short is InvalidInputError with file:line.
  bool next(std::string_view& record, std::size_t& line);
  /// bytes_read is how much of the file has been consumed (progress).
  std::size_t bytes_read() const { return consumed_; }
  bool is_array() const { return array_; }

 private:
  bool fill();  ///< moves the unread tail to the front and reads more; false at the end of the file
  bool next_line(std::string_view& record, std::size_t& line);
  bool next_element(std::string_view& record, std::size_t& line);

  std::string path_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  std::string buffer_;
  std::size_t begin_ = 0, end_ = 0;  ///< unread bytes are buffer_[begin_, end_)
  std::size_t consumed_ = 0;
  std::size_t line_ = 1;  ///< line number at begin_
  bool eof_ = false, array_ = false, started_ = false, closed_ = false;
};

}  // namespace wfa
