// The rule of who may use a Mini App agent, in SQL for lists and as a check for data and actions.
#include "commands/app_agent/app_agent_rules.hpp"

#include <pqxx/result>
#include <pqxx/transaction_base>

#include "core/error.hpp"

namespace wfa {

AppAgentRef find_app_agent(pqxx::transaction_base& tx, const std::string& key) {
  auto rows = tx.exec_params("SELECT key, name, category FROM app_agents WHERE key = $1", key);
  if (rows.empty()) {
    auto known = tx.exec("SELECT string_agg(key, ', ' ORDER BY position, key) FROM app_agents");
    throw NotFoundError("no Mini App agent " + key,
                        "the agents are " + std::string(known[0][0].c_str()) + " (`wfa app-agent list`)");
  }
  return {rows[0][0].as<std::string>(), rows[0][1].as<std::string>(), rows[0][2].as<std::string>()};
}

std::string app_agent_use_sql(const std::string& m, const std::string& key) {
  return "(" + m + ".role IN ('owner', 'admin') OR EXISTS (SELECT 1 FROM agent_member_permissions g WHERE" +
         " g.workspace_id = " + m + ".workspace_id AND g.agent_key = " + key + " AND g.user_id = " + m + ".user_id))";
}

void require_app_agent_use(pqxx::transaction_base& tx, const Actor& actor, const WorkspaceRef& ws,
                           const std::string& workspace_label, const AppAgentRef& agent) {
  auto enabled = tx.exec_params("SELECT 1 FROM workspace_agent_access WHERE workspace_id = $1::uuid AND agent_key = $2",
                                ws.id, agent.key);
  if (enabled.empty())
    throw NotFoundError("agent " + agent.key + " is not enabled in workspace " + workspace_label,
                        "an admin enables it with `wfa app-agent enable " + workspace_label + " " + agent.key + "`");
  if (actor.super_admin) return;
  auto allowed = tx.exec_params(
      "SELECT 1 FROM workspace_members m WHERE m.workspace_id = $1::uuid AND m.user_id ="
      " $2::uuid AND m.removed_at IS NULL AND " +
          app_agent_use_sql("m", "$3"),
      ws.id, actor.user_id, agent.key);
  if (allowed.empty())
    throw PermissionError(actor.name + " may not use agent " + agent.key + " in workspace " + workspace_label,
                          "a workspace admin grants it with `wfa app-agent grant " + workspace_label + " " + agent.key +
                              " " + actor.name + "`");
}

}  // namespace wfa
