#include "pipelines/csv_reader.hpp"

#include <fcntl.h>
#include <iconv.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "pipelines/utf8.hpp"

namespace wfa {

namespace {

std::size_t count_newlines(const char* begin, const char* end) {
  return static_cast<std::size_t>(std::count(begin, end, '\n'));
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

/// binary_kind names what a file that is not text is, from its first bytes; "" for text.
std::string binary_kind(std::string_view head, bool utf16) {
  if (starts_with(head, "PK\x03\x04")) return "a ZIP archive (an Excel .xlsx workbook?)";
  if (starts_with(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return "an old Excel .xls workbook";
  if (starts_with(head, "%PDF-")) return "a PDF document";
  if (starts_with(head, "\x89PNG") || starts_with(head, "\xFF\xD8\xFF") || starts_with(head, "GIF8")) return "an image";
  if (utf16) return "";
  auto sample = head.substr(0, 4096);
  auto nuls = static_cast<std::size_t>(std::count(sample.begin(), sample.end(), '\0'));
  if (nuls * 10 <= sample.size()) return "";  // a stray NUL is a row's problem, reported with its line
  return nuls * 3 >= sample.size() ? "UTF-16 text without a byte-order mark" : "a binary file";
}

}  // namespace

std::optional<CsvEncoding> csv_encoding(std::string_view name) {
  std::string n(name);
  for (auto& c : n) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (n == "auto") return CsvEncoding::automatic;
  if (n == "utf-8" || n == "utf8") return CsvEncoding::utf8;
  if (n == "utf-16" || n == "utf16") return CsvEncoding::utf16;
  if (n == "windows-1252" || n == "cp1252" || n == "win-1252") return CsvEncoding::windows1252;
  if (n == "latin1" || n == "latin-1" || n == "iso-8859-1") return CsvEncoding::latin1;
  return std::nullopt;
}

std::string_view csv_issue_text(CsvIssue issue) {
  switch (issue) {
    case CsvIssue::none:
      return "";
    case CsvIssue::unterminated_quote:
      return "quoted field never closed";
    case CsvIssue::stray_quote:
      return "text after a closing quote";
    case CsvIssue::invalid_utf8:
      return "invalid UTF-8 (give the file's --encoding, e.g. windows-1252)";
    case CsvIssue::nul_byte:
      return "NUL byte in the row";
  }
  return "";
}

CsvOptions csv_options_for(std::string_view option, std::string_view encoding) {
  auto known = csv_encoding(encoding);
  if (!known)
    throw InvalidInputError(std::string(option) + " '" + std::string(encoding) + "' is not supported",
                            "use " + std::string(csv_encoding_names));
  CsvOptions options;
  options.encoding = *known;
  return options;
}

std::string normalize_header(std::string_view header) {
  std::string out;
  bool gap = false;
  for (unsigned char c : header) {
    if (c == ' ' || c == '-' || c == '.' || c == '_' || c == '\t' || c == '\r' || c == '\n') {
      gap = !out.empty();
      continue;
    }
    if (gap) out.push_back('_');
    gap = false;
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  }
  return out;
}

char detect_delimiter(std::string_view line) {
  const char candidates[] = {',', ';', '\t', '|'};
  std::size_t counts[4] = {0, 0, 0, 0};
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    for (int k = 0; k < 4; ++k)
      if (c == candidates[k]) ++counts[k];
  }
  int best = 0;
  for (int k = 1; k < 4; ++k)
    if (counts[k] > counts[best]) best = k;
  return candidates[best];
}

CsvReader::CsvReader(const std::string& path, CsvOptions options)
    : path_(path), options_(options), delimiter_(options.delimiter) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0)
    throw InvalidInputError("cannot open " + path + ": " + std::strerror(errno),
                            "check the file name and its permissions");
  buffer_.resize(options_.block_bytes * 2);
}

CsvReader::CsvReader(std::string_view text, std::string source, CsvOptions options)
    : memory_(text), path_(std::move(source)), options_(options), delimiter_(options.delimiter) {
  buffer_.resize(std::min(options_.block_bytes, text.size() * 3 + 16));
}

CsvReader::~CsvReader() {
  if (fd_ >= 0) ::close(fd_);
  if (decoder_) iconv_close(static_cast<iconv_t>(decoder_));
}

std::size_t CsvReader::read_raw(char* into, std::size_t want) {
  if (fd_ < 0) {
    auto n = std::min(want, memory_.size());
    std::memcpy(into, memory_.data(), n);
    memory_.remove_prefix(n);
    return n;
  }
  ssize_t n;
  do {
    n = ::read(fd_, into, want);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw InvalidInputError("cannot read " + path_ + ": " + std::strerror(errno), "check the file");
  return static_cast<std::size_t>(n);
}

void CsvReader::start() {
  undecoded_.resize(options_.block_bytes);
  undecoded_.resize(read_raw(undecoded_.data(), undecoded_.size()));
  bytes_read_ = undecoded_.size();
  std::string_view head(undecoded_);
  auto encoding = options_.encoding;
  const char* from = nullptr;
  std::size_t bom = 0;
  bool le16 = starts_with(head, "\xFF\xFE"), be16 = starts_with(head, "\xFE\xFF");
  if ((encoding == CsvEncoding::automatic || encoding == CsvEncoding::utf16) && (le16 || be16))
    from = le16 ? "UTF-16LE" : "UTF-16BE", bom = 2;
  else if (encoding == CsvEncoding::utf16)
    from = "UTF-16LE";  // what Excel's "Unicode text" writes
  else if (encoding == CsvEncoding::windows1252)
    from = "WINDOWS-1252";
  else if (encoding == CsvEncoding::latin1)
    from = "ISO-8859-1";
  else if (starts_with(head, "\xEF\xBB\xBF"))
    bom = 3;
  if (auto kind = binary_kind(head, from && std::string_view(from).substr(0, 6) == "UTF-16"); !kind.empty())
    throw InvalidInputError(path_ + " is " + kind + ", not CSV text",
                            kind.find("UTF-16") != std::string::npos
                                ? "give --encoding utf-16"
                                : "save it as CSV (UTF-8) from the spreadsheet and give that file");
  undecoded_.erase(0, bom);
  if (from) {
    auto cd = iconv_open("UTF-8", from);
    if (cd == reinterpret_cast<iconv_t>(-1))
      throw Error(ErrorCategory::unexpected, std::string("this system's iconv cannot decode ") + from);
    decoder_ = cd;
    return;
  }
  if (buffer_.size() < undecoded_.size()) buffer_.resize(undecoded_.size() * 2);
  std::memcpy(buffer_.data(), undecoded_.data(), undecoded_.size());
  end_ = undecoded_.size();
  undecoded_.clear();
}

bool CsvReader::fill() {
  if (eof_) return false;
  std::size_t pending = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, pending);
    begin_ = 0;
    end_ = pending;
  }
  if (pending > options_.max_record_bytes)
    throw InvalidInputError(path_ + ":" + std::to_string(line_) + ": record longer than " +
                                std::to_string(options_.max_record_bytes >> 20) + " MiB",
                            "a quote is probably left open on that line; fix the file");
  // Read at least as much as is pending, so a very long record costs linear, not quadratic, time.
  std::size_t want = std::max(options_.block_bytes, pending);
  std::size_t n = 0;
  if (!decoder_) {
    if (buffer_.size() < end_ + want) buffer_.resize(end_ + want);
    n = read_raw(buffer_.data() + end_, want);
    end_ += n;
  } else {
    auto kept = undecoded_.size();
    undecoded_.resize(kept + want);
    n = read_raw(undecoded_.data() + kept, want);
    undecoded_.resize(kept + n);
    // UTF-16 and the single-byte encodings take at most 3 UTF-8 bytes per input byte.
    if (buffer_.size() < end_ + undecoded_.size() * 3) buffer_.resize(end_ + undecoded_.size() * 3);
    char* in = undecoded_.data();
    std::size_t in_left = undecoded_.size();
    char* out = buffer_.data() + end_;
    std::size_t out_left = buffer_.size() - end_;
    auto rc = iconv(static_cast<iconv_t>(decoder_), &in, &in_left, &out, &out_left);
    end_ = static_cast<std::size_t>(out - buffer_.data());
    if (rc == static_cast<std::size_t>(-1) && errno == EILSEQ) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(*in));
      throw InvalidInputError(path_ + ":" +
                                  std::to_string(line_ + count_newlines(buffer_.data(), buffer_.data() + end_)) +
                                  ": byte " + hex + " is not a character of the file's encoding",
                              "give the --encoding the file was saved in (" + std::string(csv_encoding_names) + ")");
    }
    undecoded_.erase(0, undecoded_.size() - in_left);  // a character cut by the block boundary waits for the rest
    if (n == 0 && !undecoded_.empty())
      throw InvalidInputError(path_ + " ends in the middle of a character", "the file is cut short; save it again");
  }
  bytes_read_ += n;
  if (n == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

bool CsvReader::next(CsvRecord& record) {
  if (!started_) {
    started_ = true;
    start();
    if (decoder_) fill();
    // The header line decides the delimiter: read until it is whole.
    while (!std::memchr(buffer_.data() + begin_, '\n', end_ - begin_) && fill()) {
    }
    if (delimiter_ == 0) {
      std::string_view data(buffer_.data() + begin_, end_ - begin_);
      delimiter_ = detect_delimiter(data.substr(0, data.find('\n')));
    }
  }
  for (;;) {
    if (begin_ == end_ && !fill()) return false;
    if (parse(record, eof_)) {
      if (!record.raw.empty() || record.issue != CsvIssue::none) return true;
      continue;  // a blank line
    }
    if (!fill() && begin_ == end_) return false;
  }
}

bool CsvReader::parse(CsvRecord& record, bool at_eof) {
  const char* buf = buffer_.data();
  const char delim = delimiter_;
  std::size_t i = begin_;
  std::size_t newlines = 0;
  CsvIssue issue = CsvIssue::none;
  std::size_t issue_offset = 0;  // newlines before the issue
  auto& spans = spans_;
  spans.clear();
  std::size_t record_end = 0, next_begin = 0;
  bool broken = false;
  for (;;) {
    Span s;
    bool quoted = i < end_ && buf[i] == '"';
    std::size_t field_newlines = newlines;
    if (quoted) {
      ++i;
      s.begin = i;
      for (;;) {
        auto* q = static_cast<const char*>(std::memchr(buf + i, '"', end_ - i));
        if (!q) {
          if (!at_eof) return false;
          // Never closed: the record ends at the first line break after the quote, and reading goes on from there.
          newlines = field_newlines;
          if (issue == CsvIssue::none) issue = CsvIssue::unterminated_quote, issue_offset = newlines;
          auto* nl = static_cast<const char*>(std::memchr(buf + s.begin, '\n', end_ - s.begin));
          std::size_t stop = nl ? static_cast<std::size_t>(nl - buf) : end_;
          s.end = stop > s.begin && buf[stop - 1] == '\r' ? stop - 1 : stop;
          s.escaped = false;
          spans.push_back(s);
          record_end = stop;
          next_begin = nl ? stop + 1 : end_;
          broken = true;
          break;
        }
        std::size_t k = static_cast<std::size_t>(q - buf);
        newlines += count_newlines(buf + i, q);
        if (k + 1 >= end_ && !at_eof) return false;
        if (k + 1 < end_ && buf[k + 1] == '"') {
          s.escaped = true;
          i = k + 2;
          continue;
        }
        s.end = k;
        i = k + 1;
        break;
      }
      if (broken) break;
    } else {
      s.begin = i;
    }
    std::size_t j = i;
    while (j < end_ && buf[j] != delim && buf[j] != '\n') ++j;
    if (j == end_ && !at_eof) return false;
    bool terminated = j < end_ && buf[j] == '\n';
    std::size_t stop = j;
    if (terminated && stop > i && buf[stop - 1] == '\r') --stop;
    if (!quoted)
      s.end = stop;
    else if (stop > i && issue == CsvIssue::none)
      issue = CsvIssue::stray_quote, issue_offset = newlines;
    spans.push_back(s);
    if (j < end_ && buf[j] == delim) {
      i = j + 1;
      continue;
    }
    record_end = terminated ? j : end_;
    next_begin = terminated ? j + 1 : end_;
    break;
  }
  std::size_t raw_end = record_end;
  if (raw_end > begin_ && record_end < end_ && buf[raw_end - 1] == '\r') --raw_end;
  record.line = line_;
  record.raw = std::string_view(buf + begin_, raw_end - begin_);
  record.fields.clear();
  scratch_.clear();
  scratch_.reserve(record.raw.size());
  for (const auto& s : spans) {
    if (!s.escaped) {
      record.fields.emplace_back(buf + s.begin, s.end - s.begin);
      continue;
    }
    std::size_t at = scratch_.size();
    for (std::size_t k = s.begin; k < s.end; ++k) {
      scratch_.push_back(buf[k]);
      if (buf[k] == '"') ++k;
    }
    record.fields.emplace_back(scratch_.data() + at, scratch_.size() - at);
  }
  if (issue == CsvIssue::none && std::memchr(record.raw.data(), '\0', record.raw.size()))
    issue = CsvIssue::nul_byte,
    issue_offset = count_newlines(record.raw.data(),
                                  static_cast<const char*>(std::memchr(record.raw.data(), '\0', record.raw.size())));
  if (issue == CsvIssue::none && !decoder_) {
    std::size_t bad = utf8_invalid_at(record.raw);
    if (bad != std::string_view::npos)
      issue = CsvIssue::invalid_utf8, issue_offset = count_newlines(record.raw.data(), record.raw.data() + bad);
  }
  record.issue = issue;
  record.issue_line = line_ + issue_offset;
  line_ += newlines + (next_begin > record_end ? 1 : 0);
  begin_ = next_begin;
  return true;
}

}  // namespace wfa
