// Flags of `wfa domain`.
#include "cli/command_cli.hpp"
#include "commands/domain/domain.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

void register_domain(CLI::App& root, Dispatch& dispatch) {
  auto* domain = root.add_subcommand("domain", "Manage partners' domains and their DNS verification");
  domain->require_subcommand(1);

  auto add_o = std::make_shared<DomainAddOptions>();
  auto* add = domain->add_subcommand("add", "Add an unverified domain to a partner and print its TXT record");
  add->add_option("HOSTNAME", add_o->hostname, "Hostname, e.g. app.example.com")->required();
  add->add_option("--partner", add_o->partner, "Partner (id or slug)")->required();
  add->add_flag("--primary", add_o->primary, "Refused: a new domain is unverified; verify it, then set-primary");
  add->add_flag("--if-not-exists", add_o->if_not_exists, "A domain the partner already has is success, unchanged");
  add->add_flag("--dry-run", add_o->dry_run, "Show the domain that would be added; change nothing");
  on_run(add, dispatch, [add_o](Session& session) { return run_domain_add(*add_o, session); });

  auto list_o = std::make_shared<DomainListOptions>();
  auto* list = domain->add_subcommand("list", "List domains");
  list->add_option("--partner", list_o->partner, "Only domains of this partner (id or slug)");
  auto* verified = list->add_flag("--verified", list_o->verified, "Only verified domains");
  list->add_flag("--unverified", list_o->unverified, "Only domains waiting for verification")->excludes(verified);
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_domain_list(*list_o, session); });

  auto verify_o = std::make_shared<DomainVerifyOptions>();
  auto* verify =
      domain->add_subcommand("verify", "Check the DNS TXT record _wfa-verify.HOSTNAME and mark the domain verified");
  verify->add_option("HOSTNAME", verify_o->hostname, "Hostname of the domain")->required();
  verify->add_flag("--dry-run", verify_o->dry_run, "Check the record; change nothing");
  on_run(verify, dispatch, [verify_o](Session& session) { return run_domain_verify(*verify_o, session); });

  auto primary_o = std::make_shared<DomainSetPrimaryOptions>();
  auto* primary = domain->add_subcommand("set-primary", "Make a verified domain its partner's primary domain");
  primary->add_option("HOSTNAME", primary_o->hostname, "Hostname of the domain")->required();
  primary->add_flag("--dry-run", primary_o->dry_run, "Show the change; change nothing");
  on_run(primary, dispatch, [primary_o](Session& session) { return run_domain_set_primary(*primary_o, session); });

  auto remove_o = std::make_shared<DomainRemoveOptions>();
  auto* remove = domain->add_subcommand("remove", "Remove a domain from its partner");
  remove->add_option("HOSTNAME", remove_o->hostname, "Hostname of the domain")->required();
  remove->add_flag("-y,--yes", remove_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  remove->add_flag("--dry-run", remove_o->dry_run, "Show the domain that would be removed; change nothing");
  on_run(remove, dispatch, [remove_o](Session& session) { return run_domain_remove(*remove_o, session); });
}

}  // namespace wfa
