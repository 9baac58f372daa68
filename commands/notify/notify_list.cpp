// `wfa notify list`: the queue and what became of each message, newest first.
#include <pqxx/transaction>

#include "commands/notify/notify.hpp"
#include "commands/notify/notify_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

Result run_notify_list(const NotifyListOptions& o, Session& session) {
  if (o.status) check_choice("status", *o.status, notification_statuses, "a notification status");
  std::optional<std::string> chat;
  if (o.chat) chat = std::to_string(parse_chat_id(session, *o.chat));
  auto tx = list_transaction(session);
  std::optional<std::string> partner_id;
  if (o.partner)
    partner_id = partner_for(*tx, session, *o.partner, "partner:settings:read").id;
  else
    require_super_admin(actor_of(*tx, session), "list every partner's notifications");
  ListQuery query("notify list", "notifications");
  query
      .select(
          "n.id, p.slug AS partner, n.chat_id, n.status, n.attempts, left(n.text, 60) AS text, n.error_code,"
          " n.last_error, n.telegram_message_id, " +
          utc_sql("n.created_at") + " AS created_at, " + utc_sql("n.sent_at") + " AS sent_at, " +
          utc_sql("n.next_attempt_at") + " AS next_attempt_at, n.idempotency_key AS key")
      .from("notifications n JOIN partners p ON p.id = n.partner_id")
      .where("n.partner_id = ?::uuid", partner_id)
      .where("n.status = ?", o.status)
      .where("n.chat_id = ?::bigint", chat)
      .order_by({{"n.created_at", "timestamptz", true}, {"n.id", "uuid", true}})
      .when_empty(o.partner ? "partner " + *o.partner + " has no notifications" : "no notifications");
  return list_rows(tx, query, o.paging, session);
}

}  // namespace wfa
