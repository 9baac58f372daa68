// `wfa billing events apply|list`: a captured Stripe event through serve's path, and the events applied so far.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/billing/billing.hpp"
#include "commands/billing/billing_rules.hpp"
#include "commands/billing/stripe_events.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

constexpr std::size_t max_event_file_bytes = 1 << 20;

}  // namespace

Result run_billing_events_apply(const BillingEventsApplyOptions& o, Session& session) {
  require_super_admin(session, "apply Stripe events");
  auto body = read_input_file(o.file, "the Stripe event", max_event_file_bytes);
  pqxx::work tx(session.database().ready());
  auto applied = apply_stripe_event(tx, session, body, o.file == "-" ? "standard input" : o.file);
  if (applied.outcome == "failed")
    throw InvalidInputError("the Stripe event " + applied.event_id + " cannot be applied: " + applied.detail,
                            "nothing was kept; check that it is the event Stripe sent");
  Result r;
  r.fields = {{"event_id", Cell(applied.event_id)},
              {"type", Cell(applied.event_type)},
              {"outcome", Cell(applied.outcome)},
              {"detail", Cell(applied.detail)}};
  if (applied.outcome == "duplicate") {
    r.message = applied.detail;
    return r;
  }
  auto what = "event " + applied.event_id + " " + applied.outcome + ": " + applied.detail;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, what, "would be " + what);
}

Result run_billing_events_list(const BillingEventsListOptions& o, Session& session) {
  if (o.outcome) check_choice("outcome", *o.outcome, payment_event_outcomes, "an event outcome");
  require_super_admin(session, "list Stripe events");
  auto tx = list_transaction(session);
  ListQuery query("billing events list", "events");
  query
      .select("e.id, e.event_id, e.event_type, e.object_id, e.outcome, " + utc_sql("e.event_created") +
              " AS event_created, " + utc_sql("e.received_at") + " AS received_at, e.error")
      .from("payment_events e")
      .where("e.event_type = ?", o.type)
      .where("e.outcome = ?", o.outcome)
      .order_by({{"e.received_at", "timestamptz", true}, {"e.id", "uuid", true}})
      .when_empty("no Stripe events");
  return list_rows(tx, query, o.paging, session);
}

}  // namespace wfa
