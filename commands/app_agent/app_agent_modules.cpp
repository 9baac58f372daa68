// run_app_agent_data and run_app_agent_action: the access check, then the agent's module.
#include "commands/app_agent/app_agent_modules.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/app_agent/app_agent_rules.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

/// checked_agent opens TX's access check: the workspace (readable by the actor), the agent, and the actor's use of it.
std::pair<WorkspaceRef, const AppAgentModule*> checked_agent(pqxx::transaction_base& tx, Session& session,
                                                             const std::string& workspace, const std::string& key) {
  auto ws = workspace_for(tx, session, workspace, "workspace:app_agents:read");
  auto agent = find_app_agent(tx, key);
  require_app_agent_use(tx, actor_of(tx, session), ws, workspace, agent);
  const auto* module = app_agent_module(agent.key);
  if (!module) throw ConflictError("agent " + agent.key + " has no module in this wfa", "upgrade wfa");
  return {ws, module};
}

Table actions_table(const AppAgentModule& module) {
  Table t("actions", {"action", "label", "params"});
  for (const auto& a : module.actions) {
    std::string params;
    for (const auto& p : a.params) params += (params.empty() ? "" : ",") + p;
    t.rows.push_back({Cell(a.name), Cell(a.label), Cell(params)});
  }
  return t;
}

}  // namespace

const AppAgentModule* app_agent_module(const std::string& key) {
  for (const auto* m : {&voice_module(), &sales_module(), &customer_service_module()})
    if (m->key == key) return m;
  return nullptr;
}

std::string action_param(const AppAgentActionOptions& o, const std::string& name) {
  for (const auto& [k, v] : o.params)
    if (k == name && !v.empty()) return v;
  throw UsageError("action " + o.action + " of agent " + o.agent + " needs " + name,
                   "give --param " + name + "=VALUE (`wfa app-agent data` lists the actions and their parameters)");
}

Table module_table(pqxx::transaction_base& tx, const std::string& name, const std::string& sql,
                   const std::string& workspace_id) {
  return to_table(tx.exec_params(sql, workspace_id), name);
}

Result run_app_agent_data(const AppAgentDataOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto [ws, module] = checked_agent(tx, session, o.workspace, o.agent);
  auto r = module->data(tx, session, ws);
  r.tables.push_back(actions_table(*module));
  return r;
}

Result run_app_agent_action(const AppAgentActionOptions& o, Session& session) {
  std::pair<WorkspaceRef, const AppAgentModule*> checked;
  {
    pqxx::read_transaction tx(session.database().ready());
    checked = checked_agent(tx, session, o.workspace, o.agent);
  }
  const auto& [ws, module] = checked;
  for (const auto& a : module->actions) {
    if (a.name != o.action) continue;
    for (const auto& p : a.params) action_param(o, p.substr(0, p.find('=')));
    return module->act(session, ws, o.workspace, o);
  }
  std::string names;
  for (const auto& a : module->actions) names += (names.empty() ? "" : ", ") + a.name;
  throw UsageError("agent " + o.agent + " has no action " + o.action, "its actions are " + names);
}

}  // namespace wfa
