// `wfa calls list|show|search|stats|export`: a workspace's calls, paged, ranked, counted or streamed.
#include <memory>
#include <optional>

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/agent/agent_rules.hpp"
#include "commands/calls/calls.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/copy_out.hpp"
#include "core/database.hpp"
#include "core/file_io.hpp"
#include "core/formula_guard.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

// What a list row shows; the cost in dollars with its exact micro-dollars for programs.
constexpr const char* list_columns =
    "c.started_at, a.name AS agent, c.direction, c.status, c.phone_number, c.duration_seconds,"
    " (c.total_cost_micros / 1000000.0)::numeric(14, 4) AS cost_usd, c.requires_follow_up AS follow_up,"
    " c.provider, c.external_call_id, c.total_cost_micros, c.id";

/// Conditions are a filter's SQL, each "?" bound to its value; a list binds them, an export quotes them.
using Conditions = std::vector<std::pair<std::string, std::optional<std::string>>>;

struct Scope {
  std::string workspace_id;
  Conditions conditions;
};

Scope scope_of(pqxx::transaction_base& tx, Session& session, const CallsFilter& f, std::string_view permission) {
  if (f.status) check_choice(session.option("status"), *f.status, call_statuses, "a call status");
  if (f.direction) check_choice(session.option("direction"), *f.direction, call_directions, "a call direction");
  auto ws = workspace_for(tx, session, f.workspace, permission);
  Scope s{ws.id, {{"c.workspace_id = ?::uuid", ws.id}}};
  if (f.agent)
    s.conditions.emplace_back("c.agent_id = ?::uuid", find_agent(tx, ws.id, f.workspace, *f.agent, false, false).id);
  s.conditions.emplace_back("c.status = ?", f.status);
  s.conditions.emplace_back("c.direction = ?", f.direction);
  if (f.from) s.conditions.emplace_back("c.started_at >= ?::timestamptz", check_timestamp("--from", *f.from));
  if (f.to) s.conditions.emplace_back("c.started_at < ?::timestamptz", check_timestamp("--to", *f.to));
  if (f.follow_up) s.conditions.emplace_back("c.requires_follow_up AND c.follow_up_closed_at IS NULL", std::nullopt);
  return s;
}

/// call_query is the list of SCOPE's calls; with SEARCH, the text query is `q.q` (parsed once per query).
ListQuery call_query(const std::string& verb, const Scope& scope, const std::optional<std::string>& search = {}) {
  ListQuery query(verb, "calls");
  std::string from = "conversations c JOIN ai_agents a ON a.workspace_id = c.workspace_id AND a.id = c.agent_id";
  if (search)
    query.from(from + " CROSS JOIN LATERAL (SELECT websearch_to_tsquery('simple', ?) AS q) q", {*search});
  else
    query.from(from);
  for (const auto& [condition, value] : scope.conditions) {
    if (condition.find('?') == std::string::npos)
      query.where(condition);
    else
      query.where(condition, value);
  }
  return query;
}

/// where_sql is SCOPE's conditions with their values quoted, for COPY (which binds no parameters).
std::string where_sql(pqxx::transaction_base& tx, const Scope& scope) {
  std::string out;
  for (const auto& [condition, value] : scope.conditions) {
    auto at = condition.find('?');
    if (at != std::string::npos && !value) continue;
    out += out.empty() ? " WHERE " : " AND ";
    out += at == std::string::npos ? condition : condition.substr(0, at) + tx.quote(*value) + condition.substr(at + 1);
  }
  return out;
}

std::string stats_key(const std::string& by) {
  if (by == "agent") return "a.name";
  if (by == "status") return "c.status";
  return "to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
}

}  // namespace

Result run_calls_list(const CallsListOptions& o, Session& session) {
  auto tx = list_transaction(session);
  auto query = call_query("calls list", scope_of(*tx, session, o.filter, "workspace:calls:read"));
  query.select(list_columns)
      .order_by({{"c.started_at", "timestamptz", true}, {"c.id", "uuid", true}})
      .machine_columns(2)
      .when_empty("no calls in workspace " + o.filter.workspace + " match; ingest some with `wfa calls ingest`");
  return list_rows(tx, query, o.paging, session);
}

Result run_calls_search(const CallsSearchOptions& o, Session& session) {
  if (o.text.find_first_not_of(" \t") == std::string::npos)
    throw UsageError("search for what? TEXT is empty", "give words to find in transcripts and summaries");
  auto tx = list_transaction(session);
  auto query = call_query("calls search", scope_of(*tx, session, o.filter, "workspace:calls:read"), o.text);
  std::string rank = "round(ts_rank(c.search, q.q)::numeric, 6)";
  query.select(rank + " AS rank, " + list_columns)
      .where("c.search @@ q.q")
      .order_by({{rank, "numeric", true}, {"c.id", "uuid"}})
      .machine_columns(2)
      .when_empty("no calls in workspace " + o.filter.workspace + " mention '" + o.text + "'");
  return list_rows(tx, query, o.paging, session);
}

