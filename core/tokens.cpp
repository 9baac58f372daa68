#include "core/tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "core/base64url.hpp"
#include "core/digest.hpp"

namespace wfa {

std::string random_token(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
  std::string out = base64url_encode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
  // A leading '-' would read as an option on a command line (1 draw in 64): draw again.
  if (!out.empty() && out.front() == '-') return random_token(bytes);
  return out;
}

std::string token_hash(std::string_view token) { return sha256_hex(std::string(token)); }

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace wfa
