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
  on_run(campaigns, dispatch,
         [campaigns_o](Session& session) { return as_run_report(run_cleanup_campaigns(*campaigns_o, session)); });

  auto files_o = std::make_shared<CleanupOptions>();
  auto* files = cleanup->add_subcommand(
      "files", "Remove killed runs' temporary files, and blobs no row names after a grace period, from the file store");
  files->add_flag("--dry-run", files_o->dry_run, "List the files that would be removed; remove nothing");
  files->add_option("--older-than", files_o->older_than, "Grace period of unnamed blobs, e.g. 1d (default 1 day)");
  on_run(files, dispatch, [files_o](Session& session) { return as_run_report(run_cleanup_files(*files_o, session)); });

  const std::pair<const char*, const char*> kinds[] = {
      {"invitations", "Mark pending invitations past their expiry expired"},
      {"grants", "Remove permission-set grants past their expiry"},
      {"shares", "Remove record shares past their expiry"},
      {"webhooks", "Remove processed and ignored webhook deliveries older than the retention (default 30 days)"},
      {"notifications", "Remove sent notifications older than the retention (default 30 days)"},
  };
  for (const auto& [name, help] : kinds) {
    auto o = std::make_shared<CleanupOptions>();
    auto* kind = cleanup->add_subcommand(name, help);
    kind->add_flag("--dry-run", o->dry_run, "Count what would go; change nothing");
    if (std::string(name) == "webhooks" || std::string(name) == "notifications")
      kind->add_option("--older-than", o->older_than, "Retention: a number and m, h, d or w, e.g. 30d");
    std::string kind_name = name;
    on_run(kind, dispatch,
           [o, kind_name](Session& session) { return as_run_report(run_cleanup_kind(kind_name, *o, session)); });
  }
  auto all_o = std::make_shared<CleanupOptions>();
  auto* all = cleanup->add_subcommand("all", "Run every cleanup in turn, each under its own lock");
  all->add_flag("--dry-run", all_o->dry_run, "Count what each would do; change nothing");
  all->add_option("--older-than", all_o->older_than, "Retention of webhooks and notifications, e.g. 30d");
  on_run(all, dispatch, [all_o](Session& session) { return as_run_report(run_cleanup_all(*all_o, session)); });
}

}  // namespace wfa
