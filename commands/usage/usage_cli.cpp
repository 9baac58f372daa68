// Flags of `wfa usage`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/usage/usage.hpp"

namespace wfa {

void register_usage(CLI::App& root, Dispatch& dispatch) {
  auto* usage = root.add_subcommand("usage", "Each workspace's minutes and cost by month: close a month, read them");
  usage->require_subcommand(1);

  auto reset_o = std::make_shared<UsageResetOptions>();
  auto* reset = usage->add_subcommand("reset", "Close a month: snapshot every workspace's counters, then zero them");
  reset->add_option("--period", reset_o->period, "The month, YYYY-MM; default the month before this one (UTC)");
  reset->add_flag("--dry-run", reset_o->dry_run, "Count what would be closed; change nothing");
  on_run(reset, dispatch, [reset_o](Session& session) { return as_run_report(run_usage_reset(*reset_o, session)); });

  auto report_o = std::make_shared<UsageReportOptions>();
  auto* report = usage->add_subcommand("report", "List closed months per workspace, newest first");
  report->add_option("--period", report_o->period, "Only this month, YYYY-MM");
  report->add_option("--partner", report_o->partner, "Only this partner's workspaces (id or slug)");
  report->add_option("--workspace", report_o->workspace, "Only this workspace (id or PARTNER/SLUG)");
  add_paging(report, report_o->paging);
  on_run(report, dispatch, [report_o](Session& session) { return run_usage_report(*report_o, session); });

  auto show_o = std::make_shared<UsageShowOptions>();
  auto* show = usage->add_subcommand("show", "Show a workspace's open month, or a closed one with --period");
  show->add_option("WORKSPACE", show_o->workspace, "Workspace id or PARTNER/SLUG")->required();
  show->add_option("--period", show_o->period, "A closed month, YYYY-MM");
  on_run(show, dispatch, [show_o](Session& session) { return run_usage_show(*show_o, session); });
}

}  // namespace wfa
