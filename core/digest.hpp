#pragma once
/// Content digests: SHA-256 as lowercase hex, for checksums and content-addressed storage.
#include <filesystem>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace wfa {

std::string sha256_hex(std::string_view bytes);
/// sha256_file is the hex SHA-256 of PATH's bytes followed by SUFFIX, read block by block (memory stays flat);
/// an unreadable file is an InvalidInputError.
std::string sha256_file(const std::filesystem::path& path, std::string_view suffix = {});

/// Sha256 digests bytes given in pieces.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  /// hex finishes the digest; call it once.
  std::string hex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// DigestingStream is an ostream that passes every byte on to SINK and digests it on the way, so a file can be
/// checked against what was written without holding it in memory.
class DigestingStream : private std::streambuf, public std::ostream {
 public:
  explicit DigestingStream(std::ostream& sink) : std::ostream(this), sink_(sink) {}
  std::string hex() { return digest_.hex(); }

 private:
  std::streambuf::int_type overflow(std::streambuf::int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;

  std::ostream& sink_;
  Sha256 digest_;
};

}  // namespace wfa
