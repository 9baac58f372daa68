#pragma once
/// What the billing verbs and Stripe's events share: whose subscription (and the right to touch it), a plan's terms,
/// a partner's plan following its subscription, and the output fields of a subscription.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "core/result.hpp"
#include "core/validation.hpp"

namespace wfa {

class Session;
struct BillingSubjectOptions;

/// Subscription statuses, as Stripe names them.
inline const Choices subscription_statuses = {"trialing", "active", "past_due", "canceled", "incomplete", "paused"};

/// What applying a payment event came to (payment_events.outcome).
inline const Choices payment_event_outcomes = {"applied", "stale", "recorded", "ignored", "failed"};

/// Invoice statuses, as Stripe names them.
inline const Choices invoice_statuses = {"draft", "open", "paid", "void", "uncollectible"};

/// BillingSubject is a partner or a workspace that holds a subscription.
struct BillingSubject {
  std::string type;  ///< partner | workspace
  std::string id, partner_id;
  std::string label;  ///< slug, or PARTNER/SLUG
  /// subject_type_label is "partner " or "workspace ", to put before the label in messages.
  std::string subject_type_label() const;
};

/// billing_subject finds the subject O names and requires PERMISSION (partner:billing:ACTION) of the session's actor in
/// its partner, before anything else: unknown is NotFoundError (3), refused PermissionError (5), neither or both named
/// UsageError (2).
BillingSubject billing_subject(pqxx::transaction_base& tx, Session& session, const BillingSubjectOptions& o,
                               std::string_view permission);

/// PlanTerms is what a subscription needs of a catalogue plan.
struct PlanTerms {
  std::string tier, currency, period;
  std::int64_t price_minor = 0;
  std::optional<std::string> stripe_price_id;
  bool retired = false;
};

/// plan_terms reads plan TIER; an unknown one is NotFoundError naming FIELD (3), a retired one when NEW_CHOICE is
/// InvalidInputError (6): retired plans keep their subscriptions but take no new ones.
PlanTerms plan_terms(pqxx::transaction_base& tx, std::string_view field, const std::string& tier, bool new_choice);

/// put_partner_on_plan makes partner PARTNER_ID's plan_tier PLAN with the plan's features and limits (what the partner
/// verbs enforce) when it is not already; true when it changed.
bool put_partner_on_plan(pqxx::dbtransaction& tx, const std::string& partner_id, const std::string& plan);

/// mirror_partner_subscription copies subscription ID's status and dates into its partner's row (partner show), for a
/// partner subject.
void mirror_partner_subscription(pqxx::dbtransaction& tx, const std::string& subscription_id);

using BillingFields = std::vector<std::pair<std::string, Cell>>;
/// subscription_fields: the subscription's columns with its plan's terms; empty when there is none.
BillingFields subscription_fields(pqxx::transaction_base& tx, const std::string& subscription_id);

/// proration_minor is the charge (or, negative, the credit) for moving from OLD_PRICE to NEW_PRICE with REMAINING of
/// PERIOD seconds left: (new - old) * remaining / period, rounded toward zero; 0 when the period is unknown.
std::int64_t proration_minor(std::int64_t old_price, std::int64_t new_price, std::int64_t remaining,
                             std::int64_t period);

}  // namespace wfa
