// `wfa telegram bot set|show|remove`: a partner's white-label bot, its token sealed and never shown whole.
#include <regex>

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/secret/secret_keys.hpp"
#include "commands/telegram/telegram.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/rows.hpp"
#include "core/secret_box.hpp"
#include "core/session.hpp"
#include "pipelines/telegram/init_data.hpp"

namespace wfa {

namespace {

constexpr std::size_t max_token_bytes = 256;

/// bot_row is what show prints: never the token, only its hint; the webhook URL when public_url is set.
pqxx::result bot_row(pqxx::transaction_base& tx, const Session& session, const std::string& partner_id) {
  return tx.exec_params(
      "SELECT p.slug AS partner, b.bot_id, b.token_hint AS token, '/webhooks/telegram/' || b.webhook_endpoint AS"
      " webhook_path, NULLIF(rtrim($2, '/'), '') || '/webhooks/telegram/' || b.webhook_endpoint AS webhook_url,"
      " b.created_at, b.updated_at FROM telegram_bots b JOIN partners p ON p.id = b.partner_id WHERE b.partner_id ="
      " $1::uuid",
      partner_id, session.settings().value("public_url"));
}

/// audit_values is the bot as the audit log keeps it (the hint, not the token).
std::string audit_values(pqxx::transaction_base& tx, const std::string& partner_id) {
  auto rows = tx.exec_params(
      "SELECT json_build_object('bot_id', bot_id, 'token', token_hint)::text FROM telegram_bots WHERE partner_id ="
      " $1::uuid",
      partner_id);
  return rows.empty() ? "" : rows[0][0].as<std::string>();
}

/// bot_audit starts the audit entry of ACTION on the partner's bot, its old values as they stand.
AuditEntry bot_audit(pqxx::transaction_base& tx, const Session& session, const std::string& action,
                     const std::string& partner_id) {
  return {session.actor(),
          action,
          "telegram_bot",
          partner_id,
          partner_id,
          std::nullopt,
          audit_values(tx, partner_id),
          "",
          ""};
}

[[noreturn]] void no_bot(const std::string& partner) {
  throw NotFoundError("partner " + partner + " has no Telegram bot",
                      "set one with `wfa telegram bot set " + partner + " --token-file FILE`");
}

}  // namespace

std::string telegram_bot_context(const std::string& partner_id) { return "telegram_bots/" + partner_id; }

Result run_telegram_bot_set(const TelegramBotOptions& o, Session& session) {
  auto token = read_secret_input(o.token_file, "the bot token", max_token_bytes);
  static const std::regex shape("[0-9]{1,18}:[A-Za-z0-9_-]{30,}");
  if (!std::regex_match(token, shape)) {
    wipe_secret(token);
    throw InvalidInputError("the bot token is not BOT_ID:SECRET as @BotFather gives it",
                            "copy the whole token from @BotFather into the file");
  }
  auto bot_id = *bot_id_of(token);
  pqxx::work tx(session.database().ready());
  auto partner = partner_for(tx, session, o.partner, "partner:settings:update");
  auto [sealed, hint] = seal_input(session, tx, token, telegram_bot_context(partner.id));
  auto audit = bot_audit(tx, session, "telegram.bot_set", partner.id);
  auto taken = tx.exec_params(
      "SELECT p.slug FROM telegram_bots b JOIN partners p ON p.id = b.partner_id WHERE"
      " b.bot_id = $1 AND b.partner_id <> $2::uuid",
      bot_id, partner.id);
  if (!taken.empty())
    throw ConflictError("bot " + std::to_string(bot_id) + " already serves partner " + taken[0][0].as<std::string>(),
                        "give each partner its own bot from @BotFather");
  tx.exec_params(
      "INSERT INTO telegram_bots (partner_id, bot_id, token, token_hint) VALUES ($1::uuid, $2, $3, $4)"
      " ON CONFLICT (partner_id) DO UPDATE SET bot_id = EXCLUDED.bot_id, token = EXCLUDED.token,"
      " token_hint = EXCLUDED.token_hint",
      partner.id, bot_id, pqxx::binarystring(sealed), hint);
  audit.new_values = audit_values(tx, partner.id);
  record_audit(tx, audit);
  Result r;
  r.fields = to_fields(bot_row(tx, session, partner.id));
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "set the Telegram bot of partner " + partner.slug,
                             "would set the Telegram bot of partner " + partner.slug);
}

Result run_telegram_bot_show(const TelegramBotOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto partner = partner_for(tx, session, o.partner, "partner:settings:read");
  auto rows = bot_row(tx, session, partner.id);
  if (rows.empty()) no_bot(partner.slug);
  Result r;
  r.fields = to_fields(rows);
  return r;
}

Result run_telegram_bot_remove(const TelegramBotOptions& o, Session& session) {
  auto& conn = session.database().ready();
  if (!o.dry_run) session.confirm(o.yes, "remove the Telegram bot of partner " + o.partner);
  pqxx::work tx(conn);
  auto partner = partner_for(tx, session, o.partner, "partner:settings:update");
  auto rows = bot_row(tx, session, partner.id);
  if (rows.empty()) no_bot(partner.slug);
  auto audit = bot_audit(tx, session, "telegram.bot_remove", partner.id);
  tx.exec_params("DELETE FROM telegram_bots WHERE partner_id = $1::uuid", partner.id);
  record_audit(tx, audit);
  Result r;
  r.fields = to_fields(rows);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "removed the Telegram bot of partner " + partner.slug,
                             "would remove the Telegram bot of partner " + partner.slug);
}

}  // namespace wfa
