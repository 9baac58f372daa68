// initData checks with OpenSSL: HMAC-SHA256 and Ed25519, constant-time comparison, strict form decoding.
#include "pipelines/telegram/init_data.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/base64url.hpp"
#include "core/url_encoding.hpp"

namespace wfa {

namespace {

/// parse splits RAW into its decoded fields; nullopt when malformed or a key repeats.
std::optional<std::map<std::string, std::string>> parse(std::string_view raw) {
  std::map<std::string, std::string> fields;
  while (!raw.empty()) {
    auto amp = raw.find('&');
    auto pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    auto key = form_decode(pair.substr(0, eq)), value = form_decode(pair.substr(eq + 1));
    if (!key || !value || key->empty() || !fields.emplace(*key, *value).second) return std::nullopt;
  }
  return fields;
}

/// check_string is the sorted "key=value" lines of FIELDS except those named in SKIP.
std::string check_string(const std::map<std::string, std::string>& fields, std::initializer_list<const char*> skip) {
  std::string out;
  for (const auto& [key, value] : fields) {
    bool skipped = false;
    for (const char* s : skip) skipped = skipped || key == s;
    if (skipped) continue;
    if (!out.empty()) out += '\n';
    out += key + "=" + value;
  }
  return out;
}

/// finish checks auth_date and reads the user: the verdict for fields whose signature already held.
InitDataVerdict finish(std::map<std::string, std::string>&& fields, const InitDataRules& rules) {
  InitDataVerdict v;
  auto at = fields.find("auth_date");
  std::int64_t auth = 0;
  if (at == fields.end() || at->second.empty() || at->second.size() > 12 ||
      at->second.find_first_not_of("0123456789") != std::string::npos) {
    v.problem = "malformed";
    return v;
  }
  auth = std::stoll(at->second);
  if (auth > rules.now + rules.max_skew) {
    v.problem = "from the future";
    return v;
  }
  if (rules.now - auth > rules.max_age) {
    v.problem = "stale";
    return v;
  }
  InitData data;
  data.auth_date = auth;
  if (auto u = fields.find("user"); u != fields.end()) {
    auto user = nlohmann::json::parse(u->second, nullptr, false);
    if (!user.is_object() || !user.contains("id") || !user["id"].is_number_integer()) {
      v.problem = "malformed";
      return v;
    }
    TelegramUser t;
    t.id = user["id"].get<std::int64_t>();
    auto text = [&](const char* k) {
      return user.contains(k) && user[k].is_string() ? user[k].get<std::string>() : "";
    };
    t.first_name = text("first_name"), t.last_name = text("last_name"), t.username = text("username");
    t.language_code = text("language_code");
    data.user = t;
  }
  data.fields = std::move(fields);
  v.data = std::move(data);
  return v;
}

}  // namespace

InitDataSecret init_data_secret(std::string_view bot_token) {
  InitDataSecret secret{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), "WebAppData", 10, reinterpret_cast<const unsigned char*>(bot_token.data()), bot_token.size(),
       secret.data(), &length);
  return secret;
}

InitDataVerdict verify_init_data(std::string_view raw, const InitDataSecret& secret, const InitDataRules& rules) {
  InitDataVerdict v;
  auto fields = parse(raw);
  if (!fields || !fields->count("hash") || fields->at("hash").size() != 64) {
    v.problem = "malformed";
    return v;
  }
  auto message = check_string(*fields, {"hash"});
  unsigned char mac[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  auto expected = hex_encode(std::string_view(reinterpret_cast<const char*>(mac), 32));
  std::string given = fields->at("hash");
  for (auto& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (CRYPTO_memcmp(expected.data(), given.data(), 64) != 0) {
    v.problem = "bad hash";
    return v;
  }
  return finish(std::move(*fields), rules);
}

InitDataVerdict verify_init_data_signature(std::string_view raw, std::int64_t bot_id, std::string_view public_key_hex,
                                           const InitDataRules& rules) {
  InitDataVerdict v;
  v.problem = "bad signature";
  auto fields = parse(raw);
  if (!fields || !fields->count("signature")) {
    v.problem = "malformed";
    return v;
  }
  auto signature = base64url_decode(fields->at("signature"));
  if (!signature || signature->size() != 64 || public_key_hex.size() != 64) return v;
  unsigned char key[32];
  for (int i = 0; i < 32; ++i) {
    int hi = hex_value(public_key_hex[2 * i]), lo = hex_value(public_key_hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return v;
    key[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key, sizeof key), EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!pkey || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) return v;
  auto message = std::to_string(bot_id) + ":WebAppData\n" + check_string(*fields, {"hash", "signature"});
  if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
    return v;
  return finish(std::move(*fields), rules);
}

std::optional<std::int64_t> bot_id_of(std::string_view bot_token) {
  auto colon = bot_token.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 18) return std::nullopt;
  auto id = bot_token.substr(0, colon);
  if (id.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  return std::stoll(std::string(id));
}

}  // namespace wfa
