// read_file and write_file_atomic over POSIX calls, so errno can be named in messages.
#include "core/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "core/error.hpp"

namespace wfa {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path, std::string_view what) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::string why = std::strerror(errno);
    if (errno == ENOENT)
      throw NotFoundError(std::string(what) + " " + path.string() + " does not exist", "check the path");
    throw InvalidInputError(std::string(what) + " " + path.string() + " cannot be read: " + why,
                            "check its permissions");
  }
  std::string bytes;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw InvalidInputError(std::string(what) + " " + path.string() + " is a directory", "give a file");
  }
  if (st.st_size > 0) bytes.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      throw InvalidInputError(std::string(what) + " " + path.string() + " cannot be read: " + why, "check the file");
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

namespace {

[[noreturn]] void write_failed(const fs::path& path, int error) {
  throw InvalidInputError("cannot write " + path.string() + ": " + std::strerror(error),
                          "check that the directory exists, is writable and has space");
}

/// temp_sibling creates PATH's parent directories and names a temporary file beside PATH, unique per process.
fs::path temp_sibling(const fs::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec) write_failed(path, ec.value());
  auto temp = path;
  static std::atomic<unsigned> serial{0};
  temp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(serial++);
  return temp;
}

}  // namespace

AtomicFileWriter::AtomicFileWriter(fs::path path) : path_(std::move(path)), temp_(temp_sibling(path_)) {
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) write_failed(path_, errno);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (committed_) return;
  out_.close();
  ::unlink(temp_.c_str());
}

void AtomicFileWriter::commit() {
  out_.flush();
  int error = out_ ? 0 : (errno != 0 ? errno : EIO);
  out_.close();
  if (error == 0 && !out_) error = errno != 0 ? errno : EIO;
  if (error == 0 && ::rename(temp_.c_str(), path_.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temp_.c_str());
    committed_ = true;
    write_failed(path_, error);
  }
  committed_ = true;
}

void write_file_atomic(const fs::path& path, std::string_view bytes) {
  auto temp = temp_sibling(path);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) write_failed(path, errno);
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      write_failed(path, error);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    write_failed(path, error);
  }
}

}  // namespace wfa
