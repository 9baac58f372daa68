// Input files under byte limits: refused unread when their size says so, else measured as read.
#include "core/input_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <termios.h>

#include <cerrno>
#include <iostream>
#include <cstring>

#include "core/error.hpp"
#include "core/file_io.hpp"

namespace wfa {

namespace {

[[noreturn]] void too_long(std::string_view what, std::string_view source, std::size_t bytes, bool more,
                           std::size_t max_bytes) {
  throw InvalidInputError(std::string(what) + " " + std::string(source) + " has " + (more ? "more than " : "") +
                              std::to_string(bytes) + " bytes; the limit is " + byte_size(max_bytes),
                          "split it into smaller inputs (LIMITS in wfa(1) lists the limits)");
}

/// read_stdin reads standard input to its end, giving up once it holds more than MAX_BYTES.
std::string read_stdin(std::string_view what, std::size_t max_bytes) {
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw InvalidInputError(std::string(what) + " - (standard input) cannot be read: " + std::strerror(errno),
                              "pipe or redirect the input into wfa");
    if (n == 0) return bytes;
    bytes.append(buffer, static_cast<std::size_t>(n));
    if (bytes.size() > max_bytes) too_long(what, "- (standard input)", max_bytes, true, max_bytes);
  }
}

}  // namespace

std::string byte_size(std::size_t bytes) {
  constexpr std::size_t kib = 1024, mib = kib * 1024;
  if (bytes >= mib && bytes % mib == 0) return std::to_string(bytes / mib) + " MiB";
  if (bytes >= kib && bytes % kib == 0) return std::to_string(bytes / kib) + " KiB";
  return std::to_string(bytes) + " bytes";
}

void check_input_size(const std::filesystem::path& path, std::string_view what, std::size_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  auto size = static_cast<std::size_t>(st.st_size);
  if (size > max_bytes) too_long(what, path.string(), size, false, max_bytes);
}

void check_input_length(std::string_view text, std::string_view what, std::string_view source, std::size_t max_bytes) {
  if (text.size() > max_bytes) too_long(what, source, text.size(), false, max_bytes);
}

std::string read_input_file(const std::string& path, std::string_view what, std::size_t max_bytes) {
  if (path == "-") return read_stdin(what, max_bytes);
  check_input_size(path, what, max_bytes);
  auto bytes = read_file(path, what);
  check_input_length(bytes, what, path, max_bytes);
  return bytes;
}

std::string read_secret_input(const std::string& path, std::string_view what, std::size_t max_bytes) {
  std::string text;
  if (path == "-" && ::isatty(STDIN_FILENO)) {
    // A person at a terminal types the secret without it appearing on screen or in the shell's history.
    termios saved{};
    bool hidden = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (hidden) {
      auto quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    auto prompt = std::string(what) + " (not shown): ";
    [[maybe_unused]] auto written = ::write(STDERR_FILENO, prompt.data(), prompt.size());
    std::getline(std::cin, text);
    if (hidden) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    [[maybe_unused]] auto newline = ::write(STDERR_FILENO, "\n", 1);
    check_input_length(text, what, "the terminal", max_bytes);
  } else {
    text = read_input_file(path, what, max_bytes);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
    text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) ++start;
  text.erase(0, start);
  auto source = path == "-" ? std::string("standard input") : path;
  if (text.empty())
    throw InvalidInputError(std::string(what) + " from " + source + " is empty", "give the secret itself");
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F)
      throw InvalidInputError(
          std::string(what) + " from " + source + " has a space, control or non-ASCII character (not shown)",
          "give the secret alone, on one line");
  return text;
}

}  // namespace wfa
