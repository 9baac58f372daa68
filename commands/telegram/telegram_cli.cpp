// Flags of `wfa telegram`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/telegram/telegram.hpp"
#include "commands/telegram/telegram_health.hpp"

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

  auto health_o = std::make_shared<TelegramHealthOptions>();
  auto* health = telegram->add_subcommand(
      "health", "Each bot's latest processed update, sent message and failure, and its failures of the last day");
  health->add_option("PARTNER", health_o->partner, "Partner id or slug; default: every bot (super admins)");
  add_paging(health, health_o->paging);
  on_run(health, dispatch, [health_o](Session& session) { return run_telegram_health(*health_o, session); });

  auto* webhook = telegram->add_subcommand("webhook", "Where a partner's bot delivers its updates (wfa serve)");
  webhook->require_subcommand(1);
  auto hook_set_o = std::make_shared<TelegramWebhookOptions>();
  auto* hook_set = webhook->add_subcommand("set", "Point the bot at wfa serve with a new secret token (setWebhook)");
  hook_set->add_option("PARTNER", hook_set_o->partner, "Partner id or slug")->required();
  hook_set->add_option("--url", hook_set_o->url, "The URL to deliver to; default: public_url + the bot's webhook path");
  hook_set->add_flag("--dry-run", hook_set_o->dry_run, "Show the URL; call Telegram for nothing");
  on_run(hook_set, dispatch, [hook_set_o](Session& session) { return run_telegram_webhook_set(*hook_set_o, session); });
  auto hook_check_o = std::make_shared<TelegramWebhookOptions>();
  auto* hook_check =
      webhook->add_subcommand("check", "Compare the bot's webhook with what wfa set (getWebhookInfo); repair it");
  hook_check->add_option("PARTNER", hook_check_o->partner, "Partner id or slug")->required();
  hook_check->add_option("--url", hook_check_o->url, "The URL it should deliver to; default: the one wfa set");
  hook_check->add_flag("--dry-run", hook_check_o->dry_run, "Report; repair nothing");
  on_run(hook_check, dispatch,
         [hook_check_o](Session& session) { return run_telegram_webhook_check(*hook_check_o, session); });
}

}  // namespace wfa
