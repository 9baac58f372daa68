// Flags of `wfa notify`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/notify/notify.hpp"
#include "commands/notify/notify_rules.hpp"

namespace wfa {

void register_notify(CLI::App& root, Dispatch& dispatch) {
  auto* noun = root.add_subcommand("notify", "Messages a partner's bot sends to a Telegram chat, within its limits");
  noun->require_subcommand(1);

  auto send_o = std::make_shared<NotifySendOptions>();
  auto* send = noun->add_subcommand("send", "Queue a message for the partner's bot to send to a chat");
  send->add_option("PARTNER", send_o->partner, "Partner id or slug: whose bot sends it")->required();
  send->add_option("--chat", send_o->chat, "Telegram chat id; negative for groups, e.g. -1001234567890")->required();
  send->add_option("--text", send_o->text, "The message (at most 4096 characters)");
  send->add_option("--text-file", send_o->text_file, "File holding the message; - reads standard input");
  send->add_option("--parse-mode", send_o->parse_mode, "HTML or MarkdownV2 (default: plain text)")
      ->check(CLI::IsMember(notification_parse_modes));
  send->add_option("--key", send_o->key, "Idempotency key: a second send with it queues nothing");
  send->add_option("--workspace", send_o->workspace, "The workspace it concerns (id or PARTNER/SLUG)");
  send->add_flag("--dry-run", send_o->dry_run, "Check and show the message; queue nothing");
  on_run(send, dispatch, [send_o](Session& session) { return run_notify_send(*send_o, session); });

  auto list_o = std::make_shared<NotifyListOptions>();
  auto* list = noun->add_subcommand("list", "Notifications newest first, with their status and last error");
  list->add_option("--partner", list_o->partner, "Partner id or slug; default: every partner's (super admins)");
  list->add_option("--status", list_o->status, "queued, sending, sent or failed")
      ->check(CLI::IsMember(notification_statuses));
  list->add_option("--chat", list_o->chat, "Only this chat's");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_notify_list(*list_o, session); });

  auto flush_o = std::make_shared<NotifyFlushOptions>();
  auto* flush = noun->add_subcommand("flush", "Deliver what is due within Telegram's limits, waiting as they require");
  flush->add_option("--partner", flush_o->partner, "Only this partner's; default: every partner's (super admins)");
  flush->add_option("--max-seconds", flush_o->max_seconds,
                    "Stop after this many seconds; default 0: when none is left");
  flush->add_flag("--dry-run", flush_o->dry_run, "Count what is due; send nothing");
  on_run(flush, dispatch, [flush_o](Session& session) { return as_run_report(run_notify_flush(*flush_o, session)); });

  auto retry_o = std::make_shared<NotifyRetryOptions>();
  auto* retry = noun->add_subcommand("retry", "Queue failed notifications again");
  retry->add_option("ID", retry_o->ids, "The notifications' ids (from list)")->required();
  retry->add_flag("--dry-run", retry_o->dry_run, "Show what would be queued; change nothing");
  on_run(retry, dispatch, [retry_o](Session& session) { return run_notify_retry(*retry_o, session); });
}

}  // namespace wfa
