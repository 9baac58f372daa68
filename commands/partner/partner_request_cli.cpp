// Flags of `wfa partner request`.
#include "cli/command_cli.hpp"
#include "commands/partner/partner.hpp"
#include "commands/partner/partner_cli.hpp"
#include "commands/partner/partner_rules.hpp"
#include "commands/tenancy/mail_cli.hpp"

namespace wfa {

namespace {

void add_submit(CLI::App& request, Dispatch& dispatch) {
  auto o = std::make_shared<PartnerRequestSubmitOptions>();
  auto& f = o->fields;
  auto* submit = request.add_subcommand("submit", "Submit a partner request from flags and/or a JSON file");
  submit->add_option("--file", o->file, "JSON object with the fields below in snake_case (flags override it)");
  submit->add_option("--company", f.company, "Company name (required)");
  submit->add_option("--contact-name", f.contact_name, "Contact person (required)");
  submit->add_option("--contact-email", f.contact_email, "Contact e-mail; becomes the owner (required)");
  submit->add_option("--contact-phone", f.contact_phone, "Contact phone");
  submit->add_option("--subdomain", f.subdomain, "Desired subdomain: SUBDOMAIN.<platform domain> (required)");
  submit->add_option("--custom-domain", f.custom_domain, "Custom hostname, e.g. app.agency.example");
  submit->add_option("--plan", f.plan, "Plan tier (default starter)");
  submit->add_option("--primary-color", f.primary_color, "Brand colour #RRGGBB");
  submit->add_option("--logo", f.logo, "Logo: an https:// URL (a request never names a local file)");
  submit->add_option("--notes", f.notes, "Free-text notes for the reviewer");
  submit->add_flag("--if-not-exists", o->if_not_exists,
                   "An open request for this subdomain by this contact is success, unchanged");
  add_mail_flags(submit, o->mail, "the new-request e-mail to the super admins");
  submit->add_flag("--dry-run", o->dry_run, "Validate and show the request; store nothing");
  on_run(submit, dispatch, [o](Session& session) { return run_partner_request_submit(*o, session); });
}

void add_review(CLI::App& request, Dispatch& dispatch) {
  auto list_o = std::make_shared<PartnerRequestListOptions>();
  auto* list = request.add_subcommand("list", "List partner requests, newest first");
  list->add_option("--status", list_o->status, "Only requests with this status")
      ->check(CLI::IsMember(request_statuses));
  list->add_option("--since", list_o->since, "Only requests created at or after this ISO 8601 time");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_partner_request_list(*list_o, session); });

  auto show_o = std::make_shared<PartnerRequestShowOptions>();
  auto* show = request.add_subcommand("show", "Show one partner request");
  show->add_option("ID", show_o->id, "Request id")->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_partner_request_show(*show_o, session); });

  auto approve_o = std::make_shared<PartnerRequestApproveOptions>();
  auto* approve = request.add_subcommand("approve", "Approve a pending request (no-op when already approved)");
  approve->add_option("ID", approve_o->id, "Request id")->required();
  add_mail_flags(approve, approve_o->mail, "the approval e-mail to the contact");
  approve->add_flag("--dry-run", approve_o->dry_run, "Check and show the result; change nothing");
  on_run(approve, dispatch, [approve_o](Session& session) { return run_partner_request_approve(*approve_o, session); });

  auto reject_o = std::make_shared<PartnerRequestRejectOptions>();
  auto* reject = request.add_subcommand("reject", "Reject a request with a reason (no-op when already rejected)");
  reject->add_option("ID", reject_o->id, "Request id")->required();
  reject->add_option("--reason", reject_o->reason, "Why the request is rejected (required)")->required();
  add_mail_flags(reject, reject_o->mail, "the rejection e-mail to the contact");
  reject->add_flag("--dry-run", reject_o->dry_run, "Check and show the result; change nothing");
  on_run(reject, dispatch, [reject_o](Session& session) { return run_partner_request_reject(*reject_o, session); });

  auto check_o = std::make_shared<PartnerRequestCheckDomainOptions>();
  auto* check = request.add_subcommand("check-domain",
                                       "Check a subdomain (or, with --custom, a hostname): syntax, reserved, taken");
  check->add_option("NAME", check_o->name, "Subdomain label, or a hostname with --custom")->required();
  check->add_flag("--custom", check_o->custom, "NAME is a custom hostname, not a platform subdomain");
  on_run(check, dispatch, [check_o](Session& session) { return run_partner_request_check_domain(*check_o, session); });
}

}  // namespace

void register_partner_request(CLI::App& partner, Dispatch& dispatch) {
  auto* request = partner.add_subcommand("request", "Partner requests: submit, review, check names");
  request->require_subcommand(1);
  add_submit(*request, dispatch);
  add_review(*request, dispatch);
}

}  // namespace wfa
