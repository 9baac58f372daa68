// `wfa usage reset`: a workspace's month snapshotted and its counters zeroed in one transaction, once per period.
#include <regex>

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/tenancy/actor.hpp"
#include "commands/usage/usage.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/run_lock.hpp"
#include "core/session.hpp"

namespace wfa {

std::string previous_month(pqxx::transaction_base& tx) {
  return tx.exec("SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '1 month')::date::text")[0][0]
      .as<std::string>();
}

std::string parse_period(const std::string& text, const std::string& what) {
  static const std::regex shape("(\\d{4})-(0[1-9]|1[0-2])");
  if (!std::regex_match(text, shape))
    throw InvalidInputError(what + " '" + text + "' is not a month", "give it as YYYY-MM, e.g. 2026-11");
  return text + "-01";
}

Result run_usage_reset(const UsageResetOptions& o, Session& session) {
  auto& connection = session.database().ready();
  std::string period;
  if (o.period) period = parse_period(*o.period, "--period");
  require_super_admin(session, "close every workspace's month");
  {
    pqxx::read_transaction tx(connection);
    if (period.empty()) period = previous_month(tx);
    if (tx.exec_params("SELECT $1::date > (now() AT TIME ZONE 'UTC')::date", period)[0][0].as<bool>())
      throw InvalidInputError("--period " + period.substr(0, 7) + " has not begun", "close a month that has begun");
  }
  RunLock lock(connection, "wfa.usage.reset", "usage reset");
  std::vector<std::string> open;
  {
    pqxx::read_transaction tx(connection);
    for (const auto& row : tx.exec_params(
             "SELECT w.id FROM workspaces w WHERE w.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM usage_periods u"
             " WHERE u.workspace_id = w.id AND u.period = $1::date) ORDER BY w.id",
             period))
      open.push_back(row[0].as<std::string>());
  }
  std::int64_t closed = 0, minutes = 0;
  auto interruptible = session.interruptible();
  for (const auto& id : open) {
    if (session.cancellation().cancelled()) break;  // each workspace closed so far stays closed; a rerun goes on
    pqxx::work tx(connection);
    // The workspace row is locked first, so a merge counting calls waits for the snapshot and lands after the zero.
    auto done = tx.exec_params(
        "WITH w AS (SELECT id, current_month_minutes, current_month_cost_micros FROM workspaces WHERE id = $1::uuid FOR"
        " UPDATE), usage AS (SELECT count(*) AS calls, coalesce(sum(charged_cents), 0)::bigint AS charged FROM"
        " usage_tracking WHERE workspace_id = $1::uuid AND period = $2::date), plan AS (SELECT (SELECT"
        " p.included_minutes FROM subscriptions s JOIN subscription_plans p ON p.tier = s.plan WHERE s.subject_type ="
        " 'workspace' AND s.subject_id = $1::uuid AND s.status IN ('active', 'trialing') ORDER BY s.updated_at DESC"
        " LIMIT 1) AS included), snap AS (INSERT INTO usage_periods (workspace_id, period, minutes, cost_micros, calls,"
        " charged_cents, included_minutes, overage_minutes, reset_by) SELECT w.id, $2::date, w.current_month_minutes,"
        " w.current_month_cost_micros, usage.calls, usage.charged, coalesce(plan.included, 0), CASE WHEN plan.included"
        " IS NULL THEN 0 ELSE greatest(w.current_month_minutes - plan.included, 0) END, $3 FROM w, usage, plan ON"
        " CONFLICT (workspace_id, period) DO NOTHING RETURNING minutes) UPDATE workspaces SET current_month_minutes ="
        " 0, current_month_cost_micros = 0 FROM snap WHERE workspaces.id = $1::uuid RETURNING snap.minutes",
        id, period, session.actor());
    if (o.dry_run) {
      tx.abort();
    } else {
      tx.commit();
    }
    if (!done.empty()) ++closed, minutes += done[0][0].as<std::int64_t>();
  }
  std::int64_t all_closed = 0;
  {
    pqxx::read_transaction tx(connection);
    all_closed =
        tx.exec_params("SELECT count(*) FROM usage_periods WHERE period = $1::date", period)[0][0].as<std::int64_t>();
  }
  Result r;
  r.fields = {{"period", Cell(period.substr(0, 7))},
              {"workspaces_closed", Cell(closed)},
              {"minutes", Cell(minutes)},
              {"closed_before", Cell(all_closed - (o.dry_run ? 0 : closed))},
              {"left_open", Cell(static_cast<std::int64_t>(open.size()) - closed)}};
  auto what =
      std::to_string(closed) + " workspaces' " + period.substr(0, 7) + " (" + std::to_string(minutes) + " minutes)";
  r.message = o.dry_run ? "dry run: would close " + what + "; nothing changed" : "closed " + what;
  return r;
}

}  // namespace wfa
