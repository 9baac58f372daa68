// `wfa billing subscription show|set|cancel|resume`: subscriptions wfa keeps itself; Stripe's are changed in Stripe and
// arrive as events.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/billing/billing.hpp"
#include "commands/billing/billing_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

constexpr std::int64_t max_trial_days = 730;

/// Kept is the subject's subscription row as a change needs it (locked).
struct Kept {
  std::string id, plan, status;
  bool stripe = false, cancel_at_period_end = false;
  std::int64_t remaining = 0, period = 0;  // seconds
};

std::optional<Kept> kept_subscription(pqxx::dbtransaction& tx, const BillingSubject& subject) {
  auto rows = tx.exec_params(
      "SELECT id, plan, status, stripe_subscription_id IS NOT NULL, cancel_at_period_end, coalesce(extract(epoch FROM"
      " current_period_end - now())::bigint, 0), coalesce(extract(epoch FROM current_period_end -"
      " current_period_start)::bigint, 0) FROM subscriptions WHERE subject_type = $1 AND subject_id = $2::uuid FOR"
      " UPDATE",
      subject.type, subject.id);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return Kept{r[0].as<std::string>(), r[1].as<std::string>(),  r[2].as<std::string>(), r[3].as<bool>(),
              r[4].as<bool>(),        r[5].as<std::int64_t>(), r[6].as<std::int64_t>()};
}

/// changeable refuses a subscription Stripe keeps: Stripe's state wins, and its events would undo a local change.
void changeable(const Kept& kept, const BillingSubject& subject) {
  if (kept.stripe)
    throw ConflictError("the subscription of " + subject.label + " is kept by Stripe",
                        "change it in Stripe, in its dashboard or customer portal; its events update wfa");
}

Kept must_have(std::optional<Kept> kept, const BillingSubject& subject) {
  if (!kept)
    throw NotFoundError(subject.subject_type_label() + subject.label + " has no subscription",
                        "`wfa billing subscription set` starts one");
  return *kept;
}

/// finish records the audit row of ACTION on subscription ID and returns the verb's fields.
Result finish(pqxx::dbtransaction& tx, Session& session, const BillingSubject& subject, const std::string& action,
              const std::string& id, const std::string& before, const std::string& metadata) {
  if (subject.type == "partner") mirror_partner_subscription(tx, id);
  record_audit(tx, {session.actor(), action, "subscription", id, subject.partner_id,
                    subject.type == "workspace" ? std::optional<std::string>(subject.id) : std::nullopt, before,
                    row_json(tx, "subscriptions", id), metadata});
  Result r;
  r.fields = subscription_fields(tx, id);
  return r;
}

}  // namespace

Result run_billing_subscription_show(const SubscriptionShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto subject = billing_subject(tx, session, o, "partner:billing:read");
  auto rows = tx.exec_params("SELECT id FROM subscriptions WHERE subject_type = $1 AND subject_id = $2::uuid",
                             subject.type, subject.id);
  if (rows.empty())
    throw NotFoundError(subject.subject_type_label() + subject.label + " has no subscription",
                        "`wfa billing subscription set` starts one");
  Result r;
  r.fields = subscription_fields(tx, rows[0][0].as<std::string>());
  r.tables.push_back(to_table(
      tx.exec_params("SELECT id, source, number, status, currency, total, amount_due, amount_paid, " +
                         utc_sql("issued_at") + " AS issued_at, " + utc_sql("paid_at") +
                         " AS paid_at, hosted_invoice_url FROM invoices WHERE subject_type = $1 AND subject_id ="
                         " $2::uuid ORDER BY created_at DESC LIMIT 12",
                     subject.type, subject.id),
      "invoices"));
  return r;
}

