// Flags of `wfa credits`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/credits/credits.hpp"

namespace wfa {

namespace {

constexpr const char* subject_help = "Workspace (PARTNER/SLUG or id) or partner (slug or id)";

void add_change(CLI::App* verb, CreditsChangeOptions& o, const char* amount_help) {
  verb->add_option("SUBJECT", o.subject, subject_help)->required();
  verb->add_option("AMOUNT", o.amount, amount_help)->required();
  verb->add_option("--key", o.key, "Idempotency key: the same change again with it is the same row");
  verb->add_option("--reference", o.reference, "What it pays for or comes from, e.g. a payment id");
  verb->add_flag("--dry-run", o.dry_run, "Show the new balance; change nothing");
}

}  // namespace

void register_credits(CLI::App& root, Dispatch& dispatch) {
  auto* credits = root.add_subcommand("credits", "Prepaid credit of workspaces and partners, and its ledger");
  credits->require_subcommand(1);

  auto show_o = std::make_shared<CreditsShowOptions>();
  auto* show = credits->add_subcommand("show", "Show the balance, its ledger's sum, the threshold and the state");
  show->add_option("SUBJECT", show_o->subject, subject_help)->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_credits_show(*show_o, session); });

  auto topup_o = std::make_shared<CreditsChangeOptions>();
  auto* topup = credits->add_subcommand("topup", "Add credit (a ledger row of reason topup)");
  add_change(topup, *topup_o, "Amount to add in major units, e.g. 25.00");
  topup->add_option("--note", topup_o->note, "A note kept with the row");
  on_run(topup, dispatch, [topup_o](Session& session) { return run_credits_topup(*topup_o, session); });

  auto adjust_o = std::make_shared<CreditsChangeOptions>();
  auto* adjust = credits->add_subcommand("adjust", "Correct the credit by a signed amount, saying why");
  add_change(adjust, *adjust_o, "Signed amount in major units, e.g. -5.00");
  adjust->add_option("--note", adjust_o->note, "Why (required)");
  on_run(adjust, dispatch, [adjust_o](Session& session) { return run_credits_adjust(*adjust_o, session); });

  auto ledger_o = std::make_shared<CreditsLedgerOptions>();
  auto* ledger = credits->add_subcommand("ledger", "List the credit's ledger, newest first");
  ledger->add_option("SUBJECT", ledger_o->subject, subject_help)->required();
  ledger->add_option("--reason", ledger_o->reason, "opening, topup, adjustment, usage, refund or grant");
  add_paging(ledger, ledger_o->paging);
  on_run(ledger, dispatch, [ledger_o](Session& session) { return run_credits_ledger(*ledger_o, session); });

  auto policy_o = std::make_shared<CreditsPolicyOptions>();
  auto* policy = credits->add_subcommand("policy", "Set the low-balance threshold and what happens at zero");
  policy->add_option("SUBJECT", policy_o->subject, subject_help)->required();
  policy->add_option("--low-balance", policy_o->low_balance,
                     "Threshold in major units under which the balance is low; none clears it");
  policy->add_option("--at-zero", policy_o->at_zero,
                     "Partners: allow_overage (calls go on) or suspend_agents (agents stop until a top-up)");
  policy->add_flag("--dry-run", policy_o->dry_run, "Show the result; change nothing");
  on_run(policy, dispatch, [policy_o](Session& session) { return run_credits_policy(*policy_o, session); });
}

}  // namespace wfa
