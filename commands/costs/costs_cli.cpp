// Flags of `wfa costs`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/costs/costs.hpp"

namespace wfa {

void register_costs(CLI::App& root, Dispatch& dispatch) {
  auto* costs = root.add_subcommand("costs", "What the voice providers charged for calls, by model, agent or day");
  costs->require_subcommand(1);
  auto o = std::make_shared<CostsReportOptions>();
  auto* report = costs->add_subcommand("report",
                                       "Calls' costs split into model, transcriber, voice, transport, "
                                       "platform and other, grouped, in micro-dollars");
  report->add_option("--by", o->by, "Group by model, provider, agent, workspace (default) or day")
      ->check(CLI::IsMember(cost_groupings));
  report->add_option("--workspace", o->workspace, "Only this workspace (id or PARTNER/SLUG)");
  report->add_option("--partner", o->partner, "Only this partner's workspaces (id or slug)");
  report->add_option("--since", o->since, "Only calls started at or after this time (RFC 3339 or YYYY-MM-DD, UTC)");
  report->add_option("--until", o->until, "Only calls started before this time (RFC 3339 or YYYY-MM-DD, UTC)");
  on_run(report, dispatch, [o](Session& session) { return run_costs_report(*o, session); });
}

}  // namespace wfa
