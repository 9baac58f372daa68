// Flags of `wfa telegram`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/telegram/telegram.hpp"

namespace wfa {

void register_telegram(CLI::App& root, Dispatch& dispatch) {
  auto* telegram = root.add_subcommand("telegram", "Telegram groups linked to workspaces");
  telegram->require_subcommand(1);

  auto sync_o = std::make_shared<TelegramSyncAdminsOptions>();
  auto* sync = telegram->add_subcommand("sync-admins", "Make a group's admins (from a JSON file) workspace members");
  sync->add_option("--group", sync_o->group, "Telegram chat id of the group, e.g. -1001234567890")->required();
  sync->add_option("--admins", sync_o->admins_file, "JSON file listing the group's admins (see wfa-telegram(1))")
      ->required();
  sync->add_option("--workspace", sync_o->workspace,
                   "Workspace (id or PARTNER/SLUG); links a group seen for the first time");
  sync->add_flag("--dry-run", sync_o->dry_run, "Show what would change; change nothing");
  on_run(sync, dispatch, [sync_o](Session& session) { return run_telegram_sync_admins(*sync_o, session); });
}

}  // namespace wfa
