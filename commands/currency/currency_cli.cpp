// Flags of `wfa currency`.
#include "cli/command_cli.hpp"
#include "commands/currency/currency.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

void register_currency(CLI::App& root, Dispatch& dispatch) {
  auto* currency = root.add_subcommand("currency", "Supported currencies and their exchange rates from AED");
  currency->require_subcommand(1);

  auto set_o = std::make_shared<CurrencySetOptions>();
  auto* set = currency->add_subcommand("set", "Set a currency's rate per 1 AED from a date");
  set->add_option("CODE", set_o->code, "Currency code, e.g. USD")->required();
  set->add_option("--rate", set_o->rate, "Units of CODE per 1 AED, up to 6 decimals, e.g. 0.272294")->required();
  set->add_option("--valid-from", set_o->valid_from, "First day the rate applies, YYYY-MM-DD (default: today, UTC)");
  set->add_option("--source", set_o->source, "Where the rate comes from, e.g. 'CBUAE 2026-01-05'");
  set->add_flag("--dry-run", set_o->dry_run, "Show the rate that would be set; change nothing");
  on_run(set, dispatch, [set_o](Session& session) { return run_currency_set(*set_o, session); });

  auto list_o = std::make_shared<CurrencyListOptions>();
  auto* list = currency->add_subcommand("list", "List supported currencies with the rate in force on a date");
  list->add_option("--on", list_o->on, "Date, YYYY-MM-DD (default: today, UTC)");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_currency_list(*list_o, session); });
}

}  // namespace wfa
