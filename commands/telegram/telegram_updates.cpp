// Processing a partner's bot's updates (wfa-telegram(1), "UPDATES").
#include "commands/telegram/telegram_updates.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/invite/invite.hpp"
#include "commands/telegram/telegram_admins.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/audited_mutation.hpp"
#include "core/error.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

using Json = nlohmann::json;

const Json& member_of(const Json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) throw InvalidInputError(where + " has no " + key);
  return *it;
}

std::int64_t integer_of(const Json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) throw InvalidInputError(where + " has no integer " + key);
  return it->get<std::int64_t>();
}

std::string text_of(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<std::string> optional_text(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? std::optional(it->get<std::string>()) : std::nullopt;
}

std::string not_linked(std::int64_t chat_id) {
  auto id = std::to_string(chat_id);
  return "chat " + id + " is not linked to a workspace (`wfa telegram sync-admins --group " + id +
         " --workspace W` links it)";
}

/// bot_standing records the bot's own standing in a linked group (my_chat_member), newest report wins.
TelegramUpdateOutcome bot_standing(pqxx::dbtransaction& tx, const Json& report, TelegramUpdateOutcome out) {
  const auto& chat = member_of(report, "chat", "my_chat_member");
  out.chat_id = integer_of(chat, "id", "my_chat_member.chat");
  auto status = text_of(member_of(report, "new_chat_member", "my_chat_member"), "status");
  auto date = integer_of(report, "date", "my_chat_member");
  auto group = find_linked_group(tx, *out.chat_id);
  if (!group) return {"ignored", not_linked(*out.chat_id), out.update_id, out.chat_id};
  if (status == "creator") status = "administrator";
  auto before = row_json(tx, "telegram_groups", group->id);
  auto changed = tx.exec_params(
      "UPDATE telegram_groups SET bot_status = $2, bot_status_at = to_timestamp($3::bigint), title = coalesce($4,"
      " title) WHERE id = $1::uuid AND (bot_status_at IS NULL OR bot_status_at <= to_timestamp($3::bigint))"
      " AND (bot_status, title) IS DISTINCT FROM ($2, coalesce($4, title))",
      group->id, status, date, optional_text(chat, "title"));
  if (changed.affected_rows() == 0)
    return {"processed", "the bot's standing was already known", out.update_id, out.chat_id};
  record_audit(tx, {"telegram:" + std::to_string(integer_of(member_of(report, "from", "my_chat_member"), "id",
                                                            "my_chat_member.from")),
                    "telegram_group.bot_status", "telegram_group", group->id, group->scope.partner_id,
                    group->scope.workspace_id, before, row_json(tx, "telegram_groups", group->id), ""});
  return {"processed", "the bot is " + status + " in " + group->scope.describe() + "'s group", out.update_id,
          out.chat_id};
}

/// admin_standing applies one member's new standing in a linked group (chat_member) through the admin sync.
TelegramUpdateOutcome admin_standing(pqxx::dbtransaction& tx, const Json& report, TelegramUpdateOutcome out) {
  const auto& chat = member_of(report, "chat", "chat_member");
  out.chat_id = integer_of(chat, "id", "chat_member.chat");
  const auto& now = member_of(report, "new_chat_member", "chat_member");
  const auto& user = member_of(now, "user", "chat_member.new_chat_member");
  auto tid = integer_of(user, "id", "chat_member.new_chat_member.user");
  auto date = integer_of(report, "date", "chat_member");
  auto status = text_of(now, "status");
  if (user.value("is_bot", false)) return {"ignored", "bots are not members", out.update_id, out.chat_id};
  auto group = find_linked_group(tx, *out.chat_id);
  if (!group) return {"ignored", not_linked(*out.chat_id), out.update_id, out.chat_id};
  auto actor =
      "telegram:" + std::to_string(integer_of(member_of(report, "from", "chat_member"), "id", "chat_member.from"));
  auto before = admins_json(tx, group->id);
  GroupAdminSync sync(tx, *group, actor,
                      Json{{"source", "telegram"}, {"chat_id", *out.chat_id}, {"update_id", *out.update_id}}.dump());
  if (sync.stale(tid, date))
    return {"ignored", "an older report than the standing already stored", out.update_id, out.chat_id};
  if (status == "creator" || status == "administrator")
    sync.admin(TelegramAdmin{tid, status, optional_text(user, "first_name"), optional_text(user, "last_name"),
                             optional_text(user, "username")},
               date);
  else
    sync.former(tid, date);
  auto& c = sync.counts();
  if (c["admin_rows_changed"] == 0 && c["added"] + c["promoted"] + c["demoted"] == 0)
    return {"processed", "user " + std::to_string(tid) + " (" + status + "): nothing changed", out.update_id,
            out.chat_id};
  tx.exec_params("UPDATE telegram_groups SET last_changed_at = now() WHERE id = $1::uuid", group->id);
  auto action = sync.rows().rows.empty() ? std::string("recorded") : sync.rows().rows.back().back().to_text();
  record_audit(tx, {actor, "telegram_group.sync_admins", "telegram_group", group->id, group->scope.partner_id,
                    group->scope.workspace_id, before, admins_json(tx, group->id),
                    Json{{"chat_id", *out.chat_id}, {"update_id", *out.update_id}, {"telegram_id", tid}}.dump()});
  return {"processed", "user " + std::to_string(tid) + " (" + status + "): " + action, out.update_id, out.chat_id};
}

/// migrated moves a linked group's link to the supergroup its group became (Telegram gives it a new chat id).
TelegramUpdateOutcome migrated(pqxx::dbtransaction& tx, const Json& message, TelegramUpdateOutcome out) {
  auto to = integer_of(message, "migrate_to_chat_id", "message");
  auto group = find_linked_group(tx, *out.chat_id);
  if (!group) return {"ignored", not_linked(*out.chat_id), out.update_id, out.chat_id};
  if (!tx.exec_params("SELECT 1 FROM telegram_chat_routes WHERE chat_id = $1", to).empty())
    return {"processed", "the supergroup " + std::to_string(to) + " is already linked", out.update_id, out.chat_id};
  auto before = row_json(tx, "telegram_groups", group->id);
  tx.exec_params("UPDATE telegram_chat_routes SET chat_id = $2 WHERE chat_id = $1", *out.chat_id, to);
  tx.exec_params("UPDATE telegram_groups SET chat_id = $2 WHERE id = $1::uuid", group->id, to);
  record_audit(tx, {"telegram", "telegram_group.migrate", "telegram_group", group->id, group->scope.partner_id,
                    group->scope.workspace_id, before, row_json(tx, "telegram_groups", group->id), ""});
  return {"processed", "the group became supergroup " + std::to_string(to) + "; its link moved", out.update_id,
          out.chat_id};
}

}  // namespace

