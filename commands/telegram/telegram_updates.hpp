#pragma once
/// Telegram updates of a partner's bot, processed once after serve stored them: chat_member reports keep a linked
/// group's admins (and so its workspace memberships) current, my_chat_member reports the bot's own standing, a group
/// that became a supergroup keeps its link, and `/start CODE` accepts the invitation CODE for its sender.
#include <cstdint>
#include <optional>
#include <string>

#include "core/pqxx_fwd.hpp"

namespace wfa {

class Session;

/// TelegramUpdateOutcome is how one update ended: processed | ignored (with the reason); CHAT_ID is the chat it is
/// about, for the bot's health log.
struct TelegramUpdateOutcome {
  std::string status;
  std::string detail;
  std::optional<std::int64_t> update_id, chat_id;
  std::string reply;  ///< a message for the bot to send back to CHAT_ID (queued as a notification), or empty
};

/// apply_telegram_update applies BODY (the update's JSON) of PARTNER_ID's bot in TX; a malformed update is
/// InvalidInputError. `/start CODE` is not applied here (see accept_telegram_start: it has a transaction of its own).
TelegramUpdateOutcome apply_telegram_update(pqxx::dbtransaction& tx, const std::string& partner_id,
                                            const std::string& body);

/// TelegramStart is a private `/start CODE` message: the invitation code and who sent it.
struct TelegramStart {
  std::string code;
  std::int64_t telegram_id = 0;
  std::int64_t update_id = 0, chat_id = 0;
};
std::optional<TelegramStart> telegram_start_of(const std::string& body);

/// accept_telegram_start accepts the invitation START.code of PARTNER_ID for the sender's Telegram account (creating
/// the invited user when needed) in a transaction of its own; accepting is itself once only, so a second delivery
/// finds it accepted and says so.
TelegramUpdateOutcome accept_telegram_start(Session& session, const std::string& partner_id,
                                            const TelegramStart& start);

}  // namespace wfa
