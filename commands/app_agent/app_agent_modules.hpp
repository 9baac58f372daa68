#pragma once
/// The built-in Mini App modules behind the registry's keys. Each module answers its data and carries out its actions
/// on its own; one failing leaves the others working (serve also keeps a circuit per module).
#include <string>
#include <vector>

#include "commands/app_agent/app_agent.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

/// AppAgentAction describes one action: its parameters are "NAME" (free text) or "NAME=TABLE.COLUMN" (a value of the
/// data's table, e.g. agent=agents.id).
struct AppAgentAction {
  std::string name, label;
  std::vector<std::string> params;
};

struct AppAgentModule {
  std::string key;
  std::vector<AppAgentAction> actions;
  /// data reads the module's view of WS in TX (read-only, the access already checked) for the session's actor.
  Result (*data)(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws);
  /// act carries out ACTION (one of actions, params present) as the session's actor; LABEL names the workspace.
  Result (*act)(Session& session, const WorkspaceRef& ws, const std::string& label, const AppAgentActionOptions& o);
};

/// app_agent_module is the module of KEY, or nullptr for a registry entry with no built-in module.
const AppAgentModule* app_agent_module(const std::string& key);

/// action_param is parameter NAME of O, or UsageError (2) naming the action and the parameter.
std::string action_param(const AppAgentActionOptions& o, const std::string& name);

/// module_table is the rows of a read query as a table named NAME.
Table module_table(pqxx::transaction_base& tx, const std::string& name, const std::string& sql,
                   const std::string& workspace_id);

const AppAgentModule& voice_module();
const AppAgentModule& sales_module();
const AppAgentModule& customer_service_module();

}  // namespace wfa
