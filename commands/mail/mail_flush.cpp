// `wfa mail flush`: deliver due messages through the one engine (mail_delivery).
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/mail/mail.hpp"
#include "commands/mail/mail_delivery.hpp"
#include "commands/notify/notify_delivery.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

/// open_mail counts (queued or unknown and due, queued or unknown or sending).
std::pair<long, long> open_mail(Session& session) {
  pqxx::read_transaction tx(session.database().ready());
  auto row = tx.exec(
      "SELECT count(*) FILTER (WHERE status IN ('queued', 'unknown') AND next_attempt_at <= now()), count(*)"
      " FROM mail_outbox WHERE status IN ('queued', 'unknown', 'sending')")[0];
  return {row[0].as<long>(), row[1].as<long>()};
}

}  // namespace

Result run_mail_flush(const MailFlushOptions& o, Session& session) {
  if (o.max_seconds < 0)
    throw UsageError(session.option("max-seconds") + " " + std::to_string(o.max_seconds) + " is negative",
                     "give seconds, or 0 to run until nothing is due");
  {
    pqxx::read_transaction tx(session.database().ready());
    require_super_admin(actor_of(tx, session), "deliver the mail outbox");
  }
  Result r;
  if (o.dry_run) {
    auto [due, open] = open_mail(session);
    r.fields = {{"due", Cell(due)}, {"left", Cell(open)}};
    r.message = "dry run: " + std::to_string(due) + " message(s) due now, " + std::to_string(open) +
                " queued, unknown or sending; nothing sent";
    return r;
  }
  auto guard = session.interruptible();
  auto& cancel = session.cancellation();
  using Clock = std::chrono::steady_clock;
  auto deadline = o.max_seconds ? Clock::now() + std::chrono::seconds(o.max_seconds) : Clock::time_point::max();
  OutboxSender sender(session, notification_claimant("mail-flush"));
  while (!cancel.cancelled() && Clock::now() < deadline && sender.step() > 0) {
  }
  const auto& c = sender.counts();
  auto left = open_mail(session).second;
  r.fields = {{"sent", Cell(c.sent)},       {"failed", Cell(c.failed)},         {"retried", Cell(c.retried)},
              {"unknown", Cell(c.unknown)}, {"suppressed", Cell(c.suppressed)}, {"left", Cell(left)}};
  r.message = "sent " + std::to_string(c.sent) + ", failed " + std::to_string(c.failed) + ", retried " +
              std::to_string(c.retried) + ", unknown " + std::to_string(c.unknown) + ", suppressed " +
              std::to_string(c.suppressed) + "; " + std::to_string(left) + " left";
  if (c.failed || c.unknown) r.category = ErrorCategory::batch_partial;
  return r;
}

}  // namespace wfa
