// Flags of `wfa partner`.
#include "cli/command_cli.hpp"
#include "commands/partner/partner.hpp"
#include "commands/partner/partner_cli.hpp"
#include "commands/tenancy/mail_cli.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

namespace {

void add_provision_and_create(CLI::App& partner, Dispatch& dispatch) {
  auto prov_o = std::make_shared<PartnerProvisionOptions>();
  auto* provision = partner.add_subcommand("provision", "Turn an approved request into a partner, in one transaction");
  provision->add_option("REQUEST_ID", prov_o->request_id, "Approved request id")->required();
  add_mail_flags(provision, prov_o->mail, "the owner's invitation e-mail");
  provision->add_flag("--dry-run", prov_o->dry_run, "Provision inside a transaction, show it, then roll back");
  on_run(provision, dispatch, [prov_o](Session& session) { return run_partner_provision(*prov_o, session); });

  auto create_o = std::make_shared<PartnerCreateOptions>();
  auto* create = partner.add_subcommand("create", "Create a partner directly (with its platform subdomain)");
  create->add_option("SLUG", create_o->slug, "Partner slug: also its subdomain")->required();
  create->add_option("--name", create_o->name, "Display name (required)")->required();
  create->add_option("--plan", create_o->plan, "Plan tier (default starter)");
  create->add_flag("--platform", create_o->platform, "The platform partner: the fallback of resolve (at most one)");
  create->add_option("--primary-color", create_o->primary_color, "Brand colour #RRGGBB");
  create->add_option("--logo", create_o->logo, "Logo: https:// URL, or a JPEG/PNG file copied into the file store");
  create->add_option("--company-name", create_o->company_name, "Company name shown in branding (default --name)");
  create->add_flag("--if-not-exists", create_o->if_not_exists, "Exit 0 without change when the slug exists");
  create->add_flag("--dry-run", create_o->dry_run, "Create inside a transaction, show it, then roll back");
  on_run(create, dispatch, [create_o](Session& session) { return run_partner_create(*create_o, session); });
}

void add_read(CLI::App& partner, Dispatch& dispatch) {
  auto list_o = std::make_shared<PartnerListOptions>();
  auto* list = partner.add_subcommand("list", "List partners");
  list->add_option("--plan", list_o->plan, "Only partners on this plan");
  list->add_flag("--include-deleted", list_o->include_deleted, "Also list deleted partners");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_partner_list(*list_o, session); });

  auto show_o = std::make_shared<PartnerShowOptions>();
  auto* show = partner.add_subcommand("show", "Show a partner with its domains and workspace count");
  show->add_option("PARTNER", show_o->partner, "Partner id or slug")->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_partner_show(*show_o, session); });

  auto resolve_o = std::make_shared<PartnerResolveOptions>();
  auto* resolve = partner.add_subcommand("resolve", "Which partner serves HOSTNAME (white-label resolution)");
  resolve->add_option("HOSTNAME", resolve_o->hostname, "Host name, optionally with :port")->required();
  on_run(resolve, dispatch, [resolve_o](Session& session) { return run_partner_resolve(*resolve_o, session); });
}

void add_change(CLI::App& partner, Dispatch& dispatch) {
  auto update_o = std::make_shared<PartnerUpdateOptions>();
  auto* update = partner.add_subcommand("update", "Change name, plan, branding, limits or features");
  update->add_option("PARTNER", update_o->partner, "Partner id or slug")->required();
  update->add_option("--name", update_o->name, "Display name");
  update->add_option("--plan", update_o->plan, "Plan tier: resets features and limits to its defaults");
  update->add_option("--primary-color", update_o->primary_color, "Brand colour #RRGGBB (empty removes it)");
  update->add_option("--secondary-color", update_o->secondary_color, "Second colour #RRGGBB (empty removes it)");
  update->add_option("--logo", update_o->logo,
                     "Logo: https:// URL, or a JPEG/PNG file copied into the file store (empty removes it)");
  update->add_option("--company-name", update_o->company_name, "Company name shown in branding");
  update->add_option("--invoice-tax-rate", update_o->invoice_tax_rate,
                     "Tax the partner's usage invoices add, in percent (e.g. 5 or 7.5)");
  update->add_option("--limit", update_o->limits, "Resource limit KEY=N (repeatable)")->allow_extra_args(false);
  update->add_option("--feature", update_o->features, "Feature KEY=true|false (repeatable)")->allow_extra_args(false);
  update->add_flag("--dry-run", update_o->dry_run, "Update inside a transaction, show it, then roll back");
  on_run(update, dispatch, [update_o](Session& session) { return run_partner_update(*update_o, session); });

  auto delete_o = std::make_shared<PartnerDeleteOptions>();
  auto* del = partner.add_subcommand("delete", "Soft-delete a partner (restore undoes it)");
  del->add_option("PARTNER", delete_o->partner, "Partner id or slug")->required();
  del->add_flag("-y,--yes", delete_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  del->add_flag("--dry-run", delete_o->dry_run, "Show what would be deleted; change nothing");
  on_run(del, dispatch, [delete_o](Session& session) { return run_partner_delete(*delete_o, session); });

  auto restore_o = std::make_shared<PartnerRestoreOptions>();
  auto* restore = partner.add_subcommand("restore", "Undo the deletion of a partner");
  restore->add_option("PARTNER", restore_o->partner, "Partner id or slug")->required();
  restore->add_flag("--dry-run", restore_o->dry_run, "Show what would be restored; change nothing");
  on_run(restore, dispatch, [restore_o](Session& session) { return run_partner_restore(*restore_o, session); });
}

}  // namespace

void register_partner(CLI::App& root, Dispatch& dispatch) {
  auto* partner = root.add_subcommand("partner", "Manage partners: requests, provisioning, branding, resolution");
  partner->require_subcommand(1);
  register_partner_request(*partner, dispatch);
  add_provision_and_create(*partner, dispatch);
  add_read(*partner, dispatch);
  add_change(*partner, dispatch);
}

}  // namespace wfa
