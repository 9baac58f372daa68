// `wfa costs report` and `wfa export costs`: one grouped query over the calls the actor may read.
#include <cstdio>

#include <pqxx/transaction>

#include "commands/costs/costs.hpp"
#include "commands/export/export_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/error.hpp"
#include "core/listing.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"

namespace wfa {

const std::vector<std::string> cost_groupings = {"model", "provider", "agent", "workspace", "day"};

namespace {

constexpr const char* parts[] = {"model", "transcriber", "voice", "transport", "platform"};

/// group_sql is the grouping key BY over the calls c, their agents a, workspaces w and partners p.
std::string group_sql(const std::string& by) {
  if (by == "model") return "coalesce(nullif(a.config->'model'->>'model', ''), 'unknown')";
  if (by == "provider") return "c.provider";
  if (by == "agent") return "p.slug || '/' || w.slug || '/' || a.name";
  if (by == "workspace") return "p.slug || '/' || w.slug";
  return "to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
}

/// CostRows is the grouped query as a FROM clause with its parameters, and the column that holds the group.
struct CostRows {
  std::string from;
  std::vector<std::optional<std::string>> values;
};

/// cost_rows checks the actor's rights for the scope asked for and builds the grouped query.
CostRows cost_rows(pqxx::dbtransaction& tx, Session& session, const std::string& by,
                   const std::optional<std::string>& workspace, const std::optional<std::string>& partner,
                   const ExportWindow& window) {
  check_choice(session.option("by"), by, cost_groupings, "a way to group costs");
  if (workspace && partner)
    throw UsageError("give " + session.option("workspace") + " or " + session.option("partner") + ", not both");
  std::vector<std::pair<std::string, std::optional<std::string>>> conditions;
  if (workspace)
    conditions.emplace_back("c.workspace_id = ?::uuid",
                            workspace_for(tx, session, *workspace, "workspace:calls:read").id);
  if (partner)
    conditions.emplace_back("w.partner_id = ?::uuid", partner_for(tx, session, *partner, "partner:billing:read").id);
  if (!workspace && !partner) {
    auto actor = actor_of(tx, session);
    if (!actor.super_admin) conditions.emplace_back(visible_workspaces_sql("c.workspace_id", "?"), actor.user_id);
  }
  conditions.emplace_back("c.started_at >= ?::timestamptz", window.since);
  conditions.emplace_back("c.started_at < ?::timestamptz", window.until);
  CostRows rows;
  std::string where;
  for (auto& [condition, value] : conditions) {
    if (!value) continue;
    where += (where.empty() ? " WHERE " : " AND ") + condition;
    for (auto c : condition)  // a "?" per use: the FROM clause binds its parameters in order
      if (c == '?') rows.values.push_back(value);
  }
  std::string sums;
  for (const char* part : parts) sums += ", sum(x." + std::string(part) + "_micros)::bigint AS " + part + "_micros";
  rows.from = "(SELECT " + group_sql(by) + " AS " + by +
              ", count(*) AS calls, sum(c.total_cost_micros)::bigint AS total_micros" + sums +
              ", sum(c.total_cost_micros - x.model_micros - x.transcriber_micros - x.voice_micros - x.transport_micros"
              " - x.platform_micros)::bigint AS other_micros, sum(x.prompt_tokens)::bigint AS prompt_tokens,"
              " sum(x.completion_tokens)::bigint AS completion_tokens FROM conversations c JOIN ai_agents a ON "
              "a.workspace_id = c.workspace_id AND"
              " a.id = c.agent_id JOIN workspaces w ON w.id = c.workspace_id JOIN partners p ON p.id = w.partner_id"
              " CROSS JOIN LATERAL wfa_call_cost_parts(c.provider, c.cost_breakdown) x" +
              where + " GROUP BY 1) r";
  return rows;
}

ListQuery cost_query(CostRows rows, const std::string& by, const std::string& verb) {
  ListQuery query(verb, "costs");
  query.from(std::move(rows.from), std::move(rows.values)).order_by({{"r." + by, "text"}});
  return query;
}

}  // namespace

Result run_costs_report(const CostsReportOptions& o, Session& session) {
  auto tx = export_transaction(session);
  ExportOptions window_of;
  window_of.since = o.since, window_of.until = o.until;
  auto window = export_window(*tx, session, window_of);
  auto query = cost_query(cost_rows(*tx, session, o.by, o.workspace, o.partner, window), o.by, "costs report");
  std::string columns = "r." + o.by + ", r.calls, (r.total_micros / 1000000.0)::numeric(18, 4) AS total_usd";
  for (const char* part : parts) columns += ", r." + std::string(part) + "_micros";
  columns += ", r.other_micros, r.prompt_tokens, r.completion_tokens, r.total_micros";
  query.select(columns).machine_columns(1).when_empty("no calls with costs in this scope and window");
  Result r;
  r.tables.push_back(query_table(*tx, query));
  std::int64_t calls = 0, micros = 0;
  for (const auto& row : r.tables.back().rows) calls += row[1].as_integer(), micros += row.back().as_integer();
  char total[64];
  std::snprintf(total, sizeof total, "%.4f", double(micros) / 1e6);
  r.message = std::to_string(calls) + " call(s), " + total + " USD";
  return r;
}

Result run_export_costs(const ExportCostsOptions& o, Session& session) {
  auto target = export_target(o, session);
  auto tx = export_transaction(session);
  auto window = export_window(*tx, session, o);
  auto query = cost_query(cost_rows(*tx, session, o.by, o.workspace, o.partner, window), o.by, "export costs");
  std::vector<ExportColumn> columns = {{o.by, "r." + o.by},
                                       {"calls", "r.calls", ExportKind::integer},
                                       {"total_usd", "r.total_micros", ExportKind::money, "6", 6}};
  for (const char* part : parts)
    columns.push_back({std::string(part) + "_usd", "r." + std::string(part) + "_micros", ExportKind::money, "6", 6});
  columns.push_back({"other_usd", "r.other_micros", ExportKind::money, "6", 6});
  columns.push_back({"prompt_tokens", "r.prompt_tokens", ExportKind::integer});
  columns.push_back({"completion_tokens", "r.completion_tokens", ExportKind::integer});
  return run_export(tx,
                    {"group",
                     "groups",
                     "Costs",
                     std::move(columns),
                     std::move(query),
                     "costs",
                     {{"partner", o.partner}, {"by", o.by}}},
                    target, o, session);
}

}  // namespace wfa
