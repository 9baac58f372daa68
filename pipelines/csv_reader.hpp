#pragma once
/// The one CSV reader of every file input: reads a file (or text in memory) in large blocks and hands out one record
/// at a time, so memory stays flat whatever the file size. Handles byte-order marks, CRLF and LF, quoted fields with
/// delimiters, doubled quotes and newlines, delimiter detection, and UTF-8, UTF-16, Windows-1252 and Latin-1 input
/// (decoded by iconv); reports malformed records (unclosed or stray quotes, invalid UTF-8, NUL bytes) with line
/// numbers, and refuses a ZIP, workbook, PDF or image file before reading it as text.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wfa {

/// CsvEncoding: automatic picks UTF-16 or UTF-8 from a byte-order mark and is UTF-8 without one.
enum class CsvEncoding { automatic, utf8, utf16, windows1252, latin1 };
/// csv_encoding reads an --encoding value (auto, utf-8, utf-16, windows-1252, latin1 and their usual spellings).
std::optional<CsvEncoding> csv_encoding(std::string_view name);
/// csv_options_for reads the --encoding value ENCODING of flag OPTION (InvalidInputError naming both otherwise).
struct CsvOptions;
CsvOptions csv_options_for(std::string_view option, std::string_view encoding);
/// csv_encoding_names lists the values csv_encoding accepts, for help texts and errors.
inline constexpr std::string_view csv_encoding_names = "auto, utf-8, utf-16, windows-1252 or latin1";

struct CsvOptions {
  char delimiter = 0;  ///< 0: detect from the header line (, ; tab |)
  CsvEncoding encoding = CsvEncoding::automatic;
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

/// normalize_header is how every CSV header is matched: trimmed, lower-cased, runs of spaces, dashes, dots and
/// underscores as one '_' ("E-Mail" -> "e_mail", " Location Key " -> "location_key").
std::string normalize_header(std::string_view header);

/// detect_delimiter picks the most frequent of , ; tab | outside quotes in LINE (comma on a tie or none).
char detect_delimiter(std::string_view line);

class CsvReader {
 public:
  /// Opens PATH; a missing or unreadable file is an InvalidInputError naming it.
  CsvReader(const std::string& path, CsvOptions options = {});
  /// Reads TEXT (which must outlive the reader); SOURCE names it in errors.
  CsvReader(std::string_view text, std::string source, CsvOptions options);
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
  std::size_t read_raw(char* into, std::size_t want);
  void start();
  bool parse(CsvRecord& record, bool at_eof);

  int fd_ = -1;
  std::string_view memory_;  ///< the text when reading from memory (fd_ < 0)
  void* decoder_ = nullptr;  ///< iconv_t to UTF-8 for encodings other than UTF-8
  std::string undecoded_;    ///< raw bytes not decoded yet (a character split by a block boundary)
  std::string path_;
  CsvOptions options_;
  char delimiter_ = 0;
  std::string buffer_;
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
