// Whose credit, one ledger row's printing, and the crossings of a workspace's balance.
#include "commands/credits/credit_rules.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/error.hpp"
#include "pipelines/money.hpp"

namespace wfa {

CreditSubject find_credit_subject(pqxx::transaction_base& tx, const std::string& reference) {
  CreditSubject s;
  bool looks_like_workspace = reference.find('/') != std::string::npos;
  if (!looks_like_workspace) {
    auto by_id = tx.exec_params(
        "SELECT w.id, w.partner_id, p.slug || '/' || w.slug FROM workspaces w JOIN partners p ON p.id = w.partner_id"
        " WHERE w.id::text = $1 AND w.deleted_at IS NULL",
        reference);
    if (!by_id.empty()) {
      s.workspace = true;
      s.id = by_id[0][0].as<std::string>();
      s.partner_id = by_id[0][1].as<std::string>();
      s.reference = by_id[0][2].as<std::string>();
      return s;
    }
    auto partner = find_partner(tx, reference);
    s.id = s.partner_id = partner.id;
    s.reference = partner.slug;
    return s;
  }
  auto ws = find_workspace(tx, reference);
  s.workspace = true;
  s.id = ws.id;
  s.partner_id = ws.partner_id;
  s.reference = tx.exec_params(
                      "SELECT p.slug || '/' || w.slug FROM workspaces w JOIN partners p ON p.id ="
                      " w.partner_id WHERE w.id = $1::uuid",
                      ws.id)[0][0]
                    .as<std::string>();
  return s;
}

std::string signed_amount(std::int64_t cents) {
  return (cents < 0 ? "-" : "") + format_amount(cents < 0 ? -cents : cents, 2);
}

std::int64_t settle_credit_states(pqxx::transaction_base& tx, const std::string& workspace_ids,
                                  const std::string& actor) {
  if (workspace_ids.empty()) return 0;
  // One statement: the new states, the agents the partner's policy stops or restarts, and an audit row per crossing.
  return tx
      .exec_params(
          "WITH target AS (SELECT w.id, w.partner_id, w.credit_state AS old_state, CASE WHEN w.is_billing_exempt THEN"
          " 'ok' WHEN w.credit_balance_cents <= 0 THEN 'exhausted' WHEN w.credit_balance_cents <"
          " coalesce(w.credit_low_balance_cents, p.credit_low_balance_cents) THEN 'low' ELSE 'ok' END AS new_state,"
          " p.credit_at_zero, w.credit_balance_cents, w.name FROM workspaces w JOIN partners p ON p.id = w.partner_id"
          " WHERE"
          " w.id = ANY (string_to_array($1, ',')::uuid[]) FOR UPDATE OF w),"
          " changed AS (UPDATE workspaces w SET credit_state = t.new_state FROM target t WHERE w.id = t.id AND"
          " t.old_state <> t.new_state RETURNING w.id, w.partner_id, t.old_state, t.new_state, t.credit_at_zero,"
          " t.credit_balance_cents, t.name),"
          " noticed AS (INSERT INTO notifications (partner_id, chat_id, workspace_id, text) SELECT c.partner_id,"
          " g.chat_id, c.id, CASE WHEN c.new_state = 'low' THEN 'Credit is low in ' || c.name || ': ' ||"
          " to_char(c.credit_balance_cents / 100.0, 'FM999,999,990.00') || ' left. Top up to keep calls going.' ELSE"
          " 'Credit has run out in ' || c.name || ' (' || to_char(c.credit_balance_cents / 100.0,"
          " 'FM999,999,990.00') || ')' || CASE WHEN c.credit_at_zero = 'suspend_agents' THEN '; its agents are"
          " paused until a top-up.' ELSE '; calls go on as overage.' END END FROM changed c JOIN telegram_groups g ON"
          " g.workspace_id = c.id AND g.bot_status IS DISTINCT FROM 'left' AND g.bot_status IS DISTINCT FROM"
          " 'kicked' JOIN telegram_bots b ON b.partner_id = c.partner_id WHERE c.new_state IN ('low', 'exhausted')"
          " AND c.old_state <> 'exhausted' RETURNING 1),"
          " suspended AS (UPDATE ai_agents a SET is_active = false, suspended_for_credit_at = now(), needs_resync ="
          " true FROM changed c WHERE a.workspace_id = c.id AND c.new_state = 'exhausted' AND c.credit_at_zero ="
          " 'suspend_agents' AND a.is_active AND a.deleted_at IS NULL RETURNING a.workspace_id),"
          " resumed AS (UPDATE ai_agents a SET is_active = true, suspended_for_credit_at = NULL, needs_resync = true"
          " FROM changed c WHERE a.workspace_id = c.id AND c.old_state = 'exhausted' AND c.new_state <> 'exhausted'"
          " AND a.suspended_for_credit_at IS NOT NULL RETURNING a.workspace_id),"
          " audited AS (INSERT INTO audit_log (actor, partner_id, workspace_id, action, entity_type, entity_id,"
          " old_values, new_values, metadata) SELECT $2, c.partner_id, c.id, 'workspace.credit_' || c.new_state,"
          " 'workspace', c.id::text, jsonb_build_object('credit_state', c.old_state), jsonb_build_object("
          "'credit_state', c.new_state), jsonb_build_object('balance_cents', c.credit_balance_cents,"
          " 'agents_suspended', (SELECT count(*) FROM suspended s WHERE s.workspace_id = c.id), 'agents_resumed',"
          " (SELECT count(*) FROM resumed r WHERE r.workspace_id = c.id)) FROM changed c RETURNING 1)"
          " SELECT (SELECT count(*) FROM changed) + 0 * (SELECT count(*) FROM audited) + 0 * (SELECT count(*) FROM"
          " noticed)",
          workspace_ids, actor)[0][0]
      .as<std::int64_t>();
}

}  // namespace wfa
