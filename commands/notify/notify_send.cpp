// `wfa notify send`: queue a message for a partner's bot; an idempotency key makes a second send queue nothing.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/notify/notify.hpp"
#include "commands/notify/notify_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/utf8.hpp"

namespace wfa {

namespace {

/// Bytes a message file may hold: 4096 characters of four bytes each.
constexpr std::size_t max_text_bytes = 4 * max_notification_chars;

/// message_text is the message from --text or --text-file, checked against Telegram's rules.
std::string message_text(const NotifySendOptions& o, const Session& session) {
  if (o.text.has_value() == o.text_file.has_value())
    throw UsageError("give the message with " + session.option("text") + " or " + session.option("text-file"),
                     "one of the two, not both");
  auto text = o.text ? *o.text : read_input_file(*o.text_file, "the message", max_text_bytes);
  auto where = o.text ? session.option("text") : "the message in " + *o.text_file;
  if (auto bad = utf8_invalid_at(text); bad != std::string::npos)
    throw InvalidInputError(where + " is not UTF-8 (byte " + std::to_string(bad + 1) + ")", "save it as UTF-8");
  if (auto bad = control_at(text, true); bad != std::string::npos)
    throw InvalidInputError(where + " holds a control character (byte " + std::to_string(bad + 1) + ")",
                            "remove it; line breaks and tabs may stay");
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw InvalidInputError(where + " is empty", "give the text to send");
  if (auto n = code_points(text); n > max_notification_chars)
    throw InvalidInputError(where + " has " + std::to_string(n) + " characters; Telegram takes at most 4096",
                            "shorten it, or split it into several notifications");
  return text;
}

std::string notification_select(const std::string& where) {
  return "SELECT n.id, p.slug AS partner, n.chat_id, n.status, n.parse_mode, n.idempotency_key AS key, "
         "char_length(n.text) AS characters, n.workspace_id, " +
         utc_sql("n.created_at") + " AS created_at FROM notifications n JOIN partners p ON p.id = n.partner_id " +
         where;
}

}  // namespace

Result run_notify_send(const NotifySendOptions& o, Session& session) {
  if (o.parse_mode) check_choice("parse-mode", *o.parse_mode, notification_parse_modes, "a Telegram parse mode");
  auto chat = parse_chat_id(session, o.chat);
  if (o.key && o.key->empty())
    throw InvalidInputError(session.option("key") + " is empty", "give a key, or leave it out");
  if (o.key) check_single_line(session.option("key"), *o.key);
  auto text = message_text(o, session);
  pqxx::work tx(session.database().ready());
  auto partner = partner_for(tx, session, o.partner, "partner:settings:update");
  if (tx.exec_params("SELECT 1 FROM telegram_bots WHERE partner_id = $1::uuid", partner.id).empty())
    throw NotFoundError("partner " + partner.slug + " has no Telegram bot to send with",
                        "set one with `wfa telegram bot set " + partner.slug + "`");
  std::optional<std::string> workspace_id;
  if (o.workspace) {
    auto ws = find_workspace(tx, *o.workspace);
    if (ws.partner_id != partner.id)
      throw InvalidInputError(
          session.option("workspace") + " " + *o.workspace + " is not a workspace of partner " + partner.slug,
          "give one of its workspaces, or leave it out");
    workspace_id = ws.id;
  }
  auto inserted = tx.exec_params(
      "INSERT INTO notifications (partner_id, chat_id, text, parse_mode, workspace_id, idempotency_key) VALUES"
      " ($1::uuid, $2, $3, $4, $5::uuid, $6) ON CONFLICT (partner_id, idempotency_key) DO NOTHING RETURNING id::text",
      partner.id, chat, text, o.parse_mode, workspace_id, o.key);
  Result r;
  if (inserted.empty()) {
    // The key queued a message before: the same message is a no-op, a different one a mistake worth saying.
    auto same = tx.exec_params(
        "SELECT id::text, chat_id = $3 AND text = $4 AND parse_mode IS NOT DISTINCT FROM $5 FROM notifications WHERE"
        " partner_id = $1::uuid AND idempotency_key = $2",
        partner.id, *o.key, chat, text, o.parse_mode);
    if (!same[0][1].as<bool>())
      throw ConflictError("key " + *o.key + " of partner " + partner.slug + " already queued another message (" +
                              same[0][0].as<std::string>() + ")",
                          "give a new key for a new message");
    r.fields = to_fields(tx.exec_params(notification_select("WHERE n.id = $1::uuid"), same[0][0].as<std::string>()));
    r.message = "already queued with key " + *o.key + "; nothing queued";
    return r;
  }
  auto id = inserted[0][0].as<std::string>();
  nlohmann::json values{{"chat_id", chat}, {"characters", code_points(text)}};
  if (o.parse_mode) values["parse_mode"] = *o.parse_mode;
  if (o.key) values["key"] = *o.key;
  record_audit(tx,
               {session.actor(), "notify.send", "notification", id, partner.id, workspace_id, "", values.dump(), ""});
  r.fields = to_fields(tx.exec_params(notification_select("WHERE n.id = $1::uuid"), id));
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "queued a message to chat " + std::to_string(chat),
                             "would queue a message to chat " + std::to_string(chat));
}

}  // namespace wfa
