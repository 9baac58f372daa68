#pragma once
/// CLI11 flags of the verbs that place one call: calls start and agent test-call.
#include <CLI/CLI.hpp>

#include "commands/calls/calls.hpp"

namespace wfa {

/// add_call_flags binds AGENT, --workspace, --to, --from, --var and --dry-run to O.
inline void add_call_flags(CLI::App* verb, CallsStartOptions& o) {
  verb->add_option("AGENT", o.agent, "The agent: name or id")->required();
  verb->add_option("--workspace", o.workspace, "Workspace: id or PARTNER/SLUG")->required();
  verb->add_option("--to", o.to, "The number to call, in E.164 (+14155550100)")->required();
  verb->add_option("--from", o.from,
                   "Caller id: a number the workspace owns at the agent's provider (default: the agent's number)");
  verb->add_option("--var", o.vars, "A dynamic variable KEY=VALUE for the agent; repeat for more")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);  // one value each time, so AGENT after it stays AGENT
  verb->add_flag("--dry-run", o.dry_run, "Check everything and show the request; call no one");
}

}  // namespace wfa
