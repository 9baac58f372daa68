// The voice module: the workspace's voice agents, their recent calls and 30-day figures; activate, deactivate, sync.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/app_agent/app_agent_modules.hpp"
#include "commands/integration/integration_access.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "pipelines/providers/outbound_call.hpp"

namespace wfa {

namespace {

Result voice_data(pqxx::transaction_base& tx, const Session&, const WorkspaceRef& ws) {
  Result r;
  auto figures = tx.exec_params(
      "SELECT (SELECT count(*) FROM ai_agents WHERE workspace_id = $1::uuid AND deleted_at IS NULL),"
      " count(*), coalesce(sum(duration_seconds), 0) / 60, (coalesce(sum(total_cost_micros), 0) / 10000)::bigint"
      " FROM conversations WHERE workspace_id = $1::uuid AND started_at >= now() - interval '30 days'",
      ws.id);
  r.fields = {{"live_agents", Cell(figures[0][0].as<std::int64_t>())},
              {"calls_30d", Cell(figures[0][1].as<std::int64_t>())},
              {"minutes_30d", Cell(figures[0][2].as<std::int64_t>())},
              {"cost_cents_30d", Cell(figures[0][3].as<std::int64_t>())}};
  r.tables.push_back(module_table(
      tx, "agents",
      "SELECT id, name, provider, is_active, sync_status, " + utc_sql("last_synced_at") +
          " AS last_synced_at FROM ai_agents WHERE workspace_id = $1::uuid AND deleted_at IS NULL ORDER BY lower(name)"
          " LIMIT 50",
      ws.id));
  r.tables.push_back(module_table(
      tx, "recent_calls",
      "SELECT c.id, a.name AS agent, c.direction, c.status, " + utc_sql("c.started_at") +
          " AS started_at, c.duration_seconds, c.phone_number AS phone, c.summary FROM conversations c JOIN ai_agents a"
          " ON a.workspace_id = c.workspace_id AND a.id = c.agent_id WHERE c.workspace_id = $1::uuid ORDER BY"
          " c.started_at DESC NULLS LAST, c.id LIMIT 20",
      ws.id));
  return r;
}

/// voice_test_call gives the browser what it needs for a web call to the agent (Retell's access token and call id;
/// VAPI's public key and assistant id), audited as agent.web_test_call.
Result voice_test_call(Session& session, const WorkspaceRef& ws, const std::string& label,
                       const AppAgentActionOptions& o) {
  auto agent = action_param(o, "agent");
  pqxx::work tx(session.database().ready());
  require_workspace(tx, actor_of(tx, session), ws, label, "workspace:agents:use");
  auto found = tx.exec_params(
      "SELECT a.id, a.name, a.provider, coalesce(a.external_agent_id, ''), coalesce(i.public_key, '') FROM ai_agents a"
      " LEFT JOIN workspace_integrations i ON i.workspace_id = a.workspace_id AND i.provider = a.provider WHERE"
      " a.workspace_id = $1::uuid AND (a.id::text = $2 OR lower(a.name) = lower($2)) AND a.deleted_at IS NULL",
      ws.id, agent);
  if (found.empty())
    throw NotFoundError("no agent " + agent + " in workspace " + label, "`wfa agent list --workspace " + label + "`");
  auto name = found[0][1].as<std::string>(), provider = found[0][2].as<std::string>();
  auto external = found[0][3].as<std::string>();
  if (external.empty())
    throw ConflictError("agent " + name + " is not at " + provider + " yet, so it cannot take a call",
                        "push it first: `wfa agent sync --workspace " + label + "`");
  Result r;
  if (!o.dry_run) {
    auto client = integration_client(session, tx, ws.id, label, provider);
    auto web = start_web_call(client, external, found[0][4].as<std::string>());
    r.fields = {{"agent", Cell(name)},
                {"provider", Cell(provider)},
                {"call_id", Cell(web.call_id)},
                {"access_token", Cell(web.access_token)},
                {"public_key", Cell(web.public_key)},
                {"assistant_id", Cell(web.assistant_id)}};
  }
  record_audit(tx, {session.actor(), "agent.web_test_call", "ai_agent", found[0][0].as<std::string>(), ws.partner_id,
                    ws.id, "", "", ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "web test call to " + name + " ready",
                             "would start a web test call to " + name);
}

Result voice_act(Session& session, const WorkspaceRef& ws, const std::string& label, const AppAgentActionOptions& o) {
  if (o.action == "test_call") return voice_test_call(session, ws, label, o);
  auto agent = action_param(o, "agent");
  pqxx::work tx(session.database().ready());
  require_workspace(tx, actor_of(tx, session), ws, label, "workspace:agents:update");
  std::string change = o.action == "sync"       ? "needs_resync = true"
                       : o.action == "activate" ? "is_active = true, needs_resync = true"
                                                : "is_active = false, needs_resync = true";
  auto before = tx.exec_params(
      "SELECT id, name, is_active FROM ai_agents WHERE workspace_id = $1::uuid AND (id::text = $2 OR lower(name) ="
      " lower($2)) AND deleted_at IS NULL FOR UPDATE",
      ws.id, agent);
  if (before.empty())
    throw NotFoundError("no agent " + agent + " in workspace " + label, "`wfa agent list --workspace " + label + "`");
  auto id = before[0][0].as<std::string>();
  auto after = tx.exec_params("UPDATE ai_agents SET " + change +
                                  " WHERE workspace_id = $1::uuid AND id = $2::uuid RETURNING id, name, is_active,"
                                  " needs_resync",
                              ws.id, id);
  record_audit(tx, {session.actor(), "agent." + o.action, "ai_agent", id, ws.partner_id, ws.id,
                    std::string("{\"is_active\": ") + (before[0][2].as<bool>() ? "true" : "false") + "}",
                    std::string("{\"is_active\": ") + (after[0][2].as<bool>() ? "true" : "false") + "}", ""});
  Result r;
  r.fields = to_fields(after);
  auto name = before[0][1].as<std::string>();
  std::string done = o.action == "sync" ? "sync of " + name + " requested; the next `wfa agent sync` pushes it"
                                        : name + (o.action == "activate" ? " activated" : " deactivated");
  return commit_or_roll_back(tx, std::move(r), o.dry_run, done, "would " + o.action + " " + name);
}

}  // namespace

const AppAgentModule& voice_module() {
  static const AppAgentModule module{"voice",
                                     {{"activate", "Activate", {"agent=agents.id"}},
                                      {"deactivate", "Deactivate", {"agent=agents.id"}},
                                      {"sync", "Sync", {"agent=agents.id"}},
                                      {"test_call", "Test call", {"agent=agents.id"}}},
                                     voice_data,
                                     voice_act};
  return module;
}

}  // namespace wfa
