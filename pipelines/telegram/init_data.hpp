#pragma once
/// Telegram Mini App initData (providers.md §4): the first-party HMAC check under a bot's token, the third-party
/// Ed25519 check under Telegram's public key, and auth_date freshness. No I/O: serve caches the per-bot secret.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace wfa {

/// InitDataSecret is HMAC-SHA256(key "WebAppData", bot token): all the HMAC check needs of a bot.
using InitDataSecret = std::array<unsigned char, 32>;
InitDataSecret init_data_secret(std::string_view bot_token);

struct TelegramUser {
  std::int64_t id = 0;  ///< up to 52 bits
  std::string first_name, last_name, username, language_code;
};

/// InitData is a verified initData: every field as sent (decoded), the user when there is one, and auth_date.
struct InitData {
  std::map<std::string, std::string> fields;
  std::optional<TelegramUser> user;
  std::int64_t auth_date = 0;
};

/// InitDataVerdict is a verification's outcome: the data, or why not in words safe to log (never the data itself).
struct InitDataVerdict {
  std::optional<InitData> data;
  std::string problem;  ///< "malformed", "bad hash", "stale", "from the future", "bad signature"
  bool ok() const { return data.has_value(); }
};

struct InitDataRules {
  std::int64_t now = 0;          ///< Unix seconds
  std::int64_t max_age = 86400;  ///< seconds auth_date may lie in the past
  std::int64_t max_skew = 60;    ///< seconds it may lie in the future
};

/// verify_init_data checks RAW (the query string as Telegram.WebApp.initData gives it) under SECRET: duplicate keys,
/// a missing hash or auth_date, and bad percent-encoding are malformed; the hash is compared in constant time.
InitDataVerdict verify_init_data(std::string_view raw, const InitDataSecret& secret, const InitDataRules& rules);

/// verify_init_data_signature is the third-party check: RAW's Ed25519 `signature` over "BOT_ID:WebAppData\n" and the
/// sorted fields without hash and signature, under PUBLIC_KEY_HEX (32 bytes as hex), with the same freshness rules.
InitDataVerdict verify_init_data_signature(std::string_view raw, std::int64_t bot_id, std::string_view public_key_hex,
                                           const InitDataRules& rules);

/// bot_id_of is the numeric part of a bot token before ':' (nullopt when the token has none).
std::optional<std::int64_t> bot_id_of(std::string_view bot_token);

}  // namespace wfa
