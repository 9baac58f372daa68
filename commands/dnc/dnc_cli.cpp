// Flags of `wfa dnc`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/campaign/recipient_flags_cli.hpp"
#include "commands/dnc/dnc.hpp"

namespace wfa {

namespace {

const std::vector<std::string> scopes = {"workspace", "partner", "platform"};

void add_scope(CLI::App* command, DncScope& s) {
  command->add_option("--scope", s.scope, "workspace (default), partner or platform")->check(CLI::IsMember(scopes));
  command->add_option("--workspace", s.workspace, "Workspace: id or PARTNER/SLUG (with --scope workspace)");
  command->add_option("--partner", s.partner, "Partner: id or slug (with --scope partner)");
}

}  // namespace

void register_dnc(CLI::App& root, Dispatch& dispatch) {
  auto* dnc = root.add_subcommand("dnc", "Do-not-call lists of a workspace, a partner or the platform");
  dnc->require_subcommand(1);

  auto add_o = std::make_shared<DncAddOptions>();
  auto* add = dnc->add_subcommand("add", "Put numbers on a do-not-call list");
  add->add_option("PHONE", add_o->phones, "Numbers, with their country code or --default-country")->required();
  add_scope(add, add_o->list);
  add->add_option("--default-country", add_o->default_country, "Country of numbers without a country code");
  add->add_option("--note", add_o->note, "Why (workspace lists), one line");
  add->add_option("--registry", add_o->registry, "The registry the numbers come from (partner and platform lists)");
  add->add_flag("--dry-run", add_o->dry_run, "Count what would be added; change nothing");
  on_run(add, dispatch, [add_o](Session& session) { return run_dnc_add(*add_o, session); });

  auto import_o = std::make_shared<DncImportOptions>();
  auto* import = dnc->add_subcommand("import", "Load a CSV file's numbers onto a list (all or nothing, by COPY)");
  import->add_option("FILE", import_o->file, "CSV file with a header row")->required();
  add_scope(import, import_o->list);
  import->add_option("--column", import_o->column, "The phone column's header (default: phone, number, mobile, ...)");
  import->add_option("--default-country", import_o->default_country, "Country of numbers without a country code");
  import->add_option("--registry", import_o->registry, "The registry the file is from, e.g. uae-dncr");
  add_encoding_flag(import, import_o->encoding);
  import->add_flag("--dry-run", import_o->dry_run, "Read and count; import nothing");
  on_run(import, dispatch, [import_o](Session& session) { return run_dnc_import(*import_o, session); });

  auto list_o = std::make_shared<DncListOptions>();
  auto* list = dnc->add_subcommand("list", "List the numbers on a do-not-call list");
  add_scope(list, list_o->list);
  list->add_option("--registry", list_o->registry, "Only numbers from this registry (partner and platform lists)");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_dnc_list(*list_o, session); });

  auto remove_o = std::make_shared<DncRemoveOptions>();
  auto* remove = dnc->add_subcommand("remove", "Take numbers off a do-not-call list");
  remove->add_option("PHONE", remove_o->phones, "Numbers")->required();
  add_scope(remove, remove_o->list);
  remove->add_option("--default-country", remove_o->default_country, "Country of numbers without a country code");
  remove->add_flag("--dry-run", remove_o->dry_run, "Count what would be removed; change nothing");
  on_run(remove, dispatch, [remove_o](Session& session) { return run_dnc_remove(*remove_o, session); });

  auto check_o = std::make_shared<DncCheckOptions>();
  auto* check = dnc->add_subcommand("check", "Say which do-not-call lists reaching a workspace hold a number");
  check->add_option("PHONE", check_o->phone, "The number")->required();
  check->add_option("--workspace", check_o->workspace, "Workspace: id or PARTNER/SLUG")->required();
  check->add_option("--default-country", check_o->default_country, "Country of a number without a country code");
  on_run(check, dispatch, [check_o](Session& session) { return run_dnc_check(*check_o, session); });
}

}  // namespace wfa
