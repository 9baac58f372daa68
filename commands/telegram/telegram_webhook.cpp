// `wfa telegram webhook set|check`: the partner's bot delivers its updates to wfa serve with a secret token of wfa's.
#include <nlohmann/json.hpp>
#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/secret/secret_keys.hpp"
#include "commands/telegram/telegram.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/secret_box.hpp"
#include "core/session.hpp"
#include "core/tokens.hpp"
#include "pipelines/telegram/bot_api.hpp"

namespace wfa {

namespace {

using Json = nlohmann::json;

/// BotWebhook is the partner's bot as the webhook verbs need it: its token opened, its path and stored secret.
struct BotWebhook {
  PartnerRef partner;
  std::string token, path, secret, url;
};

BotWebhook load_bot(pqxx::work& tx, Session& session, const std::string& reference) {
  BotWebhook b;
  b.partner = partner_for(tx, session, reference, "partner:settings:update");
  auto rows = tx.exec_params(
      "SELECT token, '/webhooks/telegram/' || webhook_endpoint, webhook_secret, coalesce(webhook_url, '') FROM"
      " telegram_bots WHERE partner_id = $1::uuid FOR UPDATE",
      b.partner.id);
  if (rows.empty())
    throw NotFoundError("partner " + b.partner.slug + " has no Telegram bot",
                        "set one with `wfa telegram bot set " + b.partner.slug + " --token-file FILE`");
  auto ring = secret_keyring(session, tx);
  b.token = ring.open(pqxx::binarystring(rows[0][0]).str(), telegram_bot_context(b.partner.id), "the bot token");
  b.path = rows[0][1].as<std::string>();
  if (!rows[0][2].is_null())
    b.secret =
        ring.open(pqxx::binarystring(rows[0][2]).str(), telegram_webhook_context(b.partner.id), "the webhook secret");
  b.url = rows[0][3].as<std::string>();
  return b;
}

/// bot_api calls METHOD of the Bot API with PARAMS and answers its result, or throws what went wrong (never the token).
Json bot_api(Session& session, const std::string& token, const std::string& method, const Json& params) {
  auto a = call_bot_api(session.settings().value("telegram_api_base_url"), token, method, params.dump());
  if (!a.reached) throw TemporaryError(a.description, "try again in a moment");
  if (!a.ok) {
    if (a.status == 401 || a.status == 404)
      throw PermissionError("Telegram refused the bot token (" + a.description + ")",
                            "set a current token with `wfa telegram bot set`");
    throw TemporaryError("Telegram's " + method + " failed: " + a.description, "try again in a moment");
  }
  return Json::parse(a.result);
}

std::string expected_url(const Session& session, const BotWebhook& b, const std::optional<std::string>& url) {
  if (url) return *url;
  auto base = session.settings().value("public_url");
  if (base.empty())
    throw UsageError("where does Telegram reach wfa serve? set public_url (WFA_PUBLIC_URL) or give --url",
                     "e.g. --url https://hooks.example.com" + b.path);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + b.path;
}

/// point sets the webhook to URL with SECRET and records both.
void point(pqxx::work& tx, Session& session, const BotWebhook& b, const std::string& url, const std::string& secret) {
  bot_api(session, b.token, "setWebhook",
          {{"url", url},
           {"secret_token", secret},
           {"max_connections", 40},
           {"allowed_updates", {"message", "my_chat_member", "chat_member"}}});
  auto ring = secret_keyring(session, tx);
  tx.exec_params(
      "UPDATE telegram_bots SET webhook_secret = $2, webhook_url = $3, webhook_set_at = now() WHERE partner_id ="
      " $1::uuid",
      b.partner.id, pqxx::binarystring(ring.seal(secret, telegram_webhook_context(b.partner.id))), url);
}

}  // namespace

std::string telegram_webhook_context(const std::string& partner_id) {
  return telegram_bot_context(partner_id) + "/webhook";
}

Result run_telegram_webhook_set(const TelegramWebhookOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto b = load_bot(tx, session, o.partner);
  auto url = expected_url(session, b, o.url);
  Result r;
  r.fields = {{"partner", Cell(b.partner.slug)}, {"url", Cell(url)}};
  if (o.dry_run) {
    r.message = "would point the bot of " + b.partner.slug + " at " + url;
    return r;
  }
  point(tx, session, b, url, random_token(32));
  record_audit(tx, {session.actor(), "telegram.webhook_set", "telegram_bot", b.partner.id, b.partner.id, std::nullopt,
                    "", Json{{"url", url}}.dump(), ""});
  tx.commit();
  wipe_secret(b.token);
  r.message = "the bot of " + b.partner.slug + " delivers to " + url;
  return r;
}

Result run_telegram_webhook_check(const TelegramWebhookOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto b = load_bot(tx, session, o.partner);
  auto want = expected_url(session, b, o.url ? o.url : (b.url.empty() ? std::nullopt : std::optional(b.url)));
  auto info = bot_api(session, b.token, "getWebhookInfo", Json::object());
  auto url = info.value("url", std::string());
  auto error = info.value("last_error_message", std::string());
  bool secret_refused = error.find("401") != std::string::npos || error.find("Unauthorized") != std::string::npos;
  std::string problem = url != want        ? "Telegram delivers to " + (url.empty() ? std::string("nowhere") : url)
                        : b.secret.empty() ? "wfa holds no secret token for it"
                        : secret_refused   ? "Telegram's deliveries are refused (" + error + ")"
                                           : "";
  Result r;
  r.fields = {{"partner", Cell(b.partner.slug)},
              {"url", Cell(url)},
              {"expected_url", Cell(want)},
              {"pending_update_count", Cell(info.value("pending_update_count", std::int64_t{0}))},
              {"last_error", Cell(error)},
              {"repaired", Cell(!problem.empty() && !o.dry_run)}};
  if (problem.empty()) {
    r.message = "the webhook of " + b.partner.slug + " is as wfa set it";
    return r;
  }
  if (o.dry_run) {
    r.message = problem + "; would set it again";
    return r;
  }
  point(tx, session, b, want, b.secret.empty() || secret_refused ? random_token(32) : b.secret);
  record_audit(tx, {session.actor(), "telegram.webhook_repair", "telegram_bot", b.partner.id, b.partner.id,
                    std::nullopt, "", Json{{"url", want}, {"problem", problem}}.dump(), ""});
  tx.commit();
  r.message = problem + "; set it again";
  return r;
}

}  // namespace wfa
