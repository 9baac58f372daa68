// read_file and write_file_atomic over POSIX calls, so errno can be named in messages.
#include "core/file_io.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <streambuf>
#include <vector>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <system_error>

#include "core/error.hpp"
#include "core/url_encoding.hpp"

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

std::atomic<bool> group_readable{false};
std::atomic<bool> shared_dirs_allowed{false};

mode_t file_mode() { return group_readable ? 0640 : 0600; }
mode_t dir_mode() { return group_readable ? 0750 : 0700; }

/// random_suffix is 16 hex digits from the kernel's generator, so no other user can predict a temporary's name.
std::string random_suffix() {
  unsigned char bytes[8];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "getrandom");
    got += static_cast<std::size_t>(n);
  }
  return hex_encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

/// refuse_shared_dir stops a write into a directory every user may write to without the sticky bit: another user
/// could rename or replace what wfa writes there.
void refuse_shared_dir(const fs::path& dir) {
  struct stat st {};
  if (shared_dirs_allowed || ::stat(dir.c_str(), &st) != 0) return;
  if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
    throw InvalidInputError("output directory " + dir.string() +
                                " is writable by every user and has no sticky bit: another user could replace what "
                                "wfa writes there",
                            "write elsewhere, `chmod o-w` or `chmod +t` it, or set WFA_ALLOW_SHARED_OUTPUT_DIRS=1");
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

/// sweep_stale_temporaries removes, once per directory and process, the temporaries killed runs left in DIR: a batch
/// writing thousands of files into one directory lists it once, not once per file.
void sweep_stale_temporaries(const fs::path& dir) {
  static std::mutex mutex;
  static std::set<std::string> swept;
  std::error_code ec;
  auto key = fs::weakly_canonical(dir, ec).string();
  {
    std::lock_guard lock(mutex);
    if (!swept.insert(ec ? dir.string() : key).second) return;
  }
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    auto name = it->path().filename().string();
    if (name.rfind('.', 0) == 0 && writer_gone(name)) ::unlink(it->path().c_str());
  }
}

/// open_temp creates PATH's parent directories and a new temporary file beside PATH, never through a symlink and
/// never an existing file; the temporaries killed runs left beside PATH are removed first.
int open_temp(const fs::path& path, fs::path& temp) {
  std::error_code ec;
  auto dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  try {
    make_private_directories(dir);
  } catch (const Error&) {
    write_failed(path, ENOTDIR);
  }
  refuse_shared_dir(dir);
  auto prefix = temp_prefix(path);
  sweep_stale_temporaries(dir);
  for (int attempt = 0;; ++attempt) {
    temp = dir / (prefix + std::to_string(::getpid()) + "-" + random_suffix());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, file_mode());
    if (fd >= 0) return fd;
    if (errno != EEXIST || attempt == 16) write_failed(path, errno);
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
  // On disk before it has the name: a crash after the rename never leaves NAME empty or short.
  if (error == 0 && ::fdatasync(fd) != 0) error = errno;
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

void set_group_readable_outputs(bool on) { group_readable = on; }

void allow_shared_output_dirs(bool on) { shared_dirs_allowed = on; }

void make_private_directories(const fs::path& dir) {
  if (dir.empty()) return;
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode))
      throw InvalidInputError(dir.string() + " is not a directory", "give a directory, or a path inside one");
    return;
  }
  if (dir.has_parent_path() && dir.parent_path() != dir) make_private_directories(dir.parent_path());
  if (::mkdir(dir.c_str(), dir_mode()) != 0 && errno != EEXIST)
    throw InvalidInputError("cannot create directory " + dir.string() + ": " + std::strerror(errno),
                            "check that its parent exists and is writable");
}

void refuse_others_writable(const fs::path& path, std::string_view what) {
  auto check = [&](const fs::path& p, bool is_parent) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return;
    std::string which = is_parent
                            ? "the directory " + p.string() + " holding " + std::string(what) + " " + path.string()
                            : std::string(what) + " " + p.string();
    if (st.st_uid != ::geteuid() && st.st_uid != 0)
      throw InvalidInputError(which + " belongs to another user (uid " + std::to_string(st.st_uid) + ")",
                              "use one that you or root own");
    // In a sticky directory (/tmp) others may add files but not replace or remove this one.
    bool sticky_parent = is_parent && (st.st_mode & S_ISVTX);
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !sticky_parent) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
      throw InvalidInputError(which + " is writable by other users (mode " + mode + ")", "chmod go-w " + p.string());
    }
  };
  check(path, false);
  auto parent = fs::absolute(path).parent_path();
  if (!parent.empty()) check(parent, true);
}

bool is_stale_temporary(const fs::path& path) { return writer_gone(path.filename().string()); }

fs::path output_in_dir(const fs::path& dir, std::string_view name, std::string_view what) {
  auto refuse = [&](const std::string& why) {
    return InvalidInputError(std::string(what) + " '" + std::string(name) + "' " + why,
                             "give a file name inside the output directory");
  };
  fs::path relative(name);
  if (name.empty()) throw refuse("is empty");
  if (relative.is_absolute()) throw refuse("is an absolute path: it leaves the output directory");
  for (const auto& part : relative)
    if (part == "..") throw refuse("climbs out of the output directory with '..'");
  auto path = (dir / relative).lexically_normal();
  std::error_code ec;
  auto home = fs::weakly_canonical(dir, ec);
  auto parent = fs::weakly_canonical(path.parent_path(), ec);
  auto [stop, at] = std::mismatch(home.begin(), home.end(), parent.begin(), parent.end());
  if (ec || stop != home.end())
    throw refuse("resolves through a symbolic link to " + parent.string() + ", outside the output directory");
  return path;
}

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
