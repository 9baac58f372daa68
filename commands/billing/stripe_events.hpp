#pragma once
/// Stripe's events applied to subscriptions and invoices, each exactly once: its payment_events row (unique event id)
/// commits with its effect. An event older than the state kept (its `created` before the row's stripe_updated)
/// changes nothing, so redelivery and any order of arrival end in the newest state.
#include <string>

#include "core/pqxx_fwd.hpp"

namespace wfa {

class Session;

/// StripeEventOutcome is how applying one event ended.
struct StripeEventOutcome {
  std::string outcome;  ///< applied | stale | recorded | ignored | failed | duplicate (applied before)
  std::string detail;
  std::string event_id, event_type;
};

/// apply_stripe_event applies the Stripe event BODY (the raw JSON) inside TX, auditing each change as SESSION's actor.
/// A body that is not a Stripe event is InvalidInputError naming SOURCE; a database failure propagates (nothing kept).
StripeEventOutcome apply_stripe_event(pqxx::dbtransaction& tx, Session& session, const std::string& body,
                                      const std::string& source);

}  // namespace wfa
