// Flags of `wfa mail`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/mail/mail.hpp"

namespace wfa {

namespace {

void add_change(CLI::App* noun, Dispatch& dispatch, const char* name, const char* what,
                Result (*run)(const MailChangeOptions&, Session&)) {
  auto o = std::make_shared<MailChangeOptions>();
  auto* verb = noun->add_subcommand(name, what);
  verb->add_option("ID", o->ids, "The messages' ids (from list)")->required();
  verb->add_flag("--dry-run", o->dry_run, "Show what would change; change nothing");
  on_run(verb, dispatch, [o, run](Session& session) { return run(*o, session); });
}

}  // namespace

void register_mail(CLI::App& root, Dispatch& dispatch) {
  auto* noun = root.add_subcommand("mail", "The mail outbox: e-mails the verbs queue, delivered through SMTP once");
  noun->require_subcommand(1);

  auto flush_o = std::make_shared<MailFlushOptions>();
  auto* flush = noun->add_subcommand("flush", "Send the due messages through the SMTP relay");
  flush->add_option("--max-seconds", flush_o->max_seconds, "Stop after this many seconds; default 0: when none is due");
  flush->add_flag("--dry-run", flush_o->dry_run, "Count what is due; send nothing");
  on_run(flush, dispatch, [flush_o](Session& session) { return as_run_report(run_mail_flush(*flush_o, session)); });

  auto list_o = std::make_shared<MailListOptions>();
  auto* list = noun->add_subcommand("list", "Messages newest first, with their status and the server's last reply");
  list->add_flag("--failed", list_o->failed, "Only those that failed for good");
  list->add_flag("--unknown", list_o->unknown, "Only those whose outcome is unknown (to be sent again)");
  list->add_option("--status", list_o->status, "Only this status")->check(CLI::IsMember(mail_statuses));
  list->add_option("--to", list_o->to, "Only those to this address");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_mail_list(*list_o, session); });

  auto show_o = std::make_shared<MailShowOptions>();
  auto* show = noun->add_subcommand("show", "One message: envelope, Message-ID, attempts and the last reply");
  show->add_option("ID", show_o->id, "The message's id (from list)")->required();
  show->add_flag("--raw", show_o->raw, "Print the message as it is sent");
  on_run(show, dispatch, [show_o](Session& session) { return run_mail_show(*show_o, session); });

  add_change(noun, dispatch, "retry", "Queue failed, unknown or cancelled messages again", run_mail_retry);
  add_change(noun, dispatch, "cancel", "Stop queued or unknown messages from being sent", run_mail_cancel);

  auto preview_o = std::make_shared<MailPreviewOptions>();
  auto* preview = noun->add_subcommand("preview", "Print a template as it would be sent, with sample values");
  preview->add_option("TEMPLATE", preview_o->template_name, "The template's name, e.g. invitation")->required();
  preview->add_option("--partner", preview_o->partner, "Partner id or slug: its branding and sender");
  on_run(preview, dispatch, [preview_o](Session& session) { return run_mail_preview(*preview_o, session); });

  auto test_o = std::make_shared<MailTestOptions>();
  auto* test = noun->add_subcommand("test", "Send a test message through the relay now and show its reply");
  test->add_option("--to", test_o->to, "The address to send it to")->required();
  on_run(test, dispatch, [test_o](Session& session) { return run_mail_test(*test_o, session); });

  auto bounce_o = std::make_shared<MailBounceOptions>();
  auto* bounce = noun->add_subcommand("bounce", "Read delivery-status notifications and suppress hard bounces");
  bounce->add_option("FILE", bounce_o->file, "A message or mbox file; - reads standard input")->required();
  bounce->add_flag("--dry-run", bounce_o->dry_run, "Show what would be suppressed; change nothing");
  on_run(bounce, dispatch, [bounce_o](Session& session) { return run_mail_bounce(*bounce_o, session); });
}

}  // namespace wfa
