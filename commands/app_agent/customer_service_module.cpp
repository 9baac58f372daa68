// The customer service module: calls that need a follow-up, and closing one with a note.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/app_agent/app_agent_modules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

constexpr std::size_t max_note = 2000;

Result service_data(pqxx::transaction_base& tx, const Session&, const WorkspaceRef& ws) {
  Result r;
  auto open = tx.exec_params(
      "SELECT count(*) FROM conversations WHERE workspace_id = $1::uuid AND requires_follow_up AND"
      " follow_up_closed_at IS NULL",
      ws.id);
  r.fields = {{"open_follow_ups", Cell(open[0][0].as<std::int64_t>())}};
  r.tables.push_back(module_table(
      tx, "follow_ups",
      "SELECT c.id, a.name AS agent, " + utc_sql("c.started_at") +
          " AS started_at, c.phone_number AS phone, c.summary FROM conversations c JOIN ai_agents a ON a.workspace_id"
          " = c.workspace_id AND a.id = c.agent_id WHERE c.workspace_id = $1::uuid AND c.requires_follow_up AND"
          " c.follow_up_closed_at IS NULL ORDER BY c.started_at DESC NULLS LAST, c.id LIMIT 50",
      ws.id));
  return r;
}

Result service_act(Session& session, const WorkspaceRef& ws, const std::string& label, const AppAgentActionOptions& o) {
  auto call = action_param(o, "call");
  auto note = action_param(o, "note");
  if (note.size() > max_note)
    throw InvalidInputError("the note is " + std::to_string(note.size()) + " bytes", "keep it within 2000");
  pqxx::work tx(session.database().ready());
  require_workspace(tx, actor_of(tx, session), ws, label, "workspace:calls:update");
  auto closed = tx.exec_params(
      "UPDATE conversations SET follow_up_closed_at = now(), follow_up_closed_by = $3, follow_up_note = $4 WHERE"
      " workspace_id = $1::uuid AND (id::text = $2 OR external_call_id = $2) AND requires_follow_up AND"
      " follow_up_closed_at IS NULL RETURNING id, external_call_id, follow_up_note",
      ws.id, call, session.actor(), note);
  if (closed.empty())
    throw NotFoundError("no open follow-up for call " + call + " in workspace " + label,
                        "`wfa calls list --workspace " + label + " --follow-up` lists the open ones");
  auto id = closed[0][0].as<std::string>();
  record_audit(tx, {session.actor(), "call.follow_up_close", "conversation", id, ws.partner_id, ws.id, "", "", ""});
  Result r;
  r.fields = to_fields(closed);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "closed the follow-up of call " + call,
                             "would close the follow-up of call " + call);
}

}  // namespace

const AppAgentModule& customer_service_module() {
  static const AppAgentModule module{"customer_service",
                                     {{"close_follow_up", "Close follow-up", {"call=follow_ups.id", "note"}}},
                                     service_data,
                                     service_act};
  return module;
}

}  // namespace wfa
