// `wfa usage report|show`: closed months from usage_periods, the open month live from the counters.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "commands/usage/usage.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

Result run_usage_report(const UsageReportOptions& o, Session& session) {
  std::optional<std::string> period;
  if (o.period) period = parse_period(*o.period, "--period");
  auto tx = list_transaction(session);
  std::optional<std::string> partner_id, workspace_id;
  if (o.workspace) workspace_id = workspace_for(*tx, session, *o.workspace, "workspace:billing:read").id;
  if (o.partner) partner_id = partner_for(*tx, session, *o.partner, "partner:billing:read").id;
  ListQuery query("usage report", "periods");
  query
      .select(
          "to_char(u.period, 'YYYY-MM') AS period, p.slug AS partner, p.slug || '/' || w.slug AS workspace,"
          " u.minutes, u.included_minutes, u.overage_minutes, u.calls, u.cost_micros, u.charged_cents AS"
          " credits_used_cents, " +
          utc_sql("u.reset_at") + " AS closed_at")
      .from("usage_periods u JOIN workspaces w ON w.id = u.workspace_id JOIN partners p ON p.id = w.partner_id")
      .where("u.period = ?::date", period)
      .where("w.partner_id = ?::uuid", partner_id)
      .where("u.workspace_id = ?::uuid", workspace_id)
      .order_by({{"u.period", "date", true}, {"u.workspace_id", "uuid", false}})
      .when_empty("no closed months" + (o.period ? " for " + *o.period : std::string()));
  if (!o.partner && !o.workspace) only_visible_workspaces(*tx, session, query, "u.workspace_id");
  return list_rows(tx, query, o.paging, session);
}

Result run_usage_show(const UsageShowOptions& o, Session& session) {
  std::optional<std::string> period;
  if (o.period) period = parse_period(*o.period, "--period");
  pqxx::read_transaction tx(session.read_database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:billing:read");
  Result r;
  if (period) {
    auto rows = tx.exec_params(
        "SELECT to_char(period, 'YYYY-MM') AS period, 'closed' AS state, minutes, included_minutes, overage_minutes,"
        " calls, cost_micros, charged_cents AS credits_used_cents, " +
            utc_sql("reset_at") +
            " AS closed_at FROM usage_periods WHERE workspace_id = $1::uuid AND period ="
            " $2::date",
        ws.id, *period);
    if (rows.empty())
      throw NotFoundError("workspace " + o.workspace + " has no closed " + o.period.value(),
                          "omit --period for the open month, or run `wfa usage reset --period " + *o.period + "`");
    r.fields = to_fields(rows);
    return r;
  }
  auto rows = tx.exec_params(
      "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM') AS period, 'open' AS state, w.current_month_minutes AS"
      " minutes, w.current_month_cost_micros AS cost_micros, w.credit_balance_cents, (SELECT count(*) FROM"
      " usage_tracking u WHERE u.workspace_id = w.id AND u.period = date_trunc('month', now() AT TIME ZONE"
      " 'UTC')::date) AS calls FROM workspaces w WHERE w.id = $1::uuid",
      ws.id);
  r.fields = to_fields(rows);
  return r;
}

}  // namespace wfa