Result run_billing_subscription_set(const SubscriptionSetOptions& o, Session& session) {
  if (o.trial_days && (*o.trial_days < 1 || *o.trial_days > max_trial_days))
    throw InvalidInputError(session.option("trial-days") + " " + std::to_string(*o.trial_days) +
                                " is not between 1 and " + std::to_string(max_trial_days),
                            "give the trial's length in days");
  pqxx::work tx(session.database().ready());
  auto subject = billing_subject(tx, session, o, "partner:billing:update");
  if (subject.type == "partner") require_super_admin(actor_of(tx, session), "choose a partner's plan");
  refuse_if_partner_deleted(tx, subject.partner_id, "change a subscription");
  auto kept = kept_subscription(tx, subject);
  if (kept) changeable(*kept, subject);
  bool fresh = !kept || kept->status == "canceled";
  auto plan = plan_terms(tx, session.option("plan"), o.plan, fresh || kept->plan != o.plan);
  if (!fresh && o.trial_days)
    throw InvalidInputError(session.option("trial-days") + " applies to a new subscription; " + subject.label +
                                " has one (" + kept->status + ")",
                            "leave it out to change the plan");
  if (!fresh && kept->plan == plan.tier) {
    Result r;
    r.fields = subscription_fields(tx, kept->id);
    r.message = subject.label + " is already on plan " + plan.tier + "; nothing changed";
    return r;
  }
  std::string id, before;
  std::int64_t proration = 0;
  if (fresh) {
    // A new subscription starts now: trialing for the trial's days (the first period is the trial), else active.
    before = kept ? row_json(tx, "subscriptions", kept->id) : "";
    auto days = o.trial_days.value_or(0);
    id = tx.exec_params(
               "INSERT INTO subscriptions (subject_type, subject_id, partner_id, plan, status, current_period_start,"
               " current_period_end, trial_end) SELECT $1, $2::uuid, $3::uuid, $4, CASE WHEN $5 > 0 THEN 'trialing'"
               " ELSE 'active' END, now(), CASE WHEN $5 > 0 THEN now() + make_interval(days => $5) ELSE now() +"
               " CASE $6 WHEN 'year' THEN interval '1 year' ELSE interval '1 month' END END, CASE WHEN $5 > 0 THEN"
               " now() + make_interval(days => $5) END ON CONFLICT (subject_type, subject_id) DO UPDATE SET plan ="
               " EXCLUDED.plan, status = EXCLUDED.status, current_period_start = EXCLUDED.current_period_start,"
               " current_period_end = EXCLUDED.current_period_end, trial_end = EXCLUDED.trial_end,"
               " cancel_at_period_end = false, canceled_at = NULL RETURNING id",
               subject.type, subject.id, subject.partner_id, plan.tier, static_cast<int>(days), plan.period)[0][0]
             .as<std::string>();
  } else {
    before = row_json(tx, "subscriptions", kept->id);
    auto old = plan_terms(tx, "plan", kept->plan, false);
    if (kept->status == "active" && old.currency == plan.currency && old.period == plan.period)
      proration = proration_minor(old.price_minor, plan.price_minor, kept->remaining, kept->period);
    id = kept->id;
    tx.exec_params("UPDATE subscriptions SET plan = $2 WHERE id = $1::uuid", id, plan.tier);
  }
  bool plan_moved = subject.type == "partner" && put_partner_on_plan(tx, subject.partner_id, plan.tier);
  auto r = finish(tx, session, subject, "billing.subscription.set", id, before,
                  "{\"proration_minor\": " + std::to_string(proration) + ", \"currency\": \"" + plan.currency + "\"}");
  r.fields.emplace_back("proration_minor", Cell(proration));
  std::string note = proration == 0 ? ""
                     : proration > 0
                         ? "; " + std::to_string(proration) + " " + plan.currency + " minor units owed for the period"
                         : "; " + std::to_string(-proration) + " " + plan.currency + " minor units credited";
  if (plan_moved) note += "; the partner's features and limits are now the plan's";
  return commit_or_roll_back(tx, std::move(r), o.dry_run, subject.label + " is on plan " + plan.tier + note,
                             subject.label + " would be on plan " + plan.tier + note);
}

Result run_billing_subscription_cancel(const SubscriptionCancelOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto subject = billing_subject(tx, session, o, "partner:billing:update");
  auto kept = must_have(kept_subscription(tx, subject), subject);
  changeable(kept, subject);
  if (kept.status == "canceled" || (!o.now && kept.cancel_at_period_end)) {
    Result r;
    r.fields = subscription_fields(tx, kept.id);
    r.message = "the subscription of " + subject.label + " is already " +
                (kept.status == "canceled" ? "canceled" : "set to end with its period") + "; nothing to do";
    return r;
  }
  if (!o.dry_run)
    session.confirm(o.yes, o.now ? "end the subscription of " + subject.label + " now"
                                 : "cancel the subscription of " + subject.label + " at the end of its period");
  auto before = row_json(tx, "subscriptions", kept.id);
  if (o.now)
    tx.exec_params(
        "UPDATE subscriptions SET status = 'canceled', canceled_at = now(), cancel_at_period_end = false,"
        " current_period_end = least(current_period_end, now()) WHERE id = $1::uuid",
        kept.id);
  else
    tx.exec_params("UPDATE subscriptions SET cancel_at_period_end = true WHERE id = $1::uuid", kept.id);
  auto r = finish(tx, session, subject, "billing.subscription.cancel", kept.id, before,
                  o.now ? "{\"at\": \"now\"}" : "{\"at\": \"period_end\"}");
  auto what = o.now ? "ended" : "set to end with its period";
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "the subscription of " + subject.label + " is " + what,
                             "the subscription of " + subject.label + " would be " + what);
}

Result run_billing_subscription_resume(const SubscriptionResumeOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto subject = billing_subject(tx, session, o, "partner:billing:update");
  auto kept = must_have(kept_subscription(tx, subject), subject);
  changeable(kept, subject);
  if (kept.status == "canceled")
    throw ConflictError("the subscription of " + subject.label + " has ended",
                        "start a new one with `wfa billing subscription set`");
  if (kept.status != "paused" && !kept.cancel_at_period_end) {
    Result r;
    r.fields = subscription_fields(tx, kept.id);
    r.message = "the subscription of " + subject.label + " is " + kept.status + "; nothing to resume";
    return r;
  }
  auto before = row_json(tx, "subscriptions", kept.id);
  tx.exec_params(
      "UPDATE subscriptions SET cancel_at_period_end = false, status = CASE status WHEN 'paused' THEN 'active' ELSE"
      " status END WHERE id = $1::uuid",
      kept.id);
  auto r = finish(tx, session, subject, "billing.subscription.resume", kept.id, before, "");
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "the subscription of " + subject.label + " continues",
                             "the subscription of " + subject.label + " would continue");
}

}  // namespace wfa