std::optional<TelegramStart> telegram_start_of(const std::string& body) {
  auto update = Json::parse(body, nullptr, false);
  if (!update.is_object() || !update.contains("message") || !update["message"].is_object()) return std::nullopt;
  const auto& message = update["message"];
  auto text = text_of(message, "text");
  if (text.rfind("/start ", 0) != 0) return std::nullopt;
  auto code = text.substr(7);
  while (!code.empty() && code.front() == ' ') code.erase(0, 1);
  while (!code.empty() && code.back() == ' ') code.pop_back();
  const auto& chat = message.value("chat", Json::object());
  const auto& from = message.value("from", Json::object());
  if (code.empty() || chat.value("type", "") != "private" || !from.contains("id") || !from["id"].is_number_integer() ||
      !update["update_id"].is_number_integer())
    return std::nullopt;
  return TelegramStart{code, from["id"].get<std::int64_t>(), update["update_id"].get<std::int64_t>(),
                       chat.value("id", std::int64_t{0})};
}

TelegramUpdateOutcome apply_telegram_update(pqxx::dbtransaction& tx, const std::string& partner_id,
                                            const std::string& body) {
  (void)partner_id;  // every linked chat names its workspace; the bot only says whose health log to write
  auto update = Json::parse(body, nullptr, false);
  if (!update.is_object()) throw InvalidInputError("the update is not a JSON object");
  TelegramUpdateOutcome out;
  out.update_id = integer_of(update, "update_id", "the update");
  if (update.contains("my_chat_member")) return bot_standing(tx, update["my_chat_member"], out);
  if (update.contains("chat_member")) return admin_standing(tx, update["chat_member"], out);
  if (update.contains("message") && update["message"].is_object()) {
    const auto& message = update["message"];
    if (message.contains("chat") && message["chat"].is_object() && message["chat"].contains("id") &&
        message["chat"]["id"].is_number_integer())
      out.chat_id = message["chat"]["id"].get<std::int64_t>();
    if (message.contains("migrate_to_chat_id") && out.chat_id) return migrated(tx, message, out);
    if (text_of(message, "text").rfind("/start", 0) == 0)
      return {"ignored", "a /start without an invitation code (or outside a private chat)", out.update_id, out.chat_id};
    return {"ignored", "messages are stored only", out.update_id, out.chat_id};
  }
  std::string type;
  for (const auto& [name, value] : update.items())
    if (name != "update_id") type = name;
  return {"ignored", (type.empty() ? std::string("empty") : type) + " updates are stored only", out.update_id,
          out.chat_id};
}

TelegramUpdateOutcome accept_telegram_start(Session& session, const std::string& partner_id,
                                            const TelegramStart& start) {
  TelegramUpdateOutcome out{"processed", "", start.update_id, start.chat_id};
  InviteAcceptOptions o;
  o.token = start.code;
  o.create_user = true;
  o.telegram_id = start.telegram_id;
  o.partner_id = partner_id;
  try {
    auto accepted = run_invite_accept(o, session);
    out.detail = "invitation accepted for Telegram user " + std::to_string(start.telegram_id);
    std::string role;
    for (const auto& [name, cell] : accepted.fields)
      if (name == "role") role = cell.to_text();
    out.reply = "Welcome! Your invitation is accepted" + (role.empty() ? std::string() : " (role: " + role + ")") +
                ". Open the app from the menu button to start.";
  } catch (const ConflictError& e) {
    // A second delivery (or the Mini App first): accepted already is the effect wanted, once.
    out = {"ignored", std::string("the invitation was not accepted: ") + e.what(), start.update_id, start.chat_id};
  } catch (const NotFoundError&) {
    out = {"ignored", "no such invitation for this bot's partner", start.update_id, start.chat_id};
  } catch (const InvalidInputError& e) {
    out = {"ignored", std::string("the invitation was not accepted: ") + e.what(), start.update_id, start.chat_id};
  } catch (const PermissionError& e) {
    out = {"ignored", std::string("the invitation was not accepted: ") + e.what(), start.update_id, start.chat_id};
  }
  return out;
}

}  // namespace wfa
