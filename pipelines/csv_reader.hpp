#pragma once
/// A streaming RFC 4180 reader: reads a file in large blocks and hands out one record at a time,
/// so memory stays flat whatever the file size. Handles a UTF-8 BOM, CRLF and LF, quoted fields
/// with delimiters, doubled quotes and newlines, delimiter detection and Latin-1 input; reports
/// malformed records (unterminated or stray quotes, invalid UTF-8, NUL bytes) with line numbers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wfa {

enum class CsvEncoding { utf8, latin1 };

struct CsvOptions {
  char delimiter = 0;  ///< 0: detect from the header line (, ; tab |)
  CsvEncoding encoding = CsvEncoding::utf8;
  std::size_t block_bytes = 1 << 20;         ///< read size
  std::size_t max_record_bytes = 32u << 20;  ///< a longer record is an error (an unclosed quote, usually)
};

/// CsvIssue says why a record is malformed; its fields are still split as well as possible.
enum class CsvIssue { none, unterminated_quote, stray_quote, invalid_utf8, nul_byte };
std::string_view csv_issue_text(CsvIssue issue);

/// CsvRecord is one record; its views stay valid until the next call to CsvReader::next.
struct CsvRecord {
  std::size_t line = 0;  ///< physical line where the record starts (1-based)
  std::vector<std::string_view> fields;
  std::string_view raw;  ///< the record's original bytes, without its line terminator
  CsvIssue issue = CsvIssue::none;
  std::size_t issue_line = 0;  ///< physical line of the issue
};

/// detect_delimiter picks the most frequent of , ; tab | outside quotes in LINE (comma on a tie or none).
char detect_delimiter(std::string_view line);

class CsvReader {
 public:
  /// Opens PATH; a missing or unreadable file is an InvalidInputError naming it.
  CsvReader(const std::string& path, CsvOptions options = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  /// next fills RECORD with the next record; false at the end of the file.
  bool next(CsvRecord& record);
  /// The delimiter in use (detected on the first call to next when options asked for detection).
  char delimiter() const { return delimiter_; }
  /// Bytes of the file consumed so far (for progress).
  std::uint64_t bytes_read() const { return bytes_read_; }

 private:
  bool fill();
  bool parse(CsvRecord& record, bool at_eof);

  int fd_ = -1;
  std::string path_;
  CsvOptions options_;
  char delimiter_ = 0;
  std::string buffer_;
  std::string latin1_in_;
  std::size_t begin_ = 0;  ///< first unconsumed byte of buffer_
  std::size_t end_ = 0;    ///< end of valid data in buffer_
  bool eof_ = false;
  bool started_ = false;
  std::size_t line_ = 1;
  std::uint64_t bytes_read_ = 0;
  std::string scratch_;  ///< unescaped quoted fields of the current record
  struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool escaped = false;  ///< a quoted field with doubled quotes: needs unescaping
  };
  std::vector<Span> spans_;
};

}  // namespace wfa
