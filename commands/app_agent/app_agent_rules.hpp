#pragma once
/// Who may use a Mini App agent where: the one rule run_app_agent_accessible lists by and data/actions check.
#include <string>

#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

struct AppAgentRef {
  std::string key, name, category;
};

/// find_app_agent: KEY in the registry; unknown is NotFoundError (3) listing the keys there are.
AppAgentRef find_app_agent(pqxx::transaction_base& tx, const std::string& key);

/// require_app_agent_use: AGENT is enabled in WS (else NotFoundError, 3) and ACTOR may use it there: super admins and
/// the operator, the workspace's owners and admins, and members granted it (else PermissionError, 5).
void require_app_agent_use(pqxx::transaction_base& tx, const Actor& actor, const WorkspaceRef& ws,
                           const std::string& workspace_label, const AppAgentRef& agent);

/// app_agent_use_sql is the SQL condition over workspace_members row M and agent key expression KEY: M's member may
/// use the agent (owner, admin, or granted). The agent must also be enabled (join workspace_agent_access).
std::string app_agent_use_sql(const std::string& m, const std::string& key);

}  // namespace wfa
