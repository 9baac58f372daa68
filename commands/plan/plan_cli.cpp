// Flags of `wfa plan`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/plan/plan.hpp"
#include "commands/plan/plan_rules.hpp"

namespace wfa {

namespace {

void plan_terms_flags(CLI::App* verb, PlanWriteOptions& o) {
  verb->add_option("TIER", o.tier, "The plan's name, e.g. professional (lower-case letters, digits and _)")->required();
  verb->add_option("--name", o.name, "Display name, e.g. 'Professional'");
  verb->add_option("--price", o.price, "Price per period in major units, e.g. 499.00 (exact, no rounding)");
  verb->add_option("--currency", o.currency, "Currency code, e.g. USD (default USD)");
  verb->add_option("--period", o.period, "month or year (default month)")->check(CLI::IsMember(plan_periods));
  verb->add_option("--included-minutes", o.included_minutes, "Call minutes each period includes");
  verb->add_option("--overage-rate", o.overage_rate, "Price per minute past the included ones, major units");
  verb->add_option("--stripe-price", o.stripe_price, "Stripe's price id (price_...) for checkout; empty clears it");
  verb->add_option("--feature", o.features, "KEY=true|false, e.g. api_access=true; repeat for more");
  verb->add_option("--limit", o.limits, "KEY=N, e.g. max_workspaces=25; repeat for more");
  verb->add_flag("--dry-run", o.dry_run, "Show the plan as it would be; change nothing");
}

}  // namespace

void register_plan(CLI::App& root, Dispatch& dispatch) {
  auto* noun = root.add_subcommand("plan", "The catalogue of subscription plans: prices, minutes, features, limits");
  noun->require_subcommand(1);

  auto list_o = std::make_shared<PlanListOptions>();
  auto* list = noun->add_subcommand("list", "Plans on offer, by name");
  list->add_flag("--retired", list_o->retired, "Include retired plans");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_plan_list(*list_o, session); });

  auto show_o = std::make_shared<PlanShowOptions>();
  auto* show = noun->add_subcommand("show", "One plan: its terms, features, limits and live subscriptions");
  show->add_option("TIER", show_o->tier, "The plan's name")->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_plan_show(*show_o, session); });

  auto create_o = std::make_shared<PlanWriteOptions>();
  auto* create = noun->add_subcommand("create", "Add a plan to the catalogue (super admins)");
  plan_terms_flags(create, *create_o);
  create->add_flag("--if-not-exists", create_o->if_not_exists, "Succeed without change when the plan exists");
  on_run(create, dispatch, [create_o](Session& session) { return run_plan_create(*create_o, session); });

  auto update_o = std::make_shared<PlanWriteOptions>();
  auto* update = noun->add_subcommand("update", "Change a plan's terms (super admins)");
  plan_terms_flags(update, *update_o);
  on_run(update, dispatch, [update_o](Session& session) { return run_plan_update(*update_o, session); });

  auto retire_o = std::make_shared<PlanRetireOptions>();
  auto* retire = noun->add_subcommand("retire", "Take a plan off offer; its subscriptions keep it (super admins)");
  retire->add_option("TIER", retire_o->tier, "The plan's name")->required();
  retire->add_flag("--dry-run", retire_o->dry_run, "Show what would change; change nothing");
  on_run(retire, dispatch, [retire_o](Session& session) { return run_plan_retire(*retire_o, session); });
}

}  // namespace wfa
