// `wfa booking submit|approve|reject|cancel`: the workflow's decisions, each audited with its actor and comment.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "commands/booking/booking.hpp"
#include "commands/booking/booking_rules.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// require_status refuses (exit 4) a decision that BOOKING's status does not allow.
void require_status(const BookingRef& booking, std::initializer_list<const char*> allowed, const std::string& verb) {
  std::string names;
  for (const char* s : allowed) {
    if (booking.status == s) return;
    names += (names.empty() ? "" : " or ") + std::string(s);
  }
  throw ConflictError(
      "booking " + booking.number + " is " + booking.status + "; only a " + names + " booking can be " + verb,
      "see it with `wfa booking show " + booking.number + " --workspace " + booking.label + "`");
}

/// total_in_aed is the booking's total in fils at today's rate, or nullopt when its currency has no rate yet.
std::optional<std::int64_t> total_in_aed(pqxx::transaction_base& tx, const BookingRef& booking) {
  auto row = tx.exec_params(
      "SELECT CASE WHEN c.code = 'AED' THEN $2::bigint ELSE round($2::numeric * power(10::numeric, 2 - c.exponent) *"
      " 1000000 / r.rate_ppm)::bigint END FROM currencies c LEFT JOIN LATERAL (SELECT rate_ppm FROM currency_rates"
      " WHERE currency = c.code AND valid_from <= (now() AT TIME ZONE 'UTC')::date ORDER BY valid_from DESC LIMIT 1) r"
      " ON true WHERE c.code = $1",
      booking.currency, booking.total)[0];
  if (row[0].is_null()) return std::nullopt;
  return row[0].as<std::int64_t>();
}

/// PendingStep is the step of a submitted booking that awaits a decision.
struct PendingStep {
  int position = 0;
  std::string name, permission;
};

std::optional<PendingStep> pending_step(pqxx::transaction_base& tx, const BookingRef& booking) {
  auto rows = tx.exec_params(
      "SELECT position, name, permission FROM booking_steps WHERE workspace_id = $1::uuid AND booking_id = $2::uuid"
      " AND status = 'pending' ORDER BY position LIMIT 1",
      booking.workspace.id, booking.id);
  if (rows.empty()) return std::nullopt;
  return PendingStep{rows[0][0].as<int>(), rows[0][1].as<std::string>(), rows[0][2].as<std::string>()};
}

/// awaiting says which step waits and what it needs.
std::string awaiting(const PendingStep& step) { return "awaiting step '" + step.name + "' (" + step.permission + ")"; }

/// require_decider: ACTOR decides STEP only holding its permission through a grant (owning the booking gives none)
/// and, unless the operator, not on a booking they own or created: approvals take a second pair of eyes.
void require_decider(pqxx::transaction_base& tx, const Actor& actor, const BookingRef& booking, const PendingStep& step,
                     const std::string& created_by) {
  if (!workspace_allows(tx, actor, booking.workspace, step.permission))
    throw PermissionError(actor.name + " may not decide step '" + step.name + "' of booking " + booking.number +
                              ": it needs " + step.permission,
                          "ask someone holding " + step.permission + " in workspace " + booking.label);
  if (!actor.is_operator() && (actor.user_id == booking.owner_user_id || actor.name == created_by))
    throw PermissionError(actor.name + " owns or created booking " + booking.number + " and may not decide it",
                          "another member holding " + step.permission + " must decide it");
}

/// decide writes STEP's decision and the audit row of ACTION with the step and COMMENT.
void decide(pqxx::dbtransaction& tx, const Session& session, const BookingRef& booking, const PendingStep& step,
            const std::string& status, const std::string& action, const std::optional<std::string>& comment) {
  tx.exec_params(
      "UPDATE booking_steps SET status = $4, decided_by = $5, decided_at = now(), comment = $6 WHERE workspace_id ="
      " $1::uuid AND booking_id = $2::uuid AND position = $3::smallint",
      booking.workspace.id, booking.id, step.position, status, session.actor(), comment);
  record_audit(tx, {session.actor(), action, "booking", booking.id, booking.workspace.partner_id, booking.workspace.id,
                    nlohmann::json{{"status", booking.status}}.dump(),
                    nlohmann::json{{"step", step.name}, {"decision", status}, {"comment", comment.value_or("")}}.dump(),
                    nlohmann::json{{"number", booking.number}, {"permission", step.permission}}.dump()});
}

std::optional<std::string> checked_comment(const BookingDecisionOptions& o) {
  if (!o.comment) return std::nullopt;
  return check_free_text("--comment", *o.comment, 2000);
}

std::string created_by(pqxx::transaction_base& tx, const BookingRef& booking) {
  return tx
      .exec_params("SELECT created_by FROM booking_orders WHERE workspace_id = $1::uuid AND id = $2::uuid",
                   booking.workspace.id, booking.id)[0][0]
      .as<std::string>();
}

}  // namespace

