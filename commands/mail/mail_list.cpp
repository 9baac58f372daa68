// `wfa mail list|show|retry|cancel`: the outbox and what became of each message.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/integration/integration_access.hpp"
#include "commands/mail/mail.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

/// listed is "a, b or c".
std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " or " : ", ") + items[i];
  return out;
}

/// change moves each of IDS from one of FROM to TO (audited as mail.VERB), refusing a message in another status.
Result change(const MailChangeOptions& o, Session& session, const std::string& verb,
              const std::vector<std::string>& from, const std::string& to) {
  if (o.ids.empty()) throw UsageError("which messages? give their ids", "`wfa mail list` shows the ids");
  for (const auto& id : o.ids)
    if (!is_uuid(id))
      throw InvalidInputError("message id " + id.substr(0, 40) + " is not an id", "`wfa mail list` shows the ids");
  auto retry_period = whole_setting(session, "mail_retry_period", 172800, 60, 30 * 86400);
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), verb + " mail");
  Table t("messages", {"id", "recipient", "status"});
  for (const auto& id : o.ids) {
    auto rows = tx.exec_params(
        "SELECT status, recipient, partner_id::text FROM mail_outbox WHERE id = $1::uuid"
        " FOR UPDATE",
        id);
    if (rows.empty()) throw NotFoundError("no message " + id + " in the outbox", "`wfa mail list` shows the ids");
    auto status = rows[0][0].as<std::string>();
    if (std::find(from.begin(), from.end(), status) == from.end())
      throw ConflictError("message " + id + " is " + status + "; " + verb + " takes only " + listed(from) + " ones",
                          "`wfa mail show " + id + "` says what became of it");
    tx.exec_params(
        "UPDATE mail_outbox SET status = $2, next_attempt_at = now(), claimed_by = NULL, claimed_at = NULL,"
        " give_up_at = CASE WHEN $2 = 'queued' THEN now() + make_interval(secs => $3) ELSE give_up_at END"
        " WHERE id = $1::uuid",
        id, to, retry_period);
    std::optional<std::string> partner_id;
    if (!rows[0][2].is_null()) partner_id = rows[0][2].as<std::string>();
    record_audit(tx, {session.actor(), "mail." + verb, "mail", id, partner_id, std::nullopt,
                      nlohmann::json{{"status", status}}.dump(), nlohmann::json{{"status", to}}.dump(), ""});
    t.rows.push_back({Cell(id), Cell(rows[0][1].as<std::string>()), Cell(to)});
  }
  Result r;
  r.tables.push_back(std::move(t));
  auto n = std::to_string(o.ids.size());
  return commit_or_roll_back(tx, std::move(r), o.dry_run, verb + ": " + n + " message(s) now " + to,
                             verb + " would make " + n + " message(s) " + to);
}

}  // namespace

Result run_mail_list(const MailListOptions& o, Session& session) {
  if (o.status) check_choice(session.option("status"), *o.status, mail_statuses, "a mail status");
  if ((o.failed ? 1 : 0) + (o.unknown ? 1 : 0) + (o.status ? 1 : 0) > 1)
    throw UsageError("give one of " + session.option("failed") + ", " + session.option("unknown") + " and " +
                         session.option("status"),
                     "they each choose the status shown");
  std::optional<std::string> status = o.status;
  if (o.failed) status = "failed";
  if (o.unknown) status = "unknown";
  std::optional<std::string> to;
  if (o.to) to = check_email(session.option("to"), *o.to);
  auto tx = list_transaction(session);
  require_super_admin(actor_of(*tx, session), "list the mail outbox");
  ListQuery query("mail list", "messages");
  query
      .select("o.id, o.status, o.template, o.recipient, o.subject, o.attempts, o.reply_code, o.last_reply, " +
              utc_sql("o.created_at") + " AS created_at, " + utc_sql("o.sent_at") + " AS sent_at, " +
              utc_sql("o.next_attempt_at") + " AS next_attempt_at")
      .from("mail_outbox o")
      .where("o.status = ?", status)
      .where("o.recipient = ?", to)
      .order_by({{"o.created_at", "timestamptz", true}, {"o.id", "uuid", true}})
      .when_empty(status ? "no " + *status + " mail" : "the mail outbox is empty");
  return list_rows(tx, query, o.paging, session);
}

Result run_mail_show(const MailShowOptions& o, Session& session) {
  if (!is_uuid(o.id))
    throw InvalidInputError("message id " + o.id.substr(0, 40) + " is not an id", "`wfa mail list` shows the ids");
  pqxx::read_transaction tx(session.read_database().ready());
  require_super_admin(actor_of(tx, session), "read the mail outbox");
  auto rows = tx.exec_params(
      "SELECT o.id, o.status, o.template, p.slug AS partner, o.recipient, o.subject, o.envelope_from,"
      " '<' || o.message_key || '@' || split_part(o.envelope_from, '@', 2) || '>' AS message_id, o.bulk,"
      " o.invitation_id, o.attempts, o.reply_code, o.last_reply, o.claimed_by, " +
          utc_sql("o.created_at") + " AS created_at, " + utc_sql("o.sent_at") + " AS sent_at, " +
          utc_sql("o.next_attempt_at") + " AS next_attempt_at, " + utc_sql("o.give_up_at") +
          " AS give_up_at, o.message FROM mail_outbox o LEFT JOIN partners p ON p.id = o.partner_id"
          " WHERE o.id = $1::uuid",
      o.id);
  if (rows.empty()) throw NotFoundError("no message " + o.id + " in the outbox", "`wfa mail list` shows the ids");
  Result r;
  auto message = rows[0]["message"].as<std::string>();
  if (o.raw) {
    r.document = message;
    return r;
  }
  for (auto& field : to_fields(rows))
    if (field.first != "message") r.fields.push_back(std::move(field));
  r.fields.emplace_back("size", Cell(static_cast<long>(message.size())));
  return r;
}

Result run_mail_retry(const MailChangeOptions& o, Session& session) {
  return change(o, session, "retry", {"failed", "unknown", "cancelled"}, "queued");
}

Result run_mail_cancel(const MailChangeOptions& o, Session& session) {
  return change(o, session, "cancel", {"queued", "unknown"}, "cancelled");
}

}  // namespace wfa
