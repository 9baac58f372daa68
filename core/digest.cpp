// SHA-256 through OpenSSL's EVP interface.
#include "core/digest.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "core/error.hpp"
#include "core/url_encoding.hpp"

namespace wfa {

namespace {

std::string to_hex(const unsigned char* digest, unsigned int length) {
  return hex_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return to_hex(digest, length);
}

struct Sha256::State {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(context); }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  if (state_->context == nullptr || EVP_DigestInit_ex(state_->context, EVP_sha256(), nullptr) != 1)
    throw Error(ErrorCategory::unexpected, "OpenSSL could not start a SHA-256 digest");
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) { EVP_DigestUpdate(state_->context, bytes.data(), bytes.size()); }

std::string Sha256::hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(state_->context, digest, &length);
  return to_hex(digest, length);
}

std::string sha256_file(const std::filesystem::path& path, std::string_view suffix) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InvalidInputError("cannot open " + path.string() + ": " + std::strerror(errno),
                            "check the file name and its permissions");
  Sha256 digest;
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    digest.update(std::string_view(block.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) throw InvalidInputError("cannot read " + path.string(), "check the file");
  digest.update(suffix);
  return digest.hex();
}

std::streambuf::int_type DigestingStream::overflow(std::streambuf::int_type c) {
  using traits = std::streambuf::traits_type;
  if (traits::eq_int_type(c, traits::eof())) return traits::not_eof(c);
  char ch = traits::to_char_type(c);
  return xsputn(&ch, 1) == 1 ? c : traits::eof();
}

std::streamsize DigestingStream::xsputn(const char* s, std::streamsize n) {
  digest_.update(std::string_view(s, static_cast<std::size_t>(n)));
  sink_.write(s, n);
  return sink_ ? n : 0;
}

}  // namespace wfa
