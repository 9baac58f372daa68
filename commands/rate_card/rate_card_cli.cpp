// Flags of `wfa rate-card`.
#include "cli/command_cli.hpp"
#include "commands/rate_card/rate_card.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

void register_rate_card(CLI::App& root, Dispatch& dispatch) {
  auto* rate_card =
      root.add_subcommand("rate-card", "Manage locations' rate cards (prices per duration and validity window)");
  rate_card->require_subcommand(1);
  const char* workspace_help = "Workspace: id or PARTNER/SLUG, e.g. acme/main";

  auto set_o = std::make_shared<RateCardSetOptions>();
  auto* set = rate_card->add_subcommand(
      "set", "Create a rate card, or update the one with the same location, duration and start");
  set->add_option("LOCATION", set_o->location, "Location key")->required();
  set->add_option("--workspace", set_o->workspace, workspace_help)->required();
  set->add_option("--net-rate", set_o->net_rate,
                  "Net rate in major units, e.g. 15000 or 1500.50 (required for a new card)");
  set->add_option("--upload-fee", set_o->upload_fee,
                  "Upload fee in major units, charged once per campaign (default 0)");
  set->add_option("--municipality-fee-pct", set_o->municipality_fee_pct,
                  "Municipality fee as a percentage of net, e.g. 5 (default 0)");
  set->add_option("--duration-weeks", set_o->duration_weeks, "Duration the card prices, in weeks (default 1)");
  set->add_option("--currency", set_o->currency, "Currency code (default AED); see `wfa currency list`");
  set->add_option("--valid-from", set_o->valid_from, "First day the card applies, YYYY-MM-DD")->required();
  set->add_option("--valid-to", set_o->valid_to, "Last day the card applies, inclusive (default: open-ended)");
  set->add_flag("--dry-run", set_o->dry_run, "Check and show the card; change nothing");
  on_run(set, dispatch, [set_o](Session& session) { return run_rate_card_set(*set_o, session); });

  auto import_o = std::make_shared<RateCardImportOptions>();
  auto* import = rate_card->add_subcommand("import", "Set rate cards from a CSV file (all rows or none)");
  import->add_option("FILE", import_o->file, "CSV file with location_key and net_rate columns")->required();
  import->add_option("--encoding", import_o->encoding,
                     "Text encoding: auto (default: UTF-16 or UTF-8 by byte-order mark, else UTF-8), utf-8, utf-16, "
                     "windows-1252 or latin1");
  import->add_option("--workspace", import_o->workspace, workspace_help)->required();
  import->add_option("--valid-from", import_o->valid_from,
                     "Start of rows without valid_from, YYYY-MM-DD (default: today, UTC)");
  import->add_flag("--dry-run", import_o->dry_run, "Check the file and show what would change; change nothing");
  on_run(import, dispatch, [import_o](Session& session) { return run_rate_card_import(*import_o, session); });

  auto list_o = std::make_shared<RateCardListOptions>();
  auto* list = rate_card->add_subcommand("list", "List rate cards with amounts in major units");
  list->add_option("--workspace", list_o->workspace, workspace_help)->required();
  list->add_option("--location", list_o->location, "Only this location's cards");
  list->add_option("--on", list_o->on, "Only cards in force on this date, YYYY-MM-DD");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_rate_card_list(*list_o, session); });
}

}  // namespace wfa
