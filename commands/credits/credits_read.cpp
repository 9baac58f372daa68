// `wfa credits show|ledger`: a balance beside its ledger's sum, and the ledger itself.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/credits/credit_rules.hpp"
#include "commands/credits/credits.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

const Choices ledger_reasons = {"opening", "topup", "adjustment", "usage", "refund", "grant"};

/// may_read requires the actor to read SUBJECT's billing.
void may_read(pqxx::transaction_base& tx, const Session& session, const CreditSubject& subject) {
  if (subject.workspace)
    workspace_for(tx, session, subject.id, "workspace:billing:read");
  else
    partner_for(tx, session, subject.id, "partner:billing:read");
}

}  // namespace

Result run_credits_show(const CreditsShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto subject = find_credit_subject(tx, o.subject);
  may_read(tx, session, subject);
  auto sql = subject.workspace
                 ? std::string(
                       "SELECT p.slug || '/' || w.slug AS workspace, w.credit_balance_cents AS balance_cents,"
                       " (SELECT coalesce(sum(amount_cents), 0)::bigint FROM workspace_credits c WHERE c.workspace_id ="
                       " w.id) AS ledger_sum_cents, coalesce(w.credit_low_balance_cents, p.credit_low_balance_cents) AS"
                       " low_balance_cents, w.credit_low_balance_cents IS NULL AS threshold_from_partner,"
                       " w.credit_state AS state, p.credit_at_zero AS at_zero, w.is_billing_exempt AS billing_exempt,"
                       " (SELECT count(*) FROM ai_agents a WHERE a.workspace_id = w.id AND a.suspended_for_credit_at IS"
                       " NOT NULL) AS agents_suspended FROM workspaces w JOIN partners p ON p.id = w.partner_id WHERE"
                       " w.id = $1::uuid")
                 : std::string(
                       "SELECT p.slug AS partner, p.credit_balance_cents AS balance_cents, (SELECT"
                       " coalesce(sum(amount_cents), 0)::bigint FROM billing_credits c WHERE c.partner_id = p.id) AS"
                       " ledger_sum_cents, p.credit_low_balance_cents AS low_balance_cents, p.credit_at_zero AS"
                       " at_zero FROM partners p WHERE p.id = $1::uuid");
  auto rows = tx.exec_params(sql, subject.id);
  Result r;
  r.fields = to_fields(rows);
  auto balance = rows[0]["balance_cents"].as<std::int64_t>();
  auto sum = rows[0]["ledger_sum_cents"].as<std::int64_t>();
  r.fields.emplace_back("balance", Cell(signed_amount(balance)));
  r.fields.emplace_back("consistent", Cell(balance == sum));
  if (balance != sum)
    throw Error(ErrorCategory::unexpected,
                "the credit of " + subject.describe() + " (" + signed_amount(balance) + ") is not its ledger's sum (" +
                    signed_amount(sum) + ")",
                "report it: the ledger's triggers make this impossible unless they were bypassed");
  return r;
}

Result run_credits_ledger(const CreditsLedgerOptions& o, Session& session) {
  if (o.reason) check_choice("reason", *o.reason, ledger_reasons, "a ledger reason");
  auto tx = list_transaction(session);
  auto subject = find_credit_subject(*tx, o.subject);
  may_read(*tx, session, subject);
  ListQuery query("credits ledger", "entries");
  query
      .select("c.id, " + utc_sql("c.created_at") +
              " AS at, c.reason, c.amount_cents, c.balance_after_cents, c.reference, c.idempotency_key AS key, c.note,"
              " c.actor")
      .from(std::string(subject.ledger()) + " c")
      .where(std::string("c.") + subject.key_column() + " = ?::uuid", subject.id)
      .where("c.reason = ?", o.reason)
      .order_by({{"c.created_at", "timestamptz", true}, {"c.id", "bigint", true}})
      .when_empty("no credit entries for " + subject.describe());
  return list_rows(tx, query, o.paging, session);
}

}  // namespace wfa
