// Flags of `wfa calls`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/calls/call_flags_cli.hpp"
#include "commands/calls/calls.hpp"

namespace wfa {

namespace {

const char* workspace_help = "Workspace: id or PARTNER/SLUG";

/// add_filter binds the flags every calls verb that picks calls shares.
void add_filter(CLI::App* verb, CallsFilter& f) {
  verb->add_option("--workspace", f.workspace, workspace_help)->required();
  verb->add_option("--agent", f.agent, "Only this agent's calls (name or id)");
  verb->add_option("--status", f.status, "Only calls of this status")->check(CLI::IsMember(call_statuses));
  verb->add_option("--direction", f.direction, "inbound, outbound or web")->check(CLI::IsMember(call_directions));
  verb->add_option("--from", f.from, "Started at or after (RFC 3339 or YYYY-MM-DD, UTC)");
  verb->add_option("--to", f.to, "Started before (RFC 3339 or YYYY-MM-DD, UTC)");
  verb->add_flag("--follow-up", f.follow_up, "Only calls that need a follow-up");
}

}  // namespace

void register_calls(CLI::App& root, Dispatch& dispatch) {
  auto* calls = root.add_subcommand("calls", "Call logs of the voice providers, and the usage they bill");
  calls->require_subcommand(1);

  auto ingest_o = std::make_shared<CallsIngestOptions>();
  auto* ingest = calls->add_subcommand("ingest", "Load a provider's call objects (usage counted exactly once)");
  ingest->add_option("--provider", ingest_o->provider, "vapi, retell or synthflow")->required();
  auto* file = ingest->add_option("--file", ingest_o->file, "NDJSON, or a JSON array, of the provider's call objects");
  auto* api = ingest->add_flag("--from-api", ingest_o->from_api,
                               "List the calls with each workspace's integration, from where the last run stopped");
  file->excludes(api);
  ingest->add_option("--since", ingest_o->since, "With --from-api: start at this time (RFC 3339 or YYYY-MM-DD)")
      ->needs(api);
  ingest->add_option("--workspace", ingest_o->workspace,
                     "Only this workspace's agents (id or PARTNER/SLUG); default: every workspace");
  ingest->add_option("--reject-file", ingest_o->reject_file, "Write line,reason of every call not loaded (CSV)");
  ingest->add_flag(
      "--enqueue", ingest_o->enqueue,
      "Enqueue calls.ingest jobs (one per workspace, or the file, kept in the file store); return at once");
  ingest->add_flag("--dry-run", ingest_o->dry_run, "With --file: read, check and count everything; change nothing");
  on_run(ingest, dispatch, [ingest_o](Session& session) { return run_calls_ingest(*ingest_o, session); });

  auto start_o = std::make_shared<CallsStartOptions>();
  auto* start = calls->add_subcommand("start", "Call a number through an agent (its provider dials it)");
  add_call_flags(start, *start_o);
  on_run(start, dispatch, [start_o](Session& session) { return run_calls_start(*start_o, session); });

  auto list_o = std::make_shared<CallsListOptions>();
  auto* list = calls->add_subcommand("list", "List a workspace's calls, newest first");
  add_filter(list, list_o->filter);
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_calls_list(*list_o, session); });

  auto show_o = std::make_shared<CallsShowOptions>();
  auto* show = calls->add_subcommand("show", "Show one call: transcript, summary, cost and usage");
  show->add_option("CALL", show_o->call, "wfa's call id or the provider's")->required();
  show->add_option("--workspace", show_o->workspace, workspace_help)->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_calls_show(*show_o, session); });

  auto search_o = std::make_shared<CallsSearchOptions>();
  auto* search = calls->add_subcommand("search", "Find calls by words in their transcript or summary, best first");
  search->add_option("TEXT", search_o->text, "Words, \"a phrase\", -excluded")->required();
  add_filter(search, search_o->filter);
  add_paging(search, search_o->paging);
  on_run(search, dispatch, [search_o](Session& session) { return run_calls_search(*search_o, session); });

  auto stats_o = std::make_shared<CallsStatsOptions>();
  auto* stats = calls->add_subcommand("stats", "Calls, minutes, cost and p50/p95 duration per day, agent or status");
  add_filter(stats, stats_o->filter);
  stats->add_option("--by", stats_o->by, "day (default), agent or status")->check(CLI::IsMember(call_stats_keys));
  on_run(stats, dispatch, [stats_o](Session& session) { return run_calls_stats(*stats_o, session); });

  auto export_o = std::make_shared<CallsExportOptions>();
  auto* exp = calls->add_subcommand("export", "Write every matching call as CSV or NDJSON");
  add_filter(exp, export_o->filter);
  exp->add_option("--format", export_o->format, "csv (default) or ndjson")->check(CLI::IsMember(call_export_formats));
  exp->add_option("--out", export_o->out, "File to write (default: stdout)");
  on_run(exp, dispatch, [export_o](Session& session) { return run_calls_export(*export_o, session); });

  auto unmatched_o = std::make_shared<CallsUnmatchedOptions>();
  auto* unmatched = calls->add_subcommand("unmatched", "List the calls of agents no workspace has (the quarantine)");
  unmatched->add_option("--provider", unmatched_o->provider, "Only this provider's calls");
  unmatched->add_flag("--link", unmatched_o->link, "Merge the quarantined calls whose agent now exists");
  add_paging(unmatched, unmatched_o->paging);
  on_run(unmatched, dispatch, [unmatched_o](Session& session) { return run_calls_unmatched(*unmatched_o, session); });
}

}  // namespace wfa
