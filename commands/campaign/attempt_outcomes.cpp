// The calls' merge ending dials: attempts, recipients by the retry policy, do-not-call, campaign completion, NOTIFY.
#include "commands/campaign/attempt_outcomes.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

namespace wfa {

std::int64_t settle_call_attempts(pqxx::transaction_base& tx) {
  // Most merges carry no dial of wfa's: one look at the stage and nothing more.
  if (!tx.exec("SELECT EXISTS (SELECT 1 FROM call_stage WHERE metadata ? 'wfa_attempt_id')")[0][0].as<bool>()) return 0;
  // The staged calls that name an attempt, with their conversation; the end is the call's, else its start plus its
  // length, else now.
  tx.exec(
      "CREATE TEMP TABLE attempt_calls ON COMMIT DROP AS SELECT a.workspace_id, (s.metadata->>'wfa_attempt_id')::uuid"
      " AS attempt_id, s.provider, s.external_call_id, s.outcome, coalesce(s.ended_at, s.started_at +"
      " make_interval(secs => s.duration_seconds), statement_timestamp()) AS ended_at, c.id AS conversation_id"
      " FROM call_stage s JOIN call_agents a ON a.provider = s.provider AND a.external_agent_id ="
      " s.external_agent_id JOIN conversations c ON c.workspace_id = a.workspace_id AND c.provider = s.provider AND"
      " c.external_call_id = s.external_call_id WHERE s.metadata ? 'wfa_attempt_id' AND s.metadata->>'wfa_attempt_id'"
      " ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'");
  tx.exec(
      "CREATE TEMP TABLE attempt_ends ON COMMIT DROP AS SELECT workspace_id, id, campaign_id, recipient_id, phone_e164,"
      " provider, provider_call_id, ended_at, ''::text AS outcome, conversation_id, false AS refined FROM call_attempts"
      " WITH NO DATA");
  // Exactly once: only an attempt not yet ended ends (the row lock re-checks ended_at against a concurrent end). A
  // provider's concurrency refusal ends it without an outcome: it was no attempt.
  auto ended = tx.exec(
                     "WITH up AS (UPDATE call_attempts t SET ended_at = x.ended_at, outcome = NULLIF(x.outcome,"
                     " 'concurrency'), provider_call_id = coalesce(t.provider_call_id, x.external_call_id),"
                     " conversation_id = x.conversation_id FROM attempt_calls x WHERE t.workspace_id = x.workspace_id"
                     " AND t.id = x.attempt_id AND t.provider = x.provider AND t.ended_at IS NULL AND x.outcome IS NOT"
                     " NULL RETURNING t.workspace_id, t.id, t.campaign_id, t.recipient_id, t.phone_e164, t.provider,"
                     " t.provider_call_id, t.ended_at, x.outcome, x.conversation_id, false)"
                     " INSERT INTO attempt_ends SELECT * FROM up")
                   .affected_rows();
  // A call still running, or one whose attempt another path ended first, is linked all the same.
  tx.exec(
      "UPDATE call_attempts t SET provider_call_id = coalesce(t.provider_call_id, x.external_call_id), conversation_id"
      " = coalesce(t.conversation_id, x.conversation_id) FROM attempt_calls x WHERE t.workspace_id = x.workspace_id AND"
      " t.id = x.attempt_id AND t.provider = x.provider AND (t.provider_call_id IS NULL OR t.conversation_id IS NULL)");
  // The analysis may come after the end (VAPI's status-update before its end-of-call report, Retell's call_analyzed
  // after call_ended): a completed call of the same provider call id is refined to refused or opted_out, once; its
  // end stays the first.
  auto refined = tx.exec(
                       "WITH up AS (UPDATE call_attempts t SET outcome = x.outcome FROM attempt_calls x WHERE"
                       " t.workspace_id = x.workspace_id AND t.id = x.attempt_id AND t.provider = x.provider AND"
                       " t.provider_call_id = x.external_call_id AND t.ended_at IS NOT NULL AND t.outcome ="
                       " 'completed' AND x.outcome IN ('refused', 'opted_out') AND NOT EXISTS (SELECT 1 FROM"
                       " attempt_ends e WHERE e.workspace_id = t.workspace_id AND e.id = t.id) RETURNING"
                       " t.workspace_id, t.id, t.campaign_id, t.recipient_id, t.phone_e164, t.provider,"
                       " t.provider_call_id, t.ended_at, x.outcome, t.conversation_id, true)"
                       " INSERT INTO attempt_ends SELECT * FROM up")
                     .affected_rows();
  if (ended + refined == 0) return 0;
  // The recipients follow (the retry policy, in SQL function wfa_settle_attempt_recipients of migration 0044, which
  // also completes a running campaign whose last recipient is done).
  tx.exec(
      "SELECT wfa_settle_attempt_recipients(array_agg(workspace_id), array_agg(id)) FROM attempt_ends WHERE"
      " recipient_id IS NOT NULL");
  // An opt-out or a refusal puts the number on the workspace's own list once, saying which call; one audit row per
  // workspace names the numbers.
  tx.exec(
      "WITH added AS (INSERT INTO do_not_call (workspace_id, phone_e164, reason, note, added_by) SELECT DISTINCT ON"
      " (workspace_id, phone_e164) workspace_id, phone_e164, CASE WHEN outcome = 'opted_out' THEN 'opt_out' ELSE"
      " 'refusal' END, 'from ' || provider || ' call ' || provider_call_id, 'calls' FROM attempt_ends WHERE outcome IN"
      " ('opted_out', 'refused') ORDER BY workspace_id, phone_e164, outcome ON CONFLICT (workspace_id, phone_e164) DO"
      " NOTHING RETURNING workspace_id, phone_e164, reason, note) INSERT INTO audit_log (actor, partner_id,"
      " workspace_id, action, entity_type, entity_id, new_values) SELECT 'calls', w.partner_id, a.workspace_id,"
      " 'dnc.add', 'do_not_call', 'workspace', jsonb_build_object('phones', jsonb_agg(jsonb_build_object('phone',"
      " a.phone_e164, 'reason', a.reason, 'note', a.note) ORDER BY a.phone_e164), 'count', count(*)) FROM added a JOIN"
      " workspaces w ON w.id = a.workspace_id GROUP BY a.workspace_id, w.partner_id");
  // Slots freed: the dispatcher wakes (delivered at commit; one notification per workspace and transaction).
  tx.exec_params(
      "SELECT pg_notify($1, workspace_id::text) FROM (SELECT DISTINCT workspace_id FROM attempt_ends WHERE NOT"
      " refined) d",
      dial_channel);
  return static_cast<std::int64_t>(ended);
}

}  // namespace wfa
