// Flags of `wfa billing`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/billing/billing.hpp"
#include "commands/billing/billing_rules.hpp"

namespace wfa {

namespace {

void subject_flags(CLI::App* verb, BillingSubjectOptions& o) {
  verb->add_option("PARTNER", o.partner, "The partner (slug or id)");
  verb->add_option("--workspace", o.workspace, "A workspace's subscription instead: PARTNER/SLUG or its id");
}

}  // namespace

void register_billing(CLI::App& root, Dispatch& dispatch) {
  auto* noun = root.add_subcommand("billing", "Subscriptions, Stripe Checkout and Stripe's billing events");
  noun->require_subcommand(1);

  auto* subscription = noun->add_subcommand("subscription", "A partner's or workspace's subscription to a plan");
  subscription->require_subcommand(1);

  auto show_o = std::make_shared<SubscriptionShowOptions>();
  auto* show = subscription->add_subcommand("show", "The subscription, its plan's terms and its latest invoices");
  subject_flags(show, *show_o);
  on_run(show, dispatch, [show_o](Session& session) { return run_billing_subscription_show(*show_o, session); });

  auto set_o = std::make_shared<SubscriptionSetOptions>();
  auto* set = subscription->add_subcommand("set", "Subscribe to a plan, or change plan (prorated)");
  subject_flags(set, *set_o);
  set->add_option("--plan", set_o->plan, "The plan (wfa plan list)")->required();
  set->add_option("--trial-days", set_o->trial_days, "A new subscription starts with a trial of this many days");
  set->add_flag("--dry-run", set_o->dry_run, "Show the subscription as it would be; change nothing");
  on_run(set, dispatch, [set_o](Session& session) { return run_billing_subscription_set(*set_o, session); });

  auto cancel_o = std::make_shared<SubscriptionCancelOptions>();
  auto* cancel = subscription->add_subcommand("cancel", "Cancel at the end of the period, or now");
  subject_flags(cancel, *cancel_o);
  cancel->add_flag("--now", cancel_o->now, "End it at once instead of at the end of the period");
  cancel->add_flag("--yes", cancel_o->yes, "Do not ask for confirmation");
  cancel->add_flag("--dry-run", cancel_o->dry_run, "Show what would change; change nothing");
  on_run(cancel, dispatch,
         [cancel_o](Session& session) { return run_billing_subscription_cancel(*cancel_o, session); });

  auto resume_o = std::make_shared<SubscriptionResumeOptions>();
  auto* resume = subscription->add_subcommand("resume", "Undo a cancel at period end, or end a pause");
  subject_flags(resume, *resume_o);
  resume->add_flag("--dry-run", resume_o->dry_run, "Show what would change; change nothing");
  on_run(resume, dispatch,
         [resume_o](Session& session) { return run_billing_subscription_resume(*resume_o, session); });

  auto checkout_o = std::make_shared<BillingCheckoutOptions>();
  auto* checkout = noun->add_subcommand("checkout", "Start a Stripe Checkout for a partner's plan and print its URL");
  checkout->add_option("PARTNER", checkout_o->partner, "The partner (slug or id)")->required();
  checkout->add_option("--plan", checkout_o->plan, "The plan; it needs a Stripe price (wfa plan update)")->required();
  checkout->add_option("--success-url", checkout_o->success_url, "Where Stripe sends the buyer after paying (https)");
  checkout->add_option("--cancel-url", checkout_o->cancel_url, "Where Stripe sends a buyer who gives up (https)");
  checkout->add_option("--idempotency-key", checkout_o->idempotency_key,
                       "Stripe's Idempotency-Key (default: from partner, plan, pages and the UTC day)");
  on_run(checkout, dispatch, [checkout_o](Session& session) { return run_billing_checkout(*checkout_o, session); });

  auto* events = noun->add_subcommand("events", "Stripe's events as billing applied them");
  events->require_subcommand(1);

  auto apply_o = std::make_shared<BillingEventsApplyOptions>();
  auto* apply = events->add_subcommand("apply", "Apply a captured Stripe event (once per event id)");
  apply->add_option("FILE", apply_o->file, "The event's JSON as Stripe sent it; - reads standard input")->required();
  apply->add_flag("--dry-run", apply_o->dry_run, "Show what the event would change; change nothing");
  on_run(apply, dispatch, [apply_o](Session& session) { return run_billing_events_apply(*apply_o, session); });

  auto list_o = std::make_shared<BillingEventsListOptions>();
  auto* list = events->add_subcommand("list", "Applied events, newest first");
  list->add_option("--type", list_o->type, "Only this event type, e.g. invoice.paid");
  list->add_option("--outcome", list_o->outcome, "applied, stale, recorded, ignored or failed")
      ->check(CLI::IsMember(payment_event_outcomes));
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_billing_events_list(*list_o, session); });

  auto* invoice = noun->add_subcommand("invoice", "wfa's usage invoices, one per workspace and closed month");
  invoice->require_subcommand(1);

  auto run_o = std::make_shared<InvoiceRunOptions>();
  auto* run = invoice->add_subcommand("run", "Invoice every billable workspace's closed month, once");
  run->add_option("--period", run_o->period, "The month, YYYY-MM (default: last month, UTC)");
  run->add_option("--partner", run_o->partner, "Only this partner's workspaces (slug or id)");
  run->add_flag("--dry-run", run_o->dry_run, "Show the invoices that would be written; write none");
  on_run(run, dispatch, [run_o](Session& session) { return as_run_report(run_billing_invoice_run(*run_o, session)); });

  auto ilist_o = std::make_shared<InvoiceListOptions>();
  auto* ilist = invoice->add_subcommand("list", "Invoices, newest first");
  ilist->add_option("--partner", ilist_o->partner, "A partner's invoices and its workspaces' (slug or id)");
  ilist->add_option("--workspace", ilist_o->workspace, "One workspace's invoices: PARTNER/SLUG or its id");
  ilist->add_option("--status", ilist_o->status, "draft, open, paid, void or uncollectible")
      ->check(CLI::IsMember(invoice_statuses));
  ilist->add_option("--period", ilist_o->period, "Invoices of this month, YYYY-MM");
  add_paging(ilist, ilist_o->paging);
  on_run(ilist, dispatch, [ilist_o](Session& session) { return run_billing_invoice_list(*ilist_o, session); });

  auto ishow_o = std::make_shared<InvoiceShowOptions>();
  auto* ishow = invoice->add_subcommand("show", "An invoice with its lines");
  ishow->add_option("INVOICE", ishow_o->invoice, "The invoice's number or id")->required();
  on_run(ishow, dispatch, [ishow_o](Session& session) { return run_billing_invoice_show(*ishow_o, session); });

  auto pdf_o = std::make_shared<InvoicePdfOptions>();
  auto* pdf = invoice->add_subcommand("pdf", "Write an invoice as a PDF");
  pdf->add_option("INVOICE", pdf_o->invoice, "The invoice's number or id")->required();
  pdf->add_option("--out", pdf_o->out, "The PDF file to write (replaced atomically)")->required();
  pdf->add_option("--layout", pdf_o->layout, "templates/invoice/NAME.json, or a layout file's path (default standard)");
  on_run(pdf, dispatch, [pdf_o](Session& session) { return run_billing_invoice_pdf(*pdf_o, session); });

  auto void_o = std::make_shared<InvoiceVoidOptions>();
  auto* voided = invoice->add_subcommand("void", "Void an open usage invoice");
  voided->add_option("INVOICE", void_o->invoice, "The invoice's number or id")->required();
  voided->add_option("--reason", void_o->reason, "Why, kept with the invoice and in the audit log");
  voided->add_flag("--yes", void_o->yes, "Do not ask for confirmation");
  voided->add_flag("--dry-run", void_o->dry_run, "Show what would change; change nothing");
  on_run(voided, dispatch, [void_o](Session& session) { return run_billing_invoice_void(*void_o, session); });
}

}  // namespace wfa
