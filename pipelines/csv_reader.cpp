#include "pipelines/csv_reader.hpp"

#include <fcntl.h>
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

}  // namespace

std::string_view csv_issue_text(CsvIssue issue) {
  switch (issue) {
    case CsvIssue::none:
      return "";
    case CsvIssue::unterminated_quote:
      return "quoted field never closed";
    case CsvIssue::stray_quote:
      return "text after a closing quote";
    case CsvIssue::invalid_utf8:
      return "invalid UTF-8 (try --encoding latin1)";
    case CsvIssue::nul_byte:
      return "NUL byte in the row";
  }
  return "";
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

CsvReader::~CsvReader() {
  if (fd_ >= 0) ::close(fd_);
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
  std::size_t room = options_.encoding == CsvEncoding::latin1 ? want * 2 : want;
  if (buffer_.size() < end_ + room) buffer_.resize(end_ + room);
  char* target = buffer_.data() + end_;
  if (options_.encoding == CsvEncoding::latin1) latin1_in_.resize(want);
  char* read_into = options_.encoding == CsvEncoding::latin1 ? latin1_in_.data() : target;
  ssize_t n;
  do {
    n = ::read(fd_, read_into, want);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw InvalidInputError("cannot read " + path_ + ": " + std::strerror(errno), "check the file");
  if (n == 0) {
    eof_ = true;
    return false;
  }
  bytes_read_ += static_cast<std::uint64_t>(n);
  if (options_.encoding == CsvEncoding::latin1)
    end_ += latin1_to_utf8(std::string_view(latin1_in_.data(), static_cast<std::size_t>(n)), target);
  else
    end_ += static_cast<std::size_t>(n);
  return true;
}

bool CsvReader::next(CsvRecord& record) {
  if (!started_) {
    started_ = true;
    fill();
    if (options_.encoding == CsvEncoding::utf8 && end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0)
      begin_ = 3;
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
  for (;;) {
    Span s;
    bool quoted = i < end_ && buf[i] == '"';
    if (quoted) {
      ++i;
      s.begin = i;
      for (;;) {
        auto* q = static_cast<const char*>(std::memchr(buf + i, '"', end_ - i));
        if (!q) {
          if (!at_eof) return false;
          newlines += count_newlines(buf + i, buf + end_);
          if (issue == CsvIssue::none) issue = CsvIssue::unterminated_quote, issue_offset = newlines;
          s.end = i = end_;
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
  if (issue == CsvIssue::none && options_.encoding == CsvEncoding::utf8) {
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
