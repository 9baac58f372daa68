// `wfa booking attach` and `wfa booking workflow show|set`: documents of a booking, and the approval workflow as data.
#include <algorithm>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "commands/booking/booking.hpp"
#include "commands/booking/booking_rules.hpp"
#include "commands/perm/perm_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "pipelines/money.hpp"

namespace wfa {

namespace {

/// read_step parses NAME=PERMISSION[@MIN_TOTAL_AED] as step POSITION (exit 6 naming --step and what is wrong).
WorkflowStep read_step(const std::string& text, int position) {
  auto eq = text.find('=');
  auto at = text.find('@', eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq == 0)
    throw InvalidInputError("--step '" + text + "' is not NAME=PERMISSION[@MIN_TOTAL_AED]",
                            "e.g. --step manager=sales:bookings:approve --step finance=sales:bookings:finance@50000");
  WorkflowStep step{position, text.substr(0, eq),
                    text.substr(eq + 1, at == std::string::npos ? std::string::npos : at - eq - 1), std::nullopt};
  bool name_ok = step.name.size() <= 40 && step.name[0] >= 'a' && step.name[0] <= 'z' &&
                 std::all_of(step.name.begin(), step.name.end(), [](char c) {
                   return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                 });
  if (!name_ok)
    throw InvalidInputError("--step '" + text + "': step name '" + step.name + "' is not a lower-case name",
                            "use up to 40 of a-z, 0-9, '_' and '-', starting with a letter");
  if (step.permission.find('*') != std::string::npos)
    throw InvalidInputError("--step '" + text + "': a step needs one permission, not a pattern",
                            "name it whole, e.g. sales:bookings:approve");
  step.permission = check_permissions({step.permission}).front();
  if (at != std::string::npos)
    step.min_total_aed = parse_amount(text.substr(at + 1), 2, "--step " + step.name + " total");
  return step;
}

/// workflow_result is the workspace's workflow as `booking workflow show` prints it.
Result workflow_result(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& label) {
  bool defined =
      !tx.exec_params("SELECT 1 FROM booking_workflow_steps WHERE workspace_id = $1::uuid LIMIT 1", ws.id).empty();
  Table steps;
  steps.name = "steps";
  steps.columns = {"step", "name", "permission", "min_total_aed"};
  for (const auto& s : workflow_of(tx, ws.id))
    steps.rows.push_back({Cell(static_cast<std::int64_t>(s.position)), Cell(s.name), Cell(s.permission),
                          s.min_total_aed ? Cell(format_amount(*s.min_total_aed, 2)) : Cell()});
  Result r;
  r.fields = {{"workspace", Cell(label)}, {"workflow", Cell(defined ? "defined" : "default")}};
  r.tables.push_back(std::move(steps));
  return r;
}

}  // namespace

Result run_booking_attach(const BookingAttachOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto booking = booking_for(tx, session, o.workspace, o.booking, "sales:bookings:update", true);
  if (booking.status == "cancelled")
    throw ConflictError("booking " + booking.number + " is cancelled; nothing more is attached to it",
                        "attach documents to a live booking");
  auto names =
      attach_documents(tx, session, booking.workspace, "booking", booking.id, o.files, session.actor(), o.dry_run);
  record_audit(
      tx, {session.actor(), "booking.attach", "booking", booking.id, booking.workspace.partner_id, booking.workspace.id,
           "", nlohmann::json{{"documents", names}}.dump(), nlohmann::json{{"number", booking.number}}.dump()});
  Result r;
  r.fields = booking_fields(tx, booking.workspace.id, booking.id);
  auto what = std::to_string(names.size()) + (names.size() == 1 ? " document" : " documents");
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "attached " + what + " to booking " + booking.number,
                             "would attach " + what + " to booking " + booking.number);
}

Result run_booking_workflow_show(const BookingWorkflowShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  return workflow_result(tx, workspace_for(tx, session, o.workspace, "workspace:bookings:read"), o.workspace);
}

Result run_booking_workflow_set(const BookingWorkflowSetOptions& o, Session& session) {
  if (o.reset == !o.steps.empty())
    throw UsageError(o.reset ? "--reset and --step do not go together" : "give the workflow's steps",
                     "give --step NAME=PERMISSION[@MIN_TOTAL_AED] once per step, in order, or --reset");
  if (o.steps.size() > 20) throw InvalidInputError("a workflow has at most 20 steps", "merge some steps");
  std::vector<WorkflowStep> steps;
  for (const auto& text : o.steps) {
    auto step = read_step(text, static_cast<int>(steps.size()) + 1);
    if (std::any_of(steps.begin(), steps.end(), [&](const WorkflowStep& s) { return s.name == step.name; }))
      throw InvalidInputError("--step name '" + step.name + "' is given twice", "give each step a name of its own");
    steps.push_back(std::move(step));
  }
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "sales:bookings:configure");
  auto before = tx.exec_params(
                      "SELECT COALESCE(jsonb_agg(jsonb_build_object('name', name, 'permission', permission,"
                      " 'min_total_aed', min_total_aed) ORDER BY position), '[]')::text FROM booking_workflow_steps"
                      " WHERE workspace_id = $1::uuid",
                      ws.id)[0][0]
                    .as<std::string>();
  tx.exec_params("DELETE FROM booking_workflow_steps WHERE workspace_id = $1::uuid", ws.id);
  nlohmann::json after = nlohmann::json::array();
  for (const auto& s : steps) {
    tx.exec_params(
        "INSERT INTO booking_workflow_steps (workspace_id, position, name, permission, min_total_aed, created_by)"
        " VALUES ($1::uuid, $2::smallint, $3, $4, $5, $6)",
        ws.id, s.position, s.name, s.permission, s.min_total_aed, session.actor());
    after.push_back({{"name", s.name},
                     {"permission", s.permission},
                     {"min_total_aed", s.min_total_aed ? nlohmann::json(*s.min_total_aed) : nlohmann::json()}});
  }
  record_audit(
      tx, {session.actor(), "booking.workflow", "workspace", ws.id, ws.partner_id, ws.id, before, after.dump(), ""});
  auto r = workflow_result(tx, ws, o.workspace);
  auto what = o.reset ? std::string("the default single approval step")
                      : std::to_string(steps.size()) + (steps.size() == 1 ? " step" : " steps");
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "set the booking workflow of " + o.workspace + " to " + what,
                             "would set the booking workflow of " + o.workspace + " to " + what);
}

}  // namespace wfa
