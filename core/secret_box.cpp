// AES-256-GCM sealing through OpenSSL's EVP interface; keys from hex or base64 text.
#include "core/secret_box.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/prctl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/url_encoding.hpp"

namespace wfa {

namespace {

/// no_core_dumps: a process that has held a key or a secret writes no core dump, so a crash cannot leave one on disk.
/// Sanitizer builds keep dumping: LeakSanitizer stops the process through ptrace, which a non-dumpable one refuses.
void no_core_dumps() {
#if !defined(__SANITIZE_ADDRESS__)
  static std::once_flag once;
  std::call_once(once, [] { ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); });
#endif
}

constexpr unsigned char format_version = 1;
constexpr std::size_t id_bytes = 8, nonce_bytes = 12, tag_bytes = 16;
constexpr std::size_t header_bytes = 1 + id_bytes + nonce_bytes;

using Cipher = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::string key_id_of(const std::array<unsigned char, 32>& bytes) {
  return sha256_hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())).substr(0, 16);
}

std::string id_to_bytes(const std::string& id) {
  std::string out;
  for (std::size_t i = 0; i + 1 < id.size(); i += 2)
    out += static_cast<char>(hex_value(id[i]) * 16 + hex_value(id[i + 1]));
  return out;
}

[[noreturn]] void crypto_failed() { throw Error(ErrorCategory::unexpected, "OpenSSL could not run AES-256-GCM"); }

}  // namespace

SecretKey SecretKey::parse(std::string_view text, std::string_view where) {
  no_core_dumps();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  SecretKey key;
  bool ok = false;
  if (text.size() == 64) {
    ok = true;
    for (std::size_t i = 0; ok && i < 32; ++i) {
      int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
      ok = hi >= 0 && lo >= 0;
      if (ok) key.bytes[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
  } else if (text.size() == 44 && text.back() == '=') {
    unsigned char decoded[48] = {};
    ok = EVP_DecodeBlock(decoded, reinterpret_cast<const unsigned char*>(text.data()), 44) == 33 && text[43] == '=' &&
         text[42] != '=';
    if (ok) std::copy(decoded, decoded + 32, key.bytes.begin());
  }
  if (!ok)
    throw InvalidInputError(std::string(where) + " is not a 256-bit key",
                            "give 64 hex digits or the base64 of 32 bytes (e.g. from `openssl rand -hex 32`)");
  key.id = key_id_of(key.bytes);
  return key;
}

SecretKey SecretKey::generate() {
  no_core_dumps();
  SecretKey key;
  if (RAND_bytes(key.bytes.data(), static_cast<int>(key.bytes.size())) != 1)
    throw Error(ErrorCategory::unexpected, "the system's random source gave no key");
  key.id = key_id_of(key.bytes);
  return key;
}

std::string SecretKey::hex() const {
  return hex_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string seal_secret(const SecretKey& key, std::string_view plaintext, std::string_view context) {
  no_core_dumps();
  std::string out(header_bytes + plaintext.size() + tag_bytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  bytes[0] = format_version;
  auto id = id_to_bytes(key.id);
  std::copy(id.begin(), id.end(), out.begin() + 1);
  unsigned char* nonce = bytes + 1 + id_bytes;
  if (RAND_bytes(nonce, static_cast<int>(nonce_bytes)) != 1) crypto_failed();
  Cipher ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int n = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(context.data()),
                        static_cast<int>(context.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), bytes + header_bytes, &n, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), bytes + header_bytes + n, &n) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_bytes),
                          bytes + header_bytes + plaintext.size()) != 1)
    crypto_failed();
  return out;
}

std::string sealed_key_id(std::string_view sealed) {
  if (sealed.size() < header_bytes + tag_bytes || static_cast<unsigned char>(sealed[0]) != format_version) return "";
  return hex_encode(sealed.substr(1, id_bytes));
}

std::string open_secret(const SecretKey& key, std::string_view sealed, std::string_view context,
                        std::string_view what) {
  no_core_dumps();
  if (sealed_key_id(sealed) != key.id)
    throw InvalidInputError(std::string(what) + " does not open with the secret key " + key.id,
                            "use the key it was sealed with (wfa-secret(1))");
  auto length = sealed.size() - header_bytes - tag_bytes;
  std::string out(length, '\0');
  const auto* bytes = reinterpret_cast<const unsigned char*>(sealed.data());
  Cipher ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int n = 0;
  bool ok = ctx &&
            EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.bytes.data(), bytes + 1 + id_bytes) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(context.data()),
                              static_cast<int>(context.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n, bytes + header_bytes,
                              static_cast<int>(length)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_bytes),
                                const_cast<unsigned char*>(bytes + header_bytes + length)) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &n) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    throw InvalidInputError(std::string(what) + " does not open: it was changed, or belongs to another record",
                            "set it again");
  }
  return out;
}

void wipe_secret(std::string& text) {
  OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

std::string masked_secret(std::string_view secret) {
  if (secret.size() <= 12) return "…" + std::string(secret.substr(secret.size() >= 2 ? secret.size() - 2 : 0));
  std::size_t head = 0;
  while (head < 3 &&
         (std::isalnum(static_cast<unsigned char>(secret[head])) || secret[head] == '_' || secret[head] == '-')) {
    bool separator = secret[head] == '_' || secret[head] == '-';
    ++head;
    if (separator) break;
  }
  return std::string(secret.substr(0, head)) + "…" + std::string(secret.substr(secret.size() - 4));
}

}  // namespace wfa
