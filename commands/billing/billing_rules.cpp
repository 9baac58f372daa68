// Rules the billing verbs and Stripe's events share: subjects and rights, plans, a partner's plan, output fields.
#include "commands/billing/billing_rules.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/billing/billing.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

std::string BillingSubject::subject_type_label() const { return type == "partner" ? "partner " : "workspace "; }

BillingSubject billing_subject(pqxx::transaction_base& tx, Session& session, const BillingSubjectOptions& o,
                               std::string_view permission) {
  if (o.workspace && !o.partner.empty())
    throw UsageError("name a partner or a workspace, not both",
                     "give the partner, or only " + session.option("workspace") + " PARTNER/SLUG");
  if (!o.workspace && o.partner.empty())
    throw UsageError("whose subscription? name a partner",
                     "give the partner's slug, or " + session.option("workspace") + " PARTNER/SLUG");
  if (!o.workspace) {
    auto partner = partner_for(tx, session, o.partner, permission);
    return {"partner", partner.id, partner.id, partner.slug};
  }
  auto ws = find_workspace(tx, *o.workspace);
  auto partner = find_partner(tx, ws.partner_id, true);
  require_partner(tx, actor_of(tx, session), ws.partner_id, partner.slug, permission);
  return {"workspace", ws.id, ws.partner_id, partner.slug + "/" + ws.slug};
}

PlanTerms plan_terms(pqxx::transaction_base& tx, std::string_view field, const std::string& tier, bool new_choice) {
  auto rows = tx.exec_params(
      "SELECT tier, currency, period, price_minor, stripe_price_id, retired_at IS NOT NULL FROM subscription_plans"
      " WHERE tier = $1",
      tier);
  if (rows.empty())
    throw NotFoundError(std::string(field) + " '" + tier + "' is not a plan", "`wfa plan list` shows the plans");
  PlanTerms p{rows[0][0].as<std::string>(),
              rows[0][1].as<std::string>(),
              rows[0][2].as<std::string>(),
              rows[0][3].as<std::int64_t>(),
              rows[0][4].is_null() ? std::nullopt : std::optional<std::string>(rows[0][4].as<std::string>()),
              rows[0][5].as<bool>()};
  if (new_choice && p.retired)
    throw InvalidInputError(std::string(field) + " '" + tier + "' is retired and takes no new subscriptions",
                            "choose a plan that `wfa plan list` shows");
  return p;
}

bool put_partner_on_plan(pqxx::dbtransaction& tx, const std::string& partner_id, const std::string& plan) {
  auto changed = tx.exec_params(
      "UPDATE partners p SET plan_tier = s.tier, features = s.features, resource_limits = s.resource_limits FROM"
      " subscription_plans s WHERE p.id = $1::uuid AND s.tier = $2 AND p.plan_tier <> s.tier",
      partner_id, plan);
  return changed.affected_rows() > 0;
}

void mirror_partner_subscription(pqxx::dbtransaction& tx, const std::string& subscription_id) {
  tx.exec_params(
      "UPDATE partners p SET subscription_status = s.status, subscription_id = coalesce(s.stripe_subscription_id,"
      " s.id::text), trial_ends_at = s.trial_end, current_period_end = s.current_period_end FROM subscriptions s"
      " WHERE s.id = $1::uuid AND s.subject_type = 'partner' AND p.id = s.partner_id AND (p.subscription_status,"
      " p.subscription_id, p.trial_ends_at, p.current_period_end) IS DISTINCT FROM (s.status,"
      " coalesce(s.stripe_subscription_id, s.id::text), s.trial_end, s.current_period_end)",
      subscription_id);
}

BillingFields subscription_fields(pqxx::transaction_base& tx, const std::string& subscription_id) {
  auto rows = tx.exec_params(
      "SELECT s.id, s.subject_type, CASE s.subject_type WHEN 'partner' THEN p.slug ELSE p.slug || '/' || w.slug END"
      " AS subject, s.plan, sp.display_name AS plan_name, sp.price_minor, sp.currency, sp.period, s.status, " +
          utc_sql("s.current_period_start") + " AS current_period_start, " + utc_sql("s.current_period_end") +
          " AS current_period_end, " + utc_sql("s.trial_end") + " AS trial_end, s.cancel_at_period_end, " +
          utc_sql("s.canceled_at") + " AS canceled_at, s.stripe_customer_id, s.stripe_subscription_id, " +
          utc_sql("s.stripe_updated") + " AS stripe_updated, " + utc_sql("s.created_at") + " AS created_at, " +
          utc_sql("s.updated_at") +
          " AS updated_at FROM subscriptions s JOIN partners p ON p.id = s.partner_id JOIN subscription_plans sp ON"
          " sp.tier = s.plan LEFT JOIN workspaces w ON s.subject_type = 'workspace' AND w.id = s.subject_id WHERE"
          " s.id = $1::uuid",
      subscription_id);
  return rows.empty() ? BillingFields{} : to_fields(rows);
}

std::int64_t proration_minor(std::int64_t old_price, std::int64_t new_price, std::int64_t remaining,
                             std::int64_t period) {
  if (period <= 0 || remaining <= 0) return 0;
  if (remaining > period) remaining = period;
  auto wide = static_cast<__int128>(new_price - old_price) * remaining / period;  // C++ division rounds toward zero
  return static_cast<std::int64_t>(wide);
}

}  // namespace wfa
