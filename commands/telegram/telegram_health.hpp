#pragma once
/// How each partner's bot fares: telegram_health_events records every update processed or failed, every message sent
/// or refused and every webhook check; `wfa telegram health` shows the latest of each per bot.
#include <cstdint>
#include <optional>
#include <string>

#include "core/listing.hpp"
#include "core/pqxx_fwd.hpp"
#include "core/result.hpp"

namespace wfa {

class Session;

/// TelegramHealth is one outcome: KIND update | send | webhook.
struct TelegramHealth {
  std::string partner_id;
  std::string kind;
  bool ok = true;
  std::optional<std::int64_t> update_id, chat_id;
  std::optional<int> error_code;
  std::string error;  ///< never a token or a secret
};

/// record_telegram_health adds H in TX (so it commits with what it reports, or not at all).
void record_telegram_health(pqxx::transaction_base& tx, const TelegramHealth& h);

struct TelegramHealthOptions {
  std::optional<std::string> partner;  ///< id or slug; without it every bot (super admins)
  Paging paging;
};

/// run_telegram_health lists the bots with their latest success and failure of each kind and the failures of the last
/// 24 hours.
Result run_telegram_health(const TelegramHealthOptions& options, Session& session);

}  // namespace wfa
