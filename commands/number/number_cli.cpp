// Flags of `wfa number`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/number/number.hpp"
#include "commands/number/number_rules.hpp"
#include "pipelines/providers/number_payload.hpp"
#include "pipelines/providers/provider.hpp"

namespace wfa {

namespace {

const char* const workspace_help = "Workspace: id or PARTNER/SLUG, e.g. acme/main";
const char* const number_help = "Number: E.164 (e.g. +14155550100), its id, or the provider's id for it";

void add_workspace(CLI::App* verb, std::string& workspace) {
  verb->add_option("--workspace", workspace, workspace_help)->required();
}

void add_provider(CLI::App* verb, std::string& provider) {
  verb->add_option("PROVIDER", provider, "vapi, retell or synthflow (the workspace's integration)")
      ->required()
      ->check(CLI::IsMember(voice_providers));
}

void register_acquire(CLI::App* number, Dispatch& dispatch) {
  auto create_o = std::make_shared<NumberCreateOptions>();
  auto* create = number->add_subcommand("create", "Get a new number from the provider in an area code (VAPI, Retell)");
  add_provider(create, create_o->provider);
  add_workspace(create, create_o->workspace);
  create->add_option("--area-code", create_o->area_code, "Three-digit US area code, e.g. 415")->required();
  create->add_flag("--dry-run", create_o->dry_run, "Check rights, integration and limit; ask the provider nothing");
  on_run(create, dispatch, [create_o](Session& session) { return run_number_create(*create_o, session); });

  auto import_o = std::make_shared<NumberImportOptions>();
  auto* import = number->add_subcommand("import", "Import a number from Twilio, Vonage, Telnyx or a BYO SIP trunk");
  add_provider(import, import_o->provider);
  import->add_option("NUMBER", import_o->number, "The number, E.164 (e.g. +14155550100)")->required();
  add_workspace(import, import_o->workspace);
  import->add_option("--source", import_o->source, "twilio, vonage, telnyx or sip")
      ->required()
      ->check(CLI::IsMember(number_import_sources));
  import->add_option("--termination-uri", import_o->termination_uri,
                     "SIP trunk address for outbound calls, HOST or sip:HOST[:PORT] (every Retell and Synthflow "
                     "import; VAPI sip)");
  import->add_option("--provider-workspace", import_o->provider_workspace,
                     "Synthflow only: the id of its workspace the number joins");
  import->add_option("--credentials-file", import_o->credentials_file,
                     "JSON file of the credentials, or - for standard input (the default); never on the command line");
  import->add_option("--default-country", import_o->default_country,
                     "ISO country for a number written without its country code, e.g. US");
  import->add_flag("--dry-run", import_o->dry_run, "Check everything here; ask the provider nothing");
  on_run(import, dispatch, [import_o](Session& session) { return run_number_import(*import_o, session); });

  auto adopt_o = std::make_shared<NumberAdoptOptions>();
  auto* adopt = number->add_subcommand("adopt", "Take over a number the provider account already has");
  add_provider(adopt, adopt_o->provider);
  adopt
      ->add_option("PROVIDER_ID", adopt_o->provider_id,
                   "The provider's id: VAPI's phone-number id, Retell's E.164 number, Synthflow's slug")
      ->required();
  add_workspace(adopt, adopt_o->workspace);
  adopt->add_flag("--dry-run", adopt_o->dry_run, "Read the number at the provider; record nothing");
  on_run(adopt, dispatch, [adopt_o](Session& session) { return run_number_adopt(*adopt_o, session); });
}

void register_changes(CLI::App* number, Dispatch& dispatch) {
  auto assign_o = std::make_shared<NumberAssignOptions>();
  auto* assign = number->add_subcommand("assign", "Route a number's inbound calls to an agent, at the provider too");
  assign->add_option("NUMBER", assign_o->number, number_help)->required();
  assign->add_option("AGENT", assign_o->agent, "Agent: id or name, of the number's provider")->required();
  add_workspace(assign, assign_o->workspace);
  assign->add_flag("--dry-run", assign_o->dry_run, "Check the number and the agent; tell the provider nothing");
  on_run(assign, dispatch, [assign_o](Session& session) { return run_number_assign(*assign_o, session); });

  auto unassign_o = std::make_shared<NumberAssignOptions>();
  auto* unassign = number->add_subcommand("unassign", "Stop routing a number's inbound calls to its agent");
  unassign->add_option("NUMBER", unassign_o->number, number_help)->required();
  add_workspace(unassign, unassign_o->workspace);
  unassign->add_flag("--dry-run", unassign_o->dry_run, "Show the number; tell the provider nothing");
  on_run(unassign, dispatch, [unassign_o](Session& session) { return run_number_unassign(*unassign_o, session); });

  auto release_o = std::make_shared<NumberReleaseOptions>();
  auto* release = number->add_subcommand("release", "Delete a number at the provider and mark it released");
  release->add_option("NUMBER", release_o->number, number_help)->required();
  add_workspace(release, release_o->workspace);
  release->add_flag("-y,--yes", release_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  release->add_flag("--dry-run", release_o->dry_run, "Show the number that would be released; change nothing");
  on_run(release, dispatch, [release_o](Session& session) { return run_number_release(*release_o, session); });
}

}  // namespace

void register_number(CLI::App& root, Dispatch& dispatch) {
  auto* number = root.add_subcommand("number", "A workspace's phone numbers at its voice providers");
  number->require_subcommand(1);

  auto list_o = std::make_shared<NumberListOptions>();
  auto* list = number->add_subcommand("list", "List a workspace's phone numbers (credentials only as a hint)");
  add_workspace(list, list_o->workspace);
  list->add_option("--provider", list_o->provider, "Only numbers at vapi, retell or synthflow")
      ->check(CLI::IsMember(voice_providers));
  list->add_option("--status", list_o->status, "active (the default), released or all")
      ->check(CLI::IsMember(number_list_statuses));
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_number_list(*list_o, session); });

  register_acquire(number, dispatch);
  register_changes(number, dispatch);
}

}  // namespace wfa
