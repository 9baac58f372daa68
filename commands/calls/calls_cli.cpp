// Flags of `wfa calls`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/calls/calls.hpp"

namespace wfa {

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
  ingest->add_flag("--dry-run", ingest_o->dry_run, "With --file: read, check and count everything; change nothing");
  on_run(ingest, dispatch, [ingest_o](Session& session) { return run_calls_ingest(*ingest_o, session); });

  auto unmatched_o = std::make_shared<CallsUnmatchedOptions>();
  auto* unmatched = calls->add_subcommand("unmatched", "List the calls of agents no workspace has (the quarantine)");
  unmatched->add_option("--provider", unmatched_o->provider, "Only this provider's calls");
  unmatched->add_flag("--link", unmatched_o->link, "Merge the quarantined calls whose agent now exists");
  add_paging(unmatched, unmatched_o->paging);
  on_run(unmatched, dispatch, [unmatched_o](Session& session) { return run_calls_unmatched(*unmatched_o, session); });
}

}  // namespace wfa
