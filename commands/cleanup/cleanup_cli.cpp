// Flags of `wfa cleanup`.
#include "cli/command_cli.hpp"
#include "commands/cleanup/cleanup.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

void register_cleanup(CLI::App& root, Dispatch& dispatch) {
  auto* cleanup = root.add_subcommand(
      "cleanup", "Cron verbs: retire what has expired (safe to re-run; exit 9 if another run holds the lock)");
  cleanup->require_subcommand(1);

  auto campaigns_o = std::make_shared<CleanupOptions>();
  auto* campaigns =
      cleanup->add_subcommand("campaigns", "Mark scheduled, running and paused campaigns past their window expired");
  campaigns->add_flag("--dry-run", campaigns_o->dry_run, "Show the campaigns that would expire; change nothing");
  on_run(campaigns, dispatch, [campaigns_o](Session& session) { return run_cleanup_campaigns(*campaigns_o, session); });

  auto files_o = std::make_shared<CleanupOptions>();
  auto* files = cleanup->add_subcommand("files", "Remove the temporary files that killed runs left in the file store");
  files->add_flag("--dry-run", files_o->dry_run, "List the files that would be removed; remove nothing");
  on_run(files, dispatch, [files_o](Session& session) { return run_cleanup_files(*files_o, session); });
}

}  // namespace wfa
