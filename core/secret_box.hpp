#pragma once
/// Secrets at rest: AES-256-GCM (OpenSSL) with a fresh 96-bit nonce per seal and the secret's owner as authenticated
/// data, so a sealed value copied onto another row, or changed by one bit, does not open. A process that parses a key
/// or seals or opens a secret stops being dumpable: a crash leaves no core file holding it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace wfa {

/// SecretKey is a 256-bit key and its id, the first 16 hex digits of SHA-256 over it (stored with what it seals, so
/// the key a value needs is known without trying every key).
struct SecretKey {
  std::array<unsigned char, 32> bytes{};
  std::string id;

  /// parse reads 64 hex digits or the base64 of 32 bytes (surrounding whitespace ignored); anything else is
  /// InvalidInputError naming WHERE, never echoing the text.
  static SecretKey parse(std::string_view text, std::string_view where);
  /// generate draws a key from the operating system's random source.
  static SecretKey generate();
  /// hex is the key as the key file holds it.
  std::string hex() const;
};

/// seal encrypts PLAINTEXT under KEY for CONTEXT (e.g. "workspace_integrations/<workspace>/<provider>"): version byte,
/// key id (8 bytes), nonce (12), ciphertext, tag (16).
std::string seal_secret(const SecretKey& key, std::string_view plaintext, std::string_view context);

/// sealed_key_id is the id of the key that sealed SEALED, or "" when SEALED is not a sealed value.
std::string sealed_key_id(std::string_view sealed);

/// open_secret decrypts SEALED (sealed with KEY for CONTEXT); a wrong key, context or a changed byte is
/// InvalidInputError "WHAT does not open", with no detail an attacker could use.
std::string open_secret(const SecretKey& key, std::string_view sealed, std::string_view context, std::string_view what);

/// wipe_secret overwrites TEXT's bytes in a way the compiler may not drop, then clears it.
void wipe_secret(std::string& text);

/// masked_secret shows a secret as its first three characters (only up to a separator such as '_' or '-'), an
/// ellipsis and its last four: "sk_…a1b2"; a secret of 12 characters or fewer shows only "…" and its last two.
std::string masked_secret(std::string_view secret);

}  // namespace wfa
