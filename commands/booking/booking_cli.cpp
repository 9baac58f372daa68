// Flags of `wfa booking`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/booking/booking.hpp"
#include "commands/booking/booking_rules.hpp"

namespace wfa {

namespace {

const char* const workspace_help = "Workspace: id or PARTNER/SLUG, e.g. acme/main";
const char* const booking_help = "Booking: its number (e.g. BO-2026-0001) or its id";

using Runner = Result (*)(const BookingDecisionOptions&, Session&);

void add_decision(CLI::App* booking, Dispatch& dispatch, const char* name, const char* help, const char* comment_help,
                  Runner run) {
  auto o = std::make_shared<BookingDecisionOptions>();
  auto* command = booking->add_subcommand(name, help);
  command->add_option("BOOKING", o->booking, booking_help)->required();
  command->add_option("--workspace", o->workspace, workspace_help)->required();
  command->add_option("--comment", o->comment, comment_help);
  command->add_flag("--dry-run", o->dry_run, "Show the booking as it would be; change nothing");
  on_run(command, dispatch, [o, run](Session& session) { return run(*o, session); });
}

void register_workflow(CLI::App* booking, Dispatch& dispatch) {
  auto* workflow = booking->add_subcommand("workflow", "Show or set the workspace's approval workflow");
  workflow->require_subcommand(1);

  auto show_o = std::make_shared<BookingWorkflowShowOptions>();
  auto* show = workflow->add_subcommand("show", "Show the approval steps a submitted booking goes through");
  show->add_option("--workspace", show_o->workspace, workspace_help)->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_booking_workflow_show(*show_o, session); });

  auto set_o = std::make_shared<BookingWorkflowSetOptions>();
  auto* set = workflow->add_subcommand("set", "Replace the approval steps (bookings already submitted keep theirs)");
  set->add_option("--workspace", set_o->workspace, workspace_help)->required();
  set->add_option("--step", set_o->steps,
                  "NAME=PERMISSION[@MIN_TOTAL_AED], once per step in order; with @ the step applies from that total"
                  " (in AED) up");
  set->add_flag("--reset", set_o->reset, "Go back to the default single step (sales:bookings:approve)");
  set->add_flag("--dry-run", set_o->dry_run, "Show the workflow as it would be; change nothing");
  on_run(set, dispatch, [set_o](Session& session) { return run_booking_workflow_set(*set_o, session); });
}

}  // namespace

void register_booking(CLI::App& root, Dispatch& dispatch) {
  auto* booking = root.add_subcommand("booking", "Manage booking orders: approval workflow, documents, share of voice");
  booking->require_subcommand(1);

  auto create_o = std::make_shared<BookingCreateOptions>();
  auto* create = booking->add_subcommand("create", "Create a draft booking from a logged proposal or from flags");
  create->add_option("--workspace", create_o->workspace, workspace_help)->required();
  create->add_option("--proposal", create_o->proposal,
                     "A logged proposal's id: its client, locations, dates and total");
  create->add_option("--client", create_o->client, "Client name");
  create->add_option("--location", create_o->locations, "Location key (repeat for more)");
  create->add_option("--from", create_o->from, "First day, YYYY-MM-DD");
  create->add_option("--to", create_o->to, "Last day, YYYY-MM-DD (inclusive)");
  create->add_option("--total", create_o->total, "Total in major units of the currency, e.g. 45000 or 45,000.50");
  create->add_option("--currency", create_o->currency, "Currency code (default AED)");
  create->add_option("--share", create_o->share, "Share of voice on each location, in percent (default 100)");
  create->add_option("--notes", create_o->notes, "Notes, at most 4000 characters");
  create->add_option("--document", create_o->documents, "Attach a PDF, PNG, JPEG, DOCX or XLSX file (repeat for more)");
  create->add_option("--owner", create_o->owner, "Owner: e-mail or id of a member (default: you)");
  create->add_flag("--dry-run", create_o->dry_run, "Show the booking; create nothing");
  on_run(create, dispatch, [create_o](Session& session) { return run_booking_create(*create_o, session); });

  auto list_o = std::make_shared<BookingListOptions>();
  auto* list = booking->add_subcommand("list", "List the bookings you may see, oldest first");
  list->add_option("--workspace", list_o->workspace, workspace_help)->required();
  list->add_option("--status", list_o->status, "Only bookings with this status")
      ->check(CLI::IsMember(booking_statuses));
  list->add_option("--owner", list_o->owner, "Only bookings of this owner: e-mail or id");
  list->add_option("--location", list_o->location, "Only bookings of this location (its key)");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_booking_list(*list_o, session); });

  auto show_o = std::make_shared<BookingShowOptions>();
  auto* show = booking->add_subcommand("show", "Show a booking with its locations, approval steps and documents");
  show->add_option("BOOKING", show_o->booking, booking_help)->required();
  show->add_option("--workspace", show_o->workspace, workspace_help)->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_booking_show(*show_o, session); });

  add_decision(booking, dispatch, "submit", "Send a draft booking into the approval workflow",
               "A comment for the approvers", run_booking_submit);
  add_decision(booking, dispatch, "approve", "Approve the step a submitted booking awaits (the last one books it)",
               "Why, for the audit log", run_booking_approve);
  add_decision(booking, dispatch, "reject", "Reject a submitted booking at the step it awaits", "Why (required)",
               run_booking_reject);
  add_decision(booking, dispatch, "cancel", "Cancel a booking; an approved one frees its share of voice",
               "Why, for the audit log", run_booking_cancel);

  auto attach_o = std::make_shared<BookingAttachOptions>();
  auto* attach = booking->add_subcommand("attach", "Attach documents (signed order, artwork) to a booking");
  attach->add_option("BOOKING", attach_o->booking, booking_help)->required();
  attach->add_option("FILE", attach_o->files, "PDF, PNG, JPEG, DOCX or XLSX files")->required();
  attach->add_option("--workspace", attach_o->workspace, workspace_help)->required();
  attach->add_flag("--dry-run", attach_o->dry_run, "Check the files; attach nothing");
  on_run(attach, dispatch, [attach_o](Session& session) { return run_booking_attach(*attach_o, session); });

  register_workflow(booking, dispatch);
}

}  // namespace wfa
