// The set-based merge of staged calls: quarantine, upsert of what changed, usage and its counters by exact deltas.
#include "commands/calls/calls_merge.hpp"
#include "commands/campaign/attempt_outcomes.hpp"
#include "commands/credits/credit_rules.hpp"
#include "commands/lead/lead_rules.hpp"

#include <array>

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/stream_to>
#include <pqxx/subtransaction>
#include <pqxx/transaction>

namespace wfa {

namespace {

// Every merge holds this transaction-level advisory lock, so the usage a merge reads is the usage it replaces.
constexpr const char* merge_lock = "SELECT pg_advisory_xact_lock(hashtext('wfa.calls.merge'))";

// The staged columns a conversation is compared and written with (the provider and call id are its key).
constexpr const char* content_columns =
    "direction, status, phone_number, started_at, ended_at, duration_seconds, recording_url, transcript, summary,"
    " sentiment, total_cost_micros, cost_breakdown, ended_reason, metadata";

std::string prefixed(const std::string& prefix) {
  std::string out, column;
  for (const char* c = content_columns;; ++c) {
    if (*c == ',' || *c == '\0') {
      out += (out.empty() ? "" : ", ") + prefix + column;
      column.clear();
      if (*c == '\0') break;
    } else if (*c != ' ') {
      column += *c;
    }
  }
  return out;
}

std::int64_t count_of(const pqxx::result& r) { return r.empty() ? 0 : r[0][0].as<std::int64_t>(); }

}  // namespace

void create_call_stage(pqxx::dbtransaction& tx) {
  // A big stage fits the session's temporary buffers instead of spilling; settable only before the session's first
  // temporary table, so a long-lived connection keeps what it had.
  try {
    pqxx::subtransaction set(tx, "temp_buffers");
    set.exec("SET temp_buffers = '512MB'");
    set.commit();
  } catch (const pqxx::sql_error&) {
  }
  tx.exec(
      "CREATE TEMP TABLE call_stage (line bigint, provider text NOT NULL, external_call_id text NOT NULL,"
      " external_agent_id text, direction text, status text NOT NULL, phone_number text, started_at timestamptz,"
      " ended_at timestamptz, duration_seconds integer NOT NULL, recording_url text, transcript text, summary text,"
      " sentiment text, total_cost_micros bigint NOT NULL, cost_breakdown jsonb, ended_reason text,"
      " metadata jsonb NOT NULL, outcome text) ON COMMIT DROP");
}

void lock_call_merge(pqxx::transaction_base& tx) { tx.exec(merge_lock); }

MergeCounts merge_staged_calls(pqxx::transaction_base& tx, const MergeScope& scope, std::int64_t staged_rows) {
  MergeCounts counts;
  lock_call_merge(tx);
  tx.exec("SET LOCAL work_mem = '256MB'");
  // Quarantined calls whose agent has appeared (in the workspace that met them, when one did) come back in.
  counts.linked = count_of(tx.exec_params(
      "WITH moved AS (DELETE FROM unmatched_calls u WHERE EXISTS (SELECT 1 FROM ai_agents a WHERE a.provider ="
      " u.provider AND a.external_agent_id = u.external_agent_id AND (u.workspace_id IS NULL OR a.workspace_id ="
      " u.workspace_id) AND ($1::uuid IS NULL OR a.workspace_id = $1::uuid)) RETURNING u.call),"
      " staged AS (INSERT INTO call_stage SELECT (jsonb_populate_record(NULL::call_stage, call ||"
      " jsonb_build_object('line', -row_number() OVER ()))).* FROM moved RETURNING 1) SELECT count(*) FROM staged",
      scope.workspace_id));
  // Later lines of one call replace earlier ones (quarantined copies have negative lines, so a file's line wins).
  auto repeated = tx.exec(
      "DELETE FROM call_stage s USING (SELECT provider, external_call_id, max(line) AS keep FROM call_stage GROUP BY 1,"
      " 2 HAVING count(*) > 1) d WHERE s.provider = d.provider AND s.external_call_id = d.external_call_id AND s.line"
      " <> d.keep");
  counts.staged = staged_rows + counts.linked - static_cast<std::int64_t>(repeated.affected_rows());
  tx.exec(
      "CREATE TEMP TABLE call_agents ON COMMIT DROP AS SELECT DISTINCT ON (a.provider, a.external_agent_id)"
      " a.provider, a.external_agent_id, a.workspace_id, a.id AS agent_id FROM ai_agents a"
      " WHERE a.external_agent_id IS NOT NULL AND (a.provider, a.external_agent_id) IN (SELECT DISTINCT provider,"
      " external_agent_id FROM call_stage) ORDER BY a.provider, a.external_agent_id, a.deleted_at DESC NULLS FIRST,"
      " a.created_at");
  tx.exec("ANALYZE call_stage");

  if (scope.workspace_id) {
    auto refused = tx.exec_params(
        "DELETE FROM call_stage s WHERE EXISTS (SELECT 1 FROM call_agents a WHERE a.provider = s.provider AND"
        " a.external_agent_id = s.external_agent_id) AND NOT EXISTS (SELECT 1 FROM call_agents a WHERE a.provider ="
        " s.provider AND a.external_agent_id = s.external_agent_id AND a.workspace_id = $1::uuid) RETURNING s.line,"
        " 'agent ' || s.external_agent_id || ' belongs to another workspace'",
        *scope.workspace_id);
    for (const auto& row : refused) counts.refused.push_back({row[0].as<std::int64_t>(), row[1].as<std::string>()});
  }
  counts.quarantined = count_of(tx.exec_params(
      "WITH q AS (DELETE FROM call_stage s WHERE NOT EXISTS (SELECT 1 FROM call_agents a WHERE a.provider ="
      " s.provider AND a.external_agent_id = s.external_agent_id) RETURNING s.*),"
      " kept AS (INSERT INTO unmatched_calls AS u (provider, workspace_id, external_call_id, external_agent_id, reason,"
      " source, call) SELECT provider, $2::uuid, external_call_id, external_agent_id, CASE WHEN external_agent_id IS"
      " NULL THEN 'the call names no agent' ELSE 'no workspace has the ' || provider || ' agent ' ||"
      " external_agent_id END, $1 || ':' || line, to_jsonb(q) - 'line' FROM q ON CONFLICT (provider,"
      " external_call_id) DO UPDATE SET workspace_id = EXCLUDED.workspace_id, external_agent_id ="
      " EXCLUDED.external_agent_id, reason = EXCLUDED.reason, source = EXCLUDED.source, call = EXCLUDED.call,"
      " last_seen_at = now() RETURNING 1) SELECT count(*) FROM kept",
      scope.source, scope.workspace_id));

  tx.exec(
      "CREATE TEMP TABLE call_changed ON COMMIT DROP AS SELECT NULL::uuid AS workspace_id, NULL::uuid AS id,"
      " NULL::uuid AS agent_id, 0::bigint AS duration_seconds, 0::bigint AS cost_micros,"
      " NULL::timestamptz AS started_at, false AS inserted WITH NO DATA");
  // What changed is updated and what is new inserted; identical calls are left alone (no row lock, no write). No
  // ON CONFLICT: every writer of conversations holds the merge lock, so the new calls are new.
  const std::string staged_with_agent =
      " FROM call_stage s JOIN call_agents a ON a.provider = s.provider AND a.external_agent_id = s.external_agent_id";
  const std::string returning =
      " RETURNING c.workspace_id, c.id, c.agent_id, c.duration_seconds, c.total_cost_micros, c.started_at, ";
  // requires_follow_up follows the provider's latest data (wfa_call_needs_follow_up, migration 0039); a follow-up
  // closed in wfa keeps follow_up_closed_at, so a re-ingest never reopens it.
  const std::string follow_up = "wfa_call_needs_follow_up(s.direction, s.status, s.ended_reason, s.metadata)";
  tx.exec("WITH up AS (UPDATE conversations c SET (agent_id, " + std::string(content_columns) +
          ", requires_follow_up) = (a.agent_id, " + prefixed("s.") + ", " + follow_up + ")" + staged_with_agent +
          " WHERE c.workspace_id = a.workspace_id AND c.provider = s.provider AND c.external_call_id ="
          " s.external_call_id AND (c.agent_id, " +
          prefixed("c.") + ", c.requires_follow_up) IS DISTINCT FROM (a.agent_id, " + prefixed("s.") + ", " +
          follow_up + ")" + returning + "false) INSERT INTO call_changed SELECT * FROM up");
  tx.exec("WITH up AS (INSERT INTO conversations AS c (workspace_id, agent_id, provider, external_call_id, " +
          std::string(content_columns) +
          ", requires_follow_up) SELECT a.workspace_id, a.agent_id, s.provider, s.external_call_id, " + prefixed("s.") +
          ", " + follow_up + staged_with_agent +
          " WHERE NOT EXISTS (SELECT 1 FROM conversations o WHERE o.workspace_id = a.workspace_id AND o.provider ="
          " s.provider AND o.external_call_id = s.external_call_id)" +
          returning + "true) INSERT INTO call_changed SELECT * FROM up");
  auto changed =
      tx.exec("SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM call_changed");
  counts.inserted = changed[0][0].as<std::int64_t>();
  counts.updated = changed[0][1].as<std::int64_t>();
  counts.unchanged = counts.staged - counts.quarantined - static_cast<std::int64_t>(counts.refused.size()) -
                     counts.inserted - counts.updated;

  // Usage: one row per call; the counters move by new minus old, all in this transaction.
  tx.exec(
      "CREATE TEMP TABLE call_usage ON COMMIT DROP AS WITH old AS (SELECT ch.*, u.id AS usage_id, u.agent_id AS"
      " old_agent, u.duration_seconds AS old_seconds, u.billable_minutes AS old_minutes, u.cost_micros AS old_cost,"
      " u.rate_cents AS old_rate, u.charged_cents AS old_charge, CASE WHEN w.is_billing_exempt THEN 0 ELSE"
      " w.per_minute_rate_cents END AS rate_now FROM call_changed ch JOIN workspaces w ON w.id = ch.workspace_id"
      " LEFT JOIN usage_tracking u ON u.workspace_id = ch.workspace_id AND u.source_type = 'call' AND u.source_id ="
      " ch.id) SELECT *, (duration_seconds + 59) / 60 AS minutes, coalesce(old_rate, rate_now) AS rate FROM old");
  tx.exec(
      "INSERT INTO usage_tracking AS u (workspace_id, source_type, source_id, agent_id, period, duration_seconds,"
      " billable_minutes, cost_micros, rate_cents, charged_cents) SELECT workspace_id, 'call', id, agent_id,"
      " date_trunc('month', coalesce(started_at, now()) AT TIME ZONE 'UTC')::date, duration_seconds, minutes,"
      " cost_micros, rate, minutes * rate FROM call_usage ON CONFLICT (workspace_id, source_type, source_id) DO UPDATE"
      " SET agent_id = EXCLUDED.agent_id, duration_seconds = EXCLUDED.duration_seconds, billable_minutes ="
      " EXCLUDED.billable_minutes, cost_micros = EXCLUDED.cost_micros, charged_cents = EXCLUDED.charged_cents");
  tx.exec(
      "UPDATE workspaces w SET current_month_minutes = w.current_month_minutes + d.minutes,"
      " current_month_cost_micros = w.current_month_cost_micros + d.cost FROM (SELECT workspace_id, sum(minutes -"
      " coalesce(old_minutes, 0)) AS minutes, sum(cost_micros - coalesce(old_cost, 0)) AS cost FROM call_usage GROUP"
      " BY 1) d WHERE w.id = d.workspace_id AND (d.minutes, d.cost) <> (0, 0)");
  // The charges draw the credit down through its ledger: one row per workspace and merge.
  tx.exec_params(
      "INSERT INTO workspace_credits (workspace_id, amount_cents, reason, reference, actor) SELECT workspace_id,"
      " -sum(minutes * rate - coalesce(old_charge, 0)), 'usage', $1, 'calls' FROM call_usage GROUP BY 1 HAVING"
      " sum(minutes * rate - coalesce(old_charge, 0)) <> 0 ORDER BY 1",
      "calls: " + scope.source);
  settle_credit_states(
      tx,
      tx.exec("SELECT coalesce(string_agg(DISTINCT workspace_id::text, ','), '') FROM call_usage")[0][0]
          .as<std::string>(),
      "calls");
  tx.exec(
      "UPDATE ai_agents a SET total_calls = a.total_calls + d.calls, total_seconds = a.total_seconds + d.seconds,"
      " total_cost_micros = a.total_cost_micros + d.cost FROM (SELECT workspace_id, agent_id, sum(calls) AS calls,"
      " sum(seconds) AS seconds, sum(cost) AS cost FROM (SELECT workspace_id, agent_id, 1 AS calls, duration_seconds"
      " AS seconds, cost_micros AS cost FROM call_usage UNION ALL SELECT workspace_id, old_agent, -1, -old_seconds,"
      " -old_cost FROM call_usage WHERE usage_id IS NOT NULL) x GROUP BY 1, 2) d WHERE a.workspace_id ="
      " d.workspace_id AND a.id = d.agent_id AND (d.calls, d.seconds, d.cost) <> (0, 0, 0)");
  leads_from_calls(tx);
  counts.attempts_ended = settle_call_attempts(tx);
  return counts;
}

void copy_calls(pqxx::stream_to& copy, const CallBatch& batch) {
  std::array<const char*, 1 + call_column_count> row{};
  std::string line;
  for (std::size_t i = 0; i < batch.rows.size(); ++i) {
    line = std::to_string(batch.lines[i]);
    row[0] = line.c_str();
    for (std::size_t c = 0; c < call_column_count; ++c) row[1 + c] = batch.value(i, c);
    copy << row;
  }
}

std::vector<std::string> stage_columns() {
  std::vector<std::string> columns{"line"};
  for (const char* name : call_column_names) columns.emplace_back(name);
  return columns;
}

void stage_calls(pqxx::transaction_base& tx, const CallBatch& batch) {
  pqxx::stream_to copy(tx, "call_stage", stage_columns());
  copy_calls(copy, batch);
  copy.complete();
}

}  // namespace wfa
