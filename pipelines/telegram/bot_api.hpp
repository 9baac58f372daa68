#pragma once
/// One call of Telegram's Bot API (POST BASE/botTOKEN/METHOD with a JSON body), answered as data: whether it went
/// through, Telegram's error code and description, and the retry_after of a 429. The token is in the URL's path, so no
/// message of this module names the URL.
#include <optional>
#include <string>

namespace wfa {

struct BotApiAnswer {
  bool reached = false;                 ///< false: no answer at all (connect failure, timeout, reset)
  long status = 0;                      ///< the HTTP status
  bool ok = false;                      ///< Telegram's "ok"
  std::string result;                   ///< the "result" member as JSON text ("null" when absent)
  int error_code = 0;                   ///< Telegram's error_code (0 when ok)
  std::string description;              ///< Telegram's description, or why there was no answer
  std::optional<int> retry_after;       ///< seconds, from parameters.retry_after of a 429
  std::optional<long> migrate_to_chat;  ///< parameters.migrate_to_chat_id: a group that became a supergroup
};

/// call_bot_api makes one call; BASE_URL is the setting telegram_api_base_url (empty: https://api.telegram.org).
BotApiAnswer call_bot_api(const std::string& base_url, const std::string& token, const std::string& method,
                          const std::string& params_json);

}  // namespace wfa