Result run_calls_show(const CallsShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:calls:read");
  auto rows = tx.exec_params(
      "SELECT c.id, a.name AS agent, c.provider, c.external_call_id, c.direction, c.status, c.phone_number,"
      " c.started_at, c.ended_at, c.duration_seconds, (c.total_cost_micros / 1000000.0)::numeric(14, 4) AS cost_usd,"
      " c.total_cost_micros, c.cost_breakdown, c.ended_reason, c.sentiment, c.requires_follow_up AS follow_up,"
      " c.follow_up_closed_at, c.follow_up_closed_by, c.follow_up_note,"
      " c.recording_url, c.summary, c.transcript, c.metadata, u.billable_minutes, u.charged_cents, c.created_at,"
      " c.updated_at FROM conversations c JOIN ai_agents a ON a.workspace_id = c.workspace_id AND a.id = c.agent_id"
      " LEFT JOIN usage_tracking u ON u.workspace_id = c.workspace_id AND u.source_type = 'call' AND u.source_id ="
      " c.id WHERE c.workspace_id = $1::uuid AND (c.external_call_id = $2 OR ($3 AND c.id = $2::uuid))"
      " ORDER BY c.provider LIMIT 1",
      ws.id, o.call, is_uuid(o.call));
  if (rows.empty())
    throw NotFoundError("no call " + o.call + " in workspace " + o.workspace,
                        "list them with `wfa calls list --workspace " + o.workspace + "`");
  Result r;
  r.fields = to_fields(rows);
  return r;
}

Result run_calls_stats(const CallsStatsOptions& o, Session& session) {
  check_choice(session.option("by"), o.by, call_stats_keys, "a way to group calls");
  pqxx::read_transaction tx(session.read_database().ready());
  auto scope = scope_of(tx, session, o.filter, "workspace:calls:read");
  auto rows =
      tx.exec("SELECT " + stats_key(o.by) + " AS " + o.by +
              ", count(*) AS calls, sum((c.duration_seconds + 59) / 60) AS minutes,"
              " (sum(c.total_cost_micros) / 1000000.0)::numeric(16, 4) AS cost_usd,"
              " percentile_disc(0.5) WITHIN GROUP (ORDER BY c.duration_seconds) AS p50_seconds,"
              " percentile_disc(0.95) WITHIN GROUP (ORDER BY c.duration_seconds) AS p95_seconds,"
              " count(*) FILTER (WHERE c.status = 'completed') AS completed, sum(c.total_cost_micros) AS cost_micros"
              " FROM conversations c JOIN ai_agents a ON a.workspace_id = c.workspace_id AND a.id = c.agent_id" +
              where_sql(tx, scope) + " GROUP BY 1 ORDER BY 1");
  Result r;
  auto table = to_table(rows, "stats");
  table.machine_columns = 1;
  r.tables.push_back(std::move(table));
  if (rows.empty()) r.message = "no calls in workspace " + o.filter.workspace + " match";
  return r;
}

Result run_calls_export(const CallsExportOptions& o, Session& session) {
  check_choice(session.option("format"), o.format, call_export_formats, "an export format");
  std::optional<AtomicFileWriter> file;
  if (o.out) file.emplace(*o.out);
  auto tx = list_transaction(session);
  auto scope = scope_of(*tx, session, o.filter, "workspace:calls:export");
  bool raw = session.settings().flag("raw") || o.format != "csv";  // the formula guard is for spreadsheets
  auto text = [raw](const std::string& column, const std::string& as) {
    return raw || as.empty() ? column + (as.empty() ? "" : " AS " + as) : formula_guard_sql(column) + " AS " + as;
  };
  std::string select =
      std::string("SELECT c.id, c.provider, c.external_call_id, a.name AS agent, c.direction,") +
      " c.status, c.phone_number, " + utc_sql("c.started_at") + " AS started_at, " + utc_sql("c.ended_at") +
      " AS ended_at, c.duration_seconds, c.total_cost_micros, " +
      "c.ended_reason, c.sentiment, c.requires_follow_up, c.recording_url, " + text("c.summary", "summary") + ", " +
      text("c.transcript", "transcript") +
      " FROM conversations c JOIN ai_agents a ON a.workspace_id = c.workspace_id AND a.id =" + " c.agent_id" +
      where_sql(*tx, scope) + " ORDER BY c.started_at, c.id";
  // NDJSON: one JSON object per line; JSON text has no raw control characters, so CSV with these separators passes
  // it through untouched.
  std::string copy = o.format == "csv" ? "COPY (" + select + ") TO STDOUT WITH (FORMAT csv, HEADER)"
                                       : "COPY (SELECT row_to_json(x)::text FROM (" + select +
                                             ") x) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')";
  auto label = o.filter.workspace;
  auto message = [label](std::int64_t count) {
    return "exported " + std::to_string(count) + " call(s) of workspace " + label;
  };
  Result r;
  if (!file) {
    r.stream = [tx, copy, message](std::ostream& out) {
      auto count = copy_out(*tx, copy, out);
      out.flush();
      return message(count);
    };
    return r;
  }
  auto count = copy_out(*tx, copy, file->stream());
  file->commit();
  r.fields = {{"workspace", Cell(label)}, {"file", Cell(*o.out)}, {"calls", Cell(count)}};
  r.message = message(count) + " to " + *o.out;
  return r;
}

}  // namespace wfa
