// `wfa credits topup|adjust|policy`: a ledger row (the balance follows it by trigger), then the crossings it causes.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/credits/credit_rules.hpp"
#include "commands/credits/credits.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "pipelines/money.hpp"

namespace wfa {

namespace {

constexpr std::size_t max_text = 500;

/// may_change requires the right to move SUBJECT's credit: a workspace's is sold by its partner (partner owners),
/// a partner's by the platform (super admins).
void may_change(pqxx::transaction_base& tx, Session& session, const CreditSubject& subject) {
  auto actor = actor_of(tx, session);
  if (subject.workspace)
    require_partner(tx, actor, subject.partner_id, "the partner of " + subject.describe(), "partner:billing:update");
  else
    require_super_admin(actor, "change a partner's credit");
}

std::int64_t signed_cents(const std::string& text, bool allow_negative) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative && !allow_negative)
    throw InvalidInputError("amount " + text + " is negative",
                            "a top-up adds credit; correct with `wfa credits adjust`");
  auto cents = parse_amount(negative ? std::string_view(text).substr(1) : std::string_view(text), 2, "amount");
  if (cents == 0) throw InvalidInputError("amount " + text + " is zero", "give the amount to add, e.g. 25.00");
  return negative ? -cents : cents;
}

void check_text(const std::optional<std::string>& value, const char* what) {
  if (value && (value->empty() || value->size() > max_text || value->find('\n') != std::string::npos))
    throw InvalidInputError(std::string(what) + " must be one line of 1 to 500 characters");
}

/// change adds one ledger row of REASON; with a key already used, the row it made answers (or a conflict when the
/// amount differs).
Result change(const CreditsChangeOptions& o, Session& session, const std::string& reason, bool allow_negative) {
  auto cents = signed_cents(o.amount, allow_negative);
  check_text(o.key, "--key");
  check_text(o.note, "--note");
  check_text(o.reference, "--reference");
  pqxx::work tx(session.database().ready());
  auto subject = find_credit_subject(tx, o.subject);
  may_change(tx, session, subject);
  if (subject.workspace) refuse_if_partner_deleted(tx, subject.partner_id, "credit");
  auto columns = std::string("c.id, c.reason, c.amount_cents, c.balance_after_cents, c.idempotency_key AS key, ") +
                 utc_sql("c.created_at") + " AS at";
  auto inserted = tx.exec_params(
      std::string("WITH c AS (INSERT INTO ") + subject.ledger() + " (" + subject.key_column() +
          ", amount_cents, reason, reference, idempotency_key, note, actor) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7)"
          " ON CONFLICT (" +
          subject.key_column() + ", idempotency_key) DO NOTHING RETURNING *) SELECT " + columns + " FROM c",
      subject.id, cents, reason, o.reference, o.key, o.note, session.actor());
  Result r;
  auto what = signed_amount(cents) + " to the credit of " + subject.describe();
  if (inserted.empty()) {
    auto earlier = tx.exec_params(std::string("SELECT ") + columns + " FROM " + subject.ledger() + " c WHERE c." +
                                      subject.key_column() + " = $1::uuid AND c.idempotency_key = $2",
                                  subject.id, *o.key);
    if (earlier[0]["amount_cents"].as<std::int64_t>() != cents || earlier[0]["reason"].as<std::string>() != reason)
      throw ConflictError("key " + *o.key + " was used for " +
                              signed_amount(earlier[0]["amount_cents"].as<std::int64_t>()) + " (" +
                              earlier[0]["reason"].as<std::string>() + ") on " + subject.describe(),
                          "give each change a key of its own");
    r.fields = to_fields(earlier);
    r.message = "already added (key " + *o.key + "): " + what + "; nothing changed";
    return r;
  }
  r.fields = to_fields(inserted);
  r.fields.emplace_back("balance", Cell(signed_amount(inserted[0]["balance_after_cents"].as<std::int64_t>())));
  if (subject.workspace) settle_credit_states(tx, subject.id, session.actor());
  auto entry = tx.exec_params(std::string("SELECT row_to_json(c)::text FROM ") + subject.ledger() + " c WHERE c." +
                                  subject.key_column() + " = $1::uuid AND c.id = $2",
                              subject.id, inserted[0]["id"].as<std::int64_t>())[0][0]
                   .as<std::string>();
  record_audit(tx, {session.actor(), std::string(subject.workspace ? "workspace" : "partner") + ".credit_" + reason,
                    subject.workspace ? "workspace" : "partner", subject.id, subject.partner_id,
                    subject.workspace ? std::optional(subject.id) : std::nullopt, "", entry, ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "added " + what, "would add " + what);
}

}  // namespace

