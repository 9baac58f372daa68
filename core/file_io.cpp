// read_file and write_file_atomic over POSIX calls, so errno can be named in messages.
#include "core/file_io.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <streambuf>
#include <vector>
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

/// temp_prefix is how temporaries of PATH start: hidden, beside PATH, so the rename stays on one file system.
std::string temp_prefix(const fs::path& path) { return "." + path.filename().string() + ".wfa-tmp-"; }

/// writer_gone says whether the process that made temporary NAME (…wfa-tmp-PID-N) has ended.
bool writer_gone(const std::string& name) {
  auto at = name.rfind(".wfa-tmp-");
  if (at == std::string::npos) return false;
  long pid = std::strtol(name.c_str() + at + 9, nullptr, 10);
  return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

/// open_temp creates PATH's parent directories and a new temporary file beside PATH, never through a symlink and
/// never an existing file; the temporaries a killed run left for PATH are removed first.
int open_temp(const fs::path& path, fs::path& temp) {
  std::error_code ec;
  auto dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  fs::create_directories(dir, ec);
  if (ec) write_failed(path, ec.value());
  auto prefix = temp_prefix(path);
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    auto name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0 && writer_gone(name)) ::unlink(it->path().c_str());
  }
  static std::atomic<unsigned> serial{0};
  for (;;) {
    temp = dir / (prefix + std::to_string(::getpid()) + "-" + std::to_string(serial++));
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) return fd;
    if (errno != EEXIST) write_failed(path, errno);
  }
}

/// write_all writes BYTES to FD; false with errno set on failure.
bool write_all(int fd, const char* bytes, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, bytes, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

/// publish closes FD and renames TEMP over PATH (a symlink at PATH is replaced, not followed); on failure TEMP goes.
void publish(int fd, const fs::path& temp, const fs::path& path, int error) {
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temp.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temp.c_str());
    write_failed(path, error);
  }
}

}  // namespace

/// FdBuffer is the stream buffer of an AtomicFileWriter: 64 KiB, written with write(2), the first errno kept.
class AtomicFileWriter::FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd), buffer_(1 << 16) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  int error() const { return error_; }
  int fd() const { return fd_; }

 protected:
  int sync() override {
    if (error_ == 0 && !write_all(fd_, pbase(), static_cast<std::size_t>(pptr() - pbase()))) error_ = errno;
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return error_ == 0 ? 0 : -1;
  }
  int_type overflow(int_type c) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) sputc(traits_type::to_char_type(c));
    return traits_type::not_eof(c);
  }

 private:
  int fd_;
  std::vector<char> buffer_;
  int error_ = 0;
};

AtomicFileWriter::AtomicFileWriter(fs::path path) : path_(std::move(path)), out_(nullptr) {
  int fd = open_temp(path_, temp_);
  buffer_ = std::make_unique<FdBuffer>(fd);
  out_.rdbuf(buffer_.get());
}

AtomicFileWriter::~AtomicFileWriter() {
  if (committed_) return;
  ::close(buffer_->fd());
  ::unlink(temp_.c_str());
}

void AtomicFileWriter::commit() {
  out_.flush();
  int error = buffer_->error();
  if (error == 0 && !out_) error = EIO;
  committed_ = true;
  publish(buffer_->fd(), temp_, path_, error);
}

void write_file_atomic(const fs::path& path, std::string_view bytes) {
  fs::path temp;
  int fd = open_temp(path, temp);
  publish(fd, temp, path, write_all(fd, bytes.data(), bytes.size()) ? 0 : errno);
}

bool is_stale_temporary(const fs::path& path) { return writer_gone(path.filename().string()); }

void refuse_overwriting_input(const fs::path& output, std::string_view output_what, const fs::path& input,
                              std::string_view input_what) {
  struct stat out_st {
  }, in_st{};
  std::error_code ec;
  bool same = ::stat(output.c_str(), &out_st) == 0 && ::stat(input.c_str(), &in_st) == 0
                  ? out_st.st_dev == in_st.st_dev && out_st.st_ino == in_st.st_ino
                  : fs::weakly_canonical(output, ec) == fs::weakly_canonical(input, ec);
  if (same)
    throw InvalidInputError(std::string(output_what) + " " + output.string() + " is the " + std::string(input_what) +
                                ": writing it would destroy what is being read",
                            "give " + std::string(output_what) + " another path");
}

}  // namespace wfa
