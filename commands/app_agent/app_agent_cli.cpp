// Flags of `wfa app-agent`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/app_agent/app_agent.hpp"
#include "core/error.hpp"

namespace wfa {

namespace {

/// access_verb binds `app-agent NAME AGENT [USER] --workspace W [--dry-run]`.
void access_verb(CLI::App* noun, Dispatch& dispatch, const char* name, const char* about, bool with_user,
                 Result (*run)(const AppAgentAccessOptions&, Session&)) {
  auto o = std::make_shared<AppAgentAccessOptions>();
  auto* verb = noun->add_subcommand(name, about);
  verb->add_option("AGENT", o->agent, "The agent's key: voice, sales, customer_service")->required();
  if (with_user) verb->add_option("USER", o->user, "The member's e-mail or id")->required();
  verb->add_option("--workspace", o->workspace, "Workspace id or PARTNER/SLUG")->required();
  verb->add_flag("--dry-run", o->dry_run, "Show what would change; change nothing");
  on_run(verb, dispatch, [o, run](Session& session) { return run(*o, session); });
}

}  // namespace

void register_app_agent(CLI::App& root, Dispatch& dispatch) {
  auto* noun = root.add_subcommand("app-agent", "Mini App agents: enabled per workspace, granted per member");
  noun->require_subcommand(1);

  auto list_o = std::make_shared<AppAgentListOptions>();
  auto* list = noun->add_subcommand("list", "The registry, or with --workspace each agent's state there");
  list->add_option("--workspace", list_o->workspace, "Workspace id or PARTNER/SLUG");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_app_agent_list(*list_o, session); });

  access_verb(noun, dispatch, "enable", "Let the workspace use the agent", false, run_app_agent_enable);
  access_verb(noun, dispatch, "disable", "Take the agent from the workspace (grants are kept)", false,
              run_app_agent_disable);
  access_verb(noun, dispatch, "grant", "Let a member (not an admin) use the agent", true, run_app_agent_grant);
  access_verb(noun, dispatch, "revoke", "Take a member's grant of the agent", true, run_app_agent_revoke);

  auto accessible_o = std::make_shared<AppAgentAccessibleOptions>();
  auto* accessible = noun->add_subcommand("accessible", "The agents the acting user (--as) may use, per workspace");
  accessible->add_option("--workspace", accessible_o->workspace, "Only this workspace (id or PARTNER/SLUG)");
  add_paging(accessible, accessible_o->paging);
  on_run(accessible, dispatch,
         [accessible_o](Session& session) { return run_app_agent_accessible(*accessible_o, session); });

  auto data_o = std::make_shared<AppAgentDataOptions>();
  auto* data = noun->add_subcommand("data", "What the agent shows in the Mini App, and its actions");
  data->add_option("AGENT", data_o->agent, "The agent's key")->required();
  data->add_option("--workspace", data_o->workspace, "Workspace id or PARTNER/SLUG")->required();
  on_run(data, dispatch, [data_o](Session& session) { return run_app_agent_data(*data_o, session); });

  auto act_o = std::make_shared<AppAgentActionOptions>();
  auto params = std::make_shared<std::vector<std::string>>();
  auto* act = noun->add_subcommand("act", "Carry out one of the agent's actions, as the Mini App does");
  act->add_option("AGENT", act_o->agent, "The agent's key")->required();
  act->add_option("ACTION", act_o->action, "The action, as `app-agent data` lists it")->required();
  act->add_option("--workspace", act_o->workspace, "Workspace id or PARTNER/SLUG")->required();
  act->add_option("--param", *params, "NAME=VALUE, once per parameter the action takes");
  act->add_flag("--dry-run", act_o->dry_run, "Show what would change; change nothing");
  on_run(act, dispatch, [act_o, params](Session& session) {
    act_o->params.clear();
    for (const auto& p : *params) {
      auto eq = p.find('=');
      if (eq == std::string::npos || eq == 0)
        throw UsageError("--param " + p + " is not NAME=VALUE", "e.g. --param agent=Reception");
      act_o->params.emplace_back(p.substr(0, eq), p.substr(eq + 1));
    }
    return run_app_agent_action(*act_o, session);
  });
}

}  // namespace wfa