Result run_credits_topup(const CreditsChangeOptions& o, Session& session) { return change(o, session, "topup", false); }

Result run_credits_adjust(const CreditsChangeOptions& o, Session& session) {
  if (!o.note) throw UsageError("an adjustment needs --note saying why", "e.g. --note 'refund for the outage'");
  return change(o, session, "adjustment", true);
}

Result run_credits_policy(const CreditsPolicyOptions& o, Session& session) {
  static const Choices at_zero = {"allow_overage", "suspend_agents"};
  if (o.at_zero) check_choice("at-zero", *o.at_zero, at_zero, "what happens at zero");
  if (!o.low_balance && !o.at_zero)
    throw UsageError("nothing to set", "give --low-balance AMOUNT|none or --at-zero allow_overage|suspend_agents");
  std::optional<std::int64_t> threshold;
  if (o.low_balance && *o.low_balance != "none") threshold = parse_amount(*o.low_balance, 2, "--low-balance");
  pqxx::work tx(session.database().ready());
  auto subject = find_credit_subject(tx, o.subject);
  if (subject.workspace && o.at_zero)
    throw UsageError("--at-zero is the partner's policy for all its workspaces",
                     "give the partner: wfa credits policy " +
                         subject.reference.substr(0, subject.reference.find('/')) + " --at-zero " + *o.at_zero);
  if (subject.workspace)
    workspace_for(tx, session, subject.id, "workspace:billing:update");
  else
    partner_for(tx, session, subject.id, "partner:billing:update");
  auto before = row_json(tx, subject.owner_table(), subject.id);
  tx.exec_params(std::string("UPDATE ") + subject.owner_table() +
                     " SET credit_low_balance_cents = CASE WHEN $2 THEN $3::bigint ELSE credit_low_balance_cents END" +
                     (subject.workspace ? "" : ", credit_at_zero = coalesce($4, credit_at_zero)") +
                     " WHERE id = $1::uuid AND ($4::text IS NULL OR true)",
                 subject.id, o.low_balance.has_value(), threshold, o.at_zero);
  // A new threshold or policy may itself be a crossing.
  auto ids = subject.workspace ? subject.id
                               : tx.exec_params(
                                       "SELECT coalesce(string_agg(id::text, ','), '') FROM workspaces WHERE"
                                       " partner_id = $1::uuid AND deleted_at IS NULL",
                                       subject.id)[0][0]
                                     .as<std::string>();
  auto crossed = settle_credit_states(tx, ids, session.actor());
  record_audit(tx, {session.actor(), std::string(subject.workspace ? "workspace" : "partner") + ".credit_policy",
                    subject.workspace ? "workspace" : "partner", subject.id, subject.partner_id,
                    subject.workspace ? std::optional(subject.id) : std::nullopt, before,
                    row_json(tx, subject.owner_table(), subject.id), ""});
  Result r;
  auto shown = tx.exec_params(std::string("SELECT credit_low_balance_cents AS low_balance_cents") +
                                  (subject.workspace ? ", credit_state AS state" : ", credit_at_zero AS at_zero") +
                                  " FROM " + subject.owner_table() + " WHERE id = $1::uuid",
                              subject.id);
  r.fields = to_fields(shown);
  r.fields.emplace_back("workspaces_crossed", Cell(crossed));
  auto what = "the credit policy of " + subject.describe();
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "set " + what, "would set " + what);
}

}  // namespace wfa
