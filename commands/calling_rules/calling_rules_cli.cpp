// Flags of `wfa calling-rules`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/calling_rules/calling_rules.hpp"

namespace wfa {

void register_calling_rules(CLI::App& root, Dispatch& dispatch) {
  auto* rules = root.add_subcommand("calling-rules", "The calling law of each country: hours, days, attempts, notices");
  rules->require_subcommand(1);

  auto list_o = std::make_shared<CallingRulesListOptions>();
  auto* list = rules->add_subcommand("list", "List the calling rules of every country with rules of its own");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_calling_rules_list(*list_o, session); });

  auto set_o = std::make_shared<CallingRulesSetOptions>();
  auto* set = rules->add_subcommand("set", "Set a country's calling rules (super admins; unset fields are kept)");
  set->add_option("COUNTRY", set_o->country, "ISO 3166 code, e.g. AE, or 'default' for every other country")
      ->required();
  set->add_option("--days", set_o->days, "Weekdays calls are allowed, e.g. mon,tue,wed,thu,fri");
  set->add_option("--from", set_o->from, "Local time calls may start, HH:MM");
  set->add_option("--to", set_o->to, "Local time calls must stop by, HH:MM (exclusive)");
  set->add_option("--per-day", set_o->per_day, "Attempts per number per local day");
  set->add_option("--per-week", set_o->per_week, "Attempts per number per week");
  set->add_option("--refusal-ends-contact", set_o->refusal_ends_contact, "true: never call back after a refusal");
  set->add_option("--ai-consent", set_o->ai_consent, "true: AI voices need the called party's prior consent");
  set->add_option("--recording-notice", set_o->recording_notice, "true: the call must say it is recorded");
  set->add_option("--registered-caller", set_o->registered_caller,
                  "true: calls only from numbers registered to the company");
  set->add_option("--source", set_o->source, "The law or regulation, one line");
  set->add_flag("--dry-run", set_o->dry_run, "Show the rules as they would be; change nothing");
  on_run(set, dispatch, [set_o](Session& session) { return run_calling_rules_set(*set_o, session); });

  auto check_o = std::make_shared<CallingRulesCheckOptions>();
  auto* check = rules->add_subcommand("check", "Say whether a number may be called at a time, and when it next may");
  check->add_option("PHONE", check_o->phone, "The number, E.164 (e.g. +12125550123)")->required();
  check->add_option("--at", check_o->at, "The instant to check, ISO 8601 (default now)");
  check->add_option("--timezone", check_o->timezone, "The recipient's own time zone, e.g. America/Chicago");
  on_run(check, dispatch, [check_o](Session& session) { return run_calling_rules_check(*check_o, session); });
}

}  // namespace wfa
