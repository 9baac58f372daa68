// Flags of `wfa webhooks`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/webhooks/webhooks.hpp"

namespace wfa {

void register_webhooks(CLI::App& root, Dispatch& dispatch) {
  auto* noun = root.add_subcommand("webhooks", "Webhook deliveries serve stored: list, show, replay, verify offline");
  noun->require_subcommand(1);

  auto list_o = std::make_shared<WebhooksListOptions>();
  auto* list = noun->add_subcommand("list", "Stored deliveries, newest first");
  list->add_option("--provider", list_o->provider, "vapi, retell, synthflow, telegram, stripe or slack");
  list->add_option("--status", list_o->status, "received, processed, ignored or failed");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_webhooks_list(*list_o, session); });

  auto show_o = std::make_shared<WebhooksShowOptions>();
  auto* show = noun->add_subcommand("show", "One delivery: its event, status, attempts, error and kept headers");
  show->add_option("ID", show_o->id, "The event's id (from list)")->required();
  show->add_flag("--body", show_o->body, "Print the stored body too");
  on_run(show, dispatch, [show_o](Session& session) { return run_webhooks_show(*show_o, session); });

  auto replay_o = std::make_shared<WebhooksReplayOptions>();
  auto* replay = noun->add_subcommand("replay", "Process deliveries again (idempotent: nothing is counted twice)");
  replay->add_option("ID", replay_o->ids, "The events' ids")->required();
  replay->add_flag("--dry-run", replay_o->dry_run, "List what would be processed; process nothing");
  replay->add_flag("--enqueue", replay_o->enqueue,
                   "Enqueue one webhook.process job per event (one batch); return at once");
  on_run(replay, dispatch, [replay_o](Session& session) { return run_webhooks_replay(*replay_o, session); });

  auto retry_o = std::make_shared<WebhooksReplayOptions>();
  retry_o->failed = true;
  auto* retry = noun->add_subcommand("retry-failed", "Process every delivery that ended failed again");
  retry->add_flag("--dry-run", retry_o->dry_run, "List what would be processed; process nothing");
  retry->add_flag("--enqueue", retry_o->enqueue,
                  "Enqueue one webhook.process job per event (one batch); return at once");
  on_run(retry, dispatch, [retry_o](Session& session) { return run_webhooks_replay(*retry_o, session); });

  auto verify_o = std::make_shared<WebhooksVerifyOptions>();
  auto* verify = noun->add_subcommand("verify", "Check a captured delivery's signature offline");
  verify->add_option("--provider", verify_o->provider, "vapi, retell, synthflow, telegram, stripe or slack")
      ->required();
  verify->add_option("--secret-file", verify_o->secret_file, "File holding the secret (Retell: the API key)")
      ->required();
  verify->add_option("--header", verify_o->headers, "'Name: value' as captured, once per header");
  verify->add_option("--body-file", verify_o->body_file, "The raw body as received; - reads standard input");
  verify->add_option("--call-id", verify_o->call_id, "Synthflow: the call id it signed (default: from the body)");
  on_run(verify, dispatch, [verify_o](Session& session) { return run_webhooks_verify(*verify_o, session); });
}

}  // namespace wfa
