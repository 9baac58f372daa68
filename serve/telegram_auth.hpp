#pragma once
/// Who is asking: the request's host names the partner (white-label resolution), whose bot's token checks the
/// initData (`Authorization: tma INITDATA`, or the X-Telegram-Init-Data header) on every request; the Telegram user is
/// a wfa user by telegram_id. The per-bot secret is cached (60 s); a verdict never is. Failed attempts are limited per
/// client address.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <variant>
#include <string>

#include "pipelines/telegram/init_data.hpp"
#include "serve/caches.hpp"
#include "serve/http_types.hpp"

namespace wfa {
class Session;
}

namespace wfa::serve {

/// Caller is an authenticated request's user.
struct Caller {
  std::string partner_id, partner_slug;
  std::string user_id, email;
  TelegramUser telegram;
};

/// AuthFailure is a refusal: the status (401, 403, 404, 429) and a message that names no secret.
struct AuthFailure {
  int status = 401;
  std::string category, message;
};

class TelegramAuth {
 public:
  /// MAX_AGE bounds auth_date; FAILURES failed attempts per client address within WINDOW answer 429 until it ends.
  TelegramAuth(Caches& caches, std::chrono::seconds max_age, int failures = 20,
               std::chrono::seconds window = std::chrono::seconds(60));

  /// authenticate answers the caller, or why not. The partner, bot secret and user come from the caches; SESSION (a
  /// session on a pooled database, opened when first called) reads what they miss.
  std::variant<Caller, AuthFailure> authenticate(const HttpRequest& request, const std::function<Session&()>& session);
  /// forget drops the cached bot secrets (the change feed saw telegram_bots change, or was lost).
  void forget();

 private:
  std::optional<InitDataSecret> bot_secret(const std::function<Session&()>& session, const std::string& partner_id);
  std::optional<PartnerKey> partner_of(const std::function<Session&()>& session, const std::string& host);
  std::optional<UserKey> user_of(const std::function<Session&()>& session, std::int64_t telegram_id);
  bool limited(const std::string& client);
  void failed(const std::string& client);

  Caches& caches_;
  std::chrono::seconds max_age_;
  int failures_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  struct CachedSecret {
    std::optional<InitDataSecret> secret;
    std::chrono::steady_clock::time_point loaded;
  };
  std::map<std::string, CachedSecret> secrets_;
  struct Strikes {
    int count = 0;
    std::chrono::steady_clock::time_point since;
  };
  std::map<std::string, Strikes> strikes_;
};

}  // namespace wfa::serve
