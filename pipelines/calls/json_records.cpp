// Record splitting of NDJSON and JSON-array files, in blocks, with line numbers for every message.
#include "pipelines/calls/json_records.hpp"

#include <cstring>

#include "core/error.hpp"

namespace wfa {

namespace {

constexpr std::size_t block_bytes = 8 << 20;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

JsonRecordReader::JsonRecordReader(const std::string& path)
    : path_(path), file_(std::fopen(path.c_str(), "rb"), &std::fclose) {
  if (!file_) throw InvalidInputError(path + ": cannot be read", "check the path and its permissions");
  buffer_.resize(block_bytes + record_padding);
}

JsonRecordReader::~JsonRecordReader() = default;

bool JsonRecordReader::fill() {
  if (eof_) return false;
  std::size_t unread = end_ - begin_;
  if (begin_ > 0) std::memmove(buffer_.data(), buffer_.data() + begin_, unread);
  begin_ = 0, end_ = unread;
  std::size_t room = buffer_.size() - record_padding - end_;
  if (room < block_bytes / 2) {
    if (unread > max_record_bytes)
      throw InvalidInputError(path_ + ":" + std::to_string(line_) + ": a record longer than " +
                                  std::to_string(max_record_bytes >> 20) + " MB",
                              "split the file into one call object per line");
    buffer_.resize(buffer_.size() + block_bytes);
    room = buffer_.size() - record_padding - end_;
  }
  std::size_t got = std::fread(buffer_.data() + end_, 1, room, file_.get());
  if (got < room) {
    if (std::ferror(file_.get())) throw InvalidInputError(path_ + ": read error", "check the file and the disk");
    eof_ = true;
  }
  end_ += got;
  return got > 0 || !eof_;
}

bool JsonRecordReader::next(std::string_view& record, std::size_t& line) {
  if (!started_) {
    started_ = true;
    for (;;) {
      while (begin_ < end_ && is_space(buffer_[begin_])) line_ += buffer_[begin_] == '\n', ++begin_, ++consumed_;
      if (begin_ < end_ || !fill()) break;
    }
    if (begin_ < end_ && buffer_[begin_] == '[') array_ = true, ++begin_, ++consumed_;
  }
  return array_ ? next_element(record, line) : next_line(record, line);
}

bool JsonRecordReader::next_line(std::string_view& record, std::size_t& line) {
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start, '\n', end_ - begin_);
    if (!newline && !eof_ && end_ - begin_ <= max_record_bytes) {
      fill();
      continue;
    }
    if (!newline && begin_ == end_) return false;
    if (!newline && !eof_)
      throw InvalidInputError(path_ + ":" + std::to_string(line_) + ": a line longer than " +
                                  std::to_string(max_record_bytes >> 20) + " MB",
                              "give one call object per line");
    std::size_t length = newline ? static_cast<const char*>(newline) - start : end_ - begin_;
    std::size_t taken = newline ? length + 1 : length;
    line = line_++;
    begin_ += taken, consumed_ += taken;
    while (length > 0 && is_space(start[length - 1])) --length;
    std::size_t lead = 0;
    while (lead < length && is_space(start[lead])) ++lead;
    if (lead == length) continue;  // blank lines are allowed
    record = std::string_view(start + lead, length - lead);
    return true;
  }
}

bool JsonRecordReader::next_element(std::string_view& record, std::size_t& line) {
  if (closed_) return false;
  for (;;) {
    // Between elements: white space and one comma.
    while (begin_ < end_ && (is_space(buffer_[begin_]) || buffer_[begin_] == ','))
      line_ += buffer_[begin_] == '\n', ++begin_, ++consumed_;
    if (begin_ == end_) {
      if (fill()) continue;
      throw InvalidInputError(path_ + ":" + std::to_string(line_) + ": the JSON array is cut short (no closing ])",
                              "give a complete JSON array or one call object per line");
    }
    char c = buffer_[begin_];
    if (c == ']') {
      closed_ = true;
      ++begin_, ++consumed_;
      return false;
    }
    if (c != '{')
      throw InvalidInputError(path_ + ":" + std::to_string(line_) + ": an element of the array is not an object",
                              "give an array of call objects");
    // Find the matching brace; a block boundary inside the element refills and scans it again.
    int depth = 0;
    bool in_string = false, escaped = false;
    std::size_t newlines = 0, i = begin_;
    for (; i < end_; ++i) {
      char b = buffer_[i];
      if (b == '\n') ++newlines;
      if (in_string) {
        if (escaped)
          escaped = false;
        else if (b == '\\')
          escaped = true;
        else if (b == '"')
          in_string = false;
      } else if (b == '"') {
        in_string = true;
      } else if (b == '{' || b == '[') {
        ++depth;
      } else if ((b == '}' || b == ']') && --depth == 0) {
        break;
      }
    }
    if (i == end_) {
      if (fill()) continue;
      throw InvalidInputError(path_ + ":" + std::to_string(line_) + ": the JSON array is cut short inside an element",
                              "give a complete JSON array or one call object per line");
    }
    record = std::string_view(buffer_.data() + begin_, i + 1 - begin_);
    line = line_;
    line_ += newlines;
    consumed_ += i + 1 - begin_;
    begin_ = i + 1;
    return true;
  }
}

}  // namespace wfa
