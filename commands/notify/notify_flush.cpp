// `wfa notify flush` and `wfa notify retry`: deliver what is due through the one engine; queue failed ones again.
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/notify/notify.hpp"
#include "commands/notify/notify_delivery.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

/// open_notifications counts SCOPE's queued and sending rows: (queued and due, queued or sending).
std::pair<long, long> open_notifications(Session& session, const std::optional<std::string>& partner_id) {
  pqxx::read_transaction tx(session.database().ready());
  auto row = tx.exec_params(
      "SELECT count(*) FILTER (WHERE status = 'queued' AND next_attempt_at <= now()), count(*) FROM notifications"
      " WHERE status IN ('queued', 'sending') AND ($1::uuid IS NULL OR partner_id = $1::uuid)",
      partner_id)[0];
  return {row[0].as<long>(), row[1].as<long>()};
}

}  // namespace

Result run_notify_flush(const NotifyFlushOptions& o, Session& session) {
  if (o.max_seconds < 0)
    throw UsageError(session.option("max-seconds") + " " + std::to_string(o.max_seconds) + " is negative",
                     "give seconds, or 0 to run until nothing is left");
  std::optional<std::string> partner_id;
  {
    pqxx::read_transaction tx(session.database().ready());
    if (o.partner)
      partner_id = partner_for(tx, session, *o.partner, "partner:settings:update").id;
    else
      require_super_admin(actor_of(tx, session), "deliver every partner's notifications");
  }
  Result r;
  if (o.dry_run) {
    auto [due, open] = open_notifications(session, partner_id);
    r.fields = {{"due", Cell(due)}, {"left", Cell(open)}};
    r.message = "dry run: " + std::to_string(due) + " notification(s) due now, " + std::to_string(open) +
                " queued or sending; nothing sent";
    return r;
  }
  auto guard = session.interruptible();
  auto& cancel = session.cancellation();
  using Clock = std::chrono::steady_clock;
  auto deadline = o.max_seconds ? Clock::now() + std::chrono::seconds(o.max_seconds) : Clock::time_point::max();
  NotificationSender sender(session, notification_claimant("flush"));
  while (!cancel.cancelled()) {
    auto wait = sender.step(partner_id);
    if (!wait || Clock::now() + *wait > deadline) break;
    // Sleep in slices so an interruption ends the wait at once.
    for (auto until = Clock::now() + *wait; !cancel.cancelled() && Clock::now() < until;)
      std::this_thread::sleep_for(std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(100)));
  }
  const auto& counts = sender.counts();
  auto left = open_notifications(session, partner_id).second;
  r.fields = {{"sent", Cell(counts.sent)},
              {"failed", Cell(counts.failed)},
              {"retried", Cell(counts.retried)},
              {"left", Cell(left)}};
  r.message = "sent " + std::to_string(counts.sent) + ", failed " + std::to_string(counts.failed) + ", retried " +
              std::to_string(counts.retried) + "; " + std::to_string(left) + " left";
  if (counts.failed) r.category = ErrorCategory::batch_partial;
  return r;
}

Result run_notify_retry(const NotifyRetryOptions& o, Session& session) {
  if (o.ids.empty()) throw UsageError("which notifications? give their ids", "`wfa notify list --status failed`");
  for (const auto& id : o.ids)
    if (!is_uuid(id))
      throw InvalidInputError("notification id " + id.substr(0, 40) + " is not an id",
                              "`wfa notify list` shows the ids");
  pqxx::work tx(session.database().ready());
  Table t("notifications", {"id", "partner", "chat_id", "status"});
  for (const auto& id : o.ids) {
    auto rows = tx.exec_params(
        "SELECT partner_id::text, status, chat_id, workspace_id::text FROM notifications WHERE id = $1::uuid FOR"
        " UPDATE",
        id);
    if (rows.empty()) throw NotFoundError("no notification " + id, "`wfa notify list` shows the ids");
    auto partner = partner_for(tx, session, rows[0][0].as<std::string>(), "partner:settings:update");
    auto status = rows[0][1].as<std::string>();
    if (status != "failed")
      throw ConflictError("notification " + id + " is " + status + ", not failed", "only failed ones are retried");
    tx.exec_params(
        "UPDATE notifications SET status = 'queued', attempts = 0, next_attempt_at = now(), claimed_by = NULL,"
        " claimed_at = NULL WHERE id = $1::uuid",
        id);
    std::optional<std::string> workspace_id;
    if (!rows[0][3].is_null()) workspace_id = rows[0][3].as<std::string>();
    record_audit(tx, {session.actor(), "notify.retry", "notification", id, partner.id, workspace_id,
                      nlohmann::json{{"status", status}}.dump(), nlohmann::json{{"status", "queued"}}.dump(), ""});
    t.rows.push_back({Cell(id), Cell(partner.slug), Cell(rows[0][2].as<std::int64_t>()), Cell(std::string("queued"))});
  }
  Result r;
  r.tables.push_back(std::move(t));
  auto n = std::to_string(o.ids.size());
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "queued " + n + " notification(s) again",
                             "would queue " + n + " notification(s) again");
}

}  // namespace wfa
