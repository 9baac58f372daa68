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

}  // namespace

void write_file_atomic(const fs::path& path, std::string_view bytes) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec) write_failed(path, ec.value());
  auto temp = path;
  static std::atomic<unsigned> serial{0};
  temp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(serial++);
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
