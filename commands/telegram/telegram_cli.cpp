// Flags of `wfa telegram`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/telegram/telegram.hpp"

namespace wfa {

void register_telegram(CLI::App& root, Dispatch& dispatch) {
  auto* telegram = root.add_subcommand("telegram", "Telegram groups linked to workspaces, and partners' bots");
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

  auto* bot = telegram->add_subcommand("bot", "A partner's white-label bot for the Mini App");
  bot->require_subcommand(1);
  auto set_o = std::make_shared<TelegramBotOptions>();
  auto* set = bot->add_subcommand("set", "Seal and keep the partner's bot token (from a file or standard input)");
  set->add_option("PARTNER", set_o->partner, "Partner id or slug")->required();
  set->add_option("--token-file", set_o->token_file, "File holding the token from @BotFather; - reads standard input");
  set->add_flag("--dry-run", set_o->dry_run, "Check the token and show the bot; change nothing");
  on_run(set, dispatch, [set_o](Session& session) { return run_telegram_bot_set(*set_o, session); });
  auto show_o = std::make_shared<TelegramBotOptions>();
  auto* show = bot->add_subcommand("show", "Show the partner's bot (token masked) and its webhook path");
  show->add_option("PARTNER", show_o->partner, "Partner id or slug")->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_telegram_bot_show(*show_o, session); });
  auto remove_o = std::make_shared<TelegramBotOptions>();
  auto* remove = bot->add_subcommand("remove", "Forget the partner's bot token");
  remove->add_option("PARTNER", remove_o->partner, "Partner id or slug")->required();
  remove->add_flag("-y,--yes", remove_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  remove->add_flag("--dry-run", remove_o->dry_run, "Show what would be removed; change nothing");
  on_run(remove, dispatch, [remove_o](Session& session) { return run_telegram_bot_remove(*remove_o, session); });
}

}  // namespace wfa
