// `wfa telegram health` and the log it reads.
#include "commands/telegram/telegram_health.hpp"

#include <pqxx/transaction>

#include "commands/tenancy/actor.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

void record_telegram_health(pqxx::transaction_base& tx, const TelegramHealth& h) {
  tx.exec_params(
      "INSERT INTO telegram_health_events (partner_id, kind, ok, update_id, chat_id, error_code, error)"
      " VALUES ($1::uuid, $2, $3, $4, $5, $6, NULLIF($7, ''))",
      h.partner_id, h.kind, h.ok, h.update_id, h.chat_id, h.error_code, h.error.substr(0, 500));
}

Result run_telegram_health(const TelegramHealthOptions& o, Session& session) {
  if (!o.partner) require_super_admin(session, "see the health of every partner's bot");
  auto tx = list_transaction(session);
  std::optional<std::string> partner_id;
  if (o.partner) partner_id = partner_for(*tx, session, *o.partner, "partner:settings:read").id;
  // The latest row of a kind and outcome: the index (partner_id, kind, ok, at DESC) answers each in one probe.
  auto latest = [](const std::string& kind, bool ok, const std::string& what) {
    return "(SELECT " + what + " FROM telegram_health_events h WHERE h.partner_id = b.partner_id AND h.kind = '" +
           kind + "' AND h.ok = " + (ok ? "true" : "false") + " ORDER BY h.at DESC LIMIT 1)";
  };
  ListQuery query("telegram health", "bots");
  query
      .select("p.slug AS partner, b.bot_id, coalesce(b.webhook_url, '') AS webhook_url, " +
              utc_sql(latest("update", true, "h.at")) + " AS last_update_at, " + latest("update", true, "h.update_id") +
              " AS last_update_id, " + utc_sql(latest("send", true, "h.at")) + " AS last_send_at, " + utc_sql("f.at") +
              " AS last_failure_at, f.kind AS failure_kind, f.chat_id AS"
              " failure_chat_id, f.error_code, f.error AS last_error, (SELECT count(*) FROM telegram_health_events h"
              " WHERE h.partner_id = b.partner_id AND NOT h.ok AND h.at > now() - interval '24 hours') AS"
              " failures_24h")
      .from(
          "telegram_bots b JOIN partners p ON p.id = b.partner_id LEFT JOIN LATERAL (SELECT h.at, h.kind, h.chat_id,"
          " h.error_code, h.error FROM telegram_health_events h WHERE h.partner_id = b.partner_id AND NOT h.ok ORDER"
          " BY h.at DESC LIMIT 1) f ON true")
      .where("b.partner_id = ?::uuid", partner_id)
      .order_by({{"p.slug", "text", false}})
      .when_empty(o.partner ? "partner " + *o.partner + " has no Telegram bot" : "no Telegram bots");
  return list_rows(tx, query, o.paging, session);
}

}  // namespace wfa