Result run_booking_submit(const BookingDecisionOptions& o, Session& session) {
  auto comment = checked_comment(o);
  pqxx::work tx(session.database().ready());
  auto booking = booking_for(tx, session, o.workspace, o.booking, "sales:bookings:update", true);
  require_status(booking, {"draft"}, "submitted");
  check_share_of_voice(tx, booking.workspace.id, booking_claims(tx, booking.workspace.id, booking.id),
                       "booking " + booking.number, booking.id);
  auto aed = total_in_aed(tx, booking);
  nlohmann::json names = nlohmann::json::array();
  for (const auto& step : workflow_of(tx, booking.workspace.id)) {
    // A threshold step applies from its total up; a total in a currency without a rate meets every threshold.
    if (step.min_total_aed && aed && *aed < *step.min_total_aed) continue;
    tx.exec_params(
        "INSERT INTO booking_steps (workspace_id, booking_id, position, name, permission) VALUES ($1::uuid, $2::uuid,"
        " $3::smallint, $4, $5)",
        booking.workspace.id, booking.id, step.position, step.name, step.permission);
    names.push_back(step.name);
  }
  tx.exec_params(
      "UPDATE booking_orders SET status = 'submitted', submitted_at = now() WHERE workspace_id = $1::uuid"
      " AND id = $2::uuid",
      booking.workspace.id, booking.id);
  record_audit(tx, {session.actor(), "booking.submit", "booking", booking.id, booking.workspace.partner_id,
                    booking.workspace.id, nlohmann::json{{"status", "draft"}}.dump(),
                    nlohmann::json{{"status", "submitted"}, {"steps", names}, {"comment", comment.value_or("")}}.dump(),
                    nlohmann::json{{"number", booking.number}}.dump()});
  auto first = pending_step(tx, booking);
  Result r;
  r.fields = booking_fields(tx, booking.workspace.id, booking.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             "submitted booking " + booking.number + "; " + awaiting(*first),
                             "would submit booking " + booking.number + "; " + awaiting(*first));
}

Result run_booking_approve(const BookingDecisionOptions& o, Session& session) {
  auto comment = checked_comment(o);
  pqxx::work tx(session.database().ready());
  auto booking = booking_for(tx, session, o.workspace, o.booking, "", true);
  require_status(booking, {"submitted"}, "approved");
  auto step = pending_step(tx, booking);
  require_decider(tx, actor_of(tx, session), booking, *step, created_by(tx, booking));
  decide(tx, session, booking, *step, "approved", "booking.approve", comment);
  std::string done = "approved step '" + step->name + "' of booking " + booking.number;
  if (auto next = pending_step(tx, booking)) {
    done += "; " + awaiting(*next);
  } else {
    // The last step: take the share of voice under the locations' locks, so a racing approval sees this one.
    auto claims = booking_claims(tx, booking.workspace.id, booking.id);
    lock_claimed_locations(tx, booking.workspace.id, claims);
    check_share_of_voice(tx, booking.workspace.id, claims, "booking " + booking.number, booking.id);
    occupy(tx, booking.workspace.id, booking.id, claims);
    tx.exec_params(
        "UPDATE booking_orders SET status = 'approved', decided_at = now() WHERE workspace_id = $1::uuid"
        " AND id = $2::uuid",
        booking.workspace.id, booking.id);
    done = "approved booking " + booking.number + "; it now holds its share of voice on " +
           std::to_string(claims.size()) + (claims.size() == 1 ? " location" : " locations");
  }
  Result r;
  r.fields = booking_fields(tx, booking.workspace.id, booking.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, done, "would approve" + done.substr(8));
}

Result run_booking_reject(const BookingDecisionOptions& o, Session& session) {
  if (!o.comment)
    throw UsageError("a rejection needs --comment saying why", "e.g. --comment 'dates clash with a renewal'");
  auto comment = checked_comment(o);
  pqxx::work tx(session.database().ready());
  auto booking = booking_for(tx, session, o.workspace, o.booking, "", true);
  require_status(booking, {"submitted"}, "rejected");
  auto step = pending_step(tx, booking);
  require_decider(tx, actor_of(tx, session), booking, *step, created_by(tx, booking));
  decide(tx, session, booking, *step, "rejected", "booking.reject", comment);
  tx.exec_params(
      "UPDATE booking_orders SET status = 'rejected', decided_at = now() WHERE workspace_id = $1::uuid"
      " AND id = $2::uuid",
      booking.workspace.id, booking.id);
  Result r;
  r.fields = booking_fields(tx, booking.workspace.id, booking.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             "rejected booking " + booking.number + " at step '" + step->name + "'",
                             "would reject booking " + booking.number + " at step '" + step->name + "'");
}

Result run_booking_cancel(const BookingDecisionOptions& o, Session& session) {
  auto comment = checked_comment(o);
  pqxx::work tx(session.database().ready());
  auto booking = booking_for(tx, session, o.workspace, o.booking, "sales:bookings:cancel", true);
  require_status(booking, {"draft", "submitted", "approved"}, "cancelled");
  auto freed = tx.exec_params(
                     "DELETE FROM location_occupations WHERE workspace_id = $1::uuid AND booking_id ="
                     " $2::uuid RETURNING 1",
                     booking.workspace.id, booking.id)
                   .size();
  tx.exec_params(
      "UPDATE booking_orders SET status = 'cancelled', decided_at = now() WHERE workspace_id = $1::uuid"
      " AND id = $2::uuid",
      booking.workspace.id, booking.id);
  record_audit(
      tx,
      {session.actor(), "booking.cancel", "booking", booking.id, booking.workspace.partner_id, booking.workspace.id,
       nlohmann::json{{"status", booking.status}}.dump(),
       nlohmann::json{{"status", "cancelled"}, {"comment", comment.value_or("")}, {"occupations_freed", freed}}.dump(),
       nlohmann::json{{"number", booking.number}}.dump()});
  Result r;
  r.fields = booking_fields(tx, booking.workspace.id, booking.id);
  auto freed_text = freed ? "; its share of voice is free again" : "";
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "cancelled booking " + booking.number + freed_text,
                             "would cancel booking " + booking.number + freed_text);
}

}  // namespace wfa
