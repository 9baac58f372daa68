#include "core/tokens.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "core/digest.hpp"

namespace wfa {

std::string random_token(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= raw.size(); i += 3) {
    unsigned v = raw[i] << 16 | raw[i + 1] << 8 | raw[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(v >> shift) & 63];
  }
  if (std::size_t rest = raw.size() - i; rest > 0) {
    unsigned v = raw[i] << 16 | (rest == 2 ? raw[i + 1] << 8 : 0);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (rest == 2) out += alphabet[(v >> 6) & 63];
  }
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
