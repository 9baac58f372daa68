#pragma once
/// `wfa app-agent`: the Mini App's agent modules (voice, sales, customer service), enabled per workspace and granted
/// per member. Workspace admins use every enabled agent; other members the ones granted to them. The same verbs answer
/// serve's /api/agents routes, as the Telegram user.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/listing.hpp"
#include "core/result.hpp"

namespace wfa {

class Session;

struct AppAgentListOptions {
  std::optional<std::string> workspace;  ///< with it: each agent's state there; without: the registry
  Paging paging;
};

struct AppAgentAccessOptions {
  std::string workspace;  ///< id or PARTNER/SLUG
  std::string agent;      ///< the agent's key
  std::string user;       ///< grant/revoke: e-mail or id of a live member
  bool dry_run = false;
};

struct AppAgentAccessibleOptions {
  std::optional<std::string> workspace;   ///< one workspace; default every workspace the actor belongs to
  std::optional<std::string> partner_id;  ///< only workspaces of this partner (serve: the host's)
  Paging paging;
};

struct AppAgentDataOptions {
  std::string workspace;
  std::string agent;
};

struct AppAgentActionOptions {
  std::string workspace;
  std::string agent;
  std::string action;
  std::vector<std::pair<std::string, std::string>> params;  ///< NAME=VALUE, as the action's description names them
  bool dry_run = false;
};

Result run_app_agent_list(const AppAgentListOptions& options, Session& session);
Result run_app_agent_enable(const AppAgentAccessOptions& options, Session& session);
Result run_app_agent_disable(const AppAgentAccessOptions& options, Session& session);
Result run_app_agent_grant(const AppAgentAccessOptions& options, Session& session);
Result run_app_agent_revoke(const AppAgentAccessOptions& options, Session& session);
/// run_app_agent_accessible lists the agents the actor may use, one row per workspace and agent (table "agents").
Result run_app_agent_accessible(const AppAgentAccessibleOptions& options, Session& session);
/// run_app_agent_data is the agent's module's view of the workspace (its figures as fields, its records as tables),
/// plus table "actions" describing what run_app_agent_action accepts. The actor must be allowed the agent there.
Result run_app_agent_data(const AppAgentDataOptions& options, Session& session);
/// run_app_agent_action carries out one of the module's actions, with the rights of the verb it stands for.
Result run_app_agent_action(const AppAgentActionOptions& options, Session& session);

}  // namespace wfa
