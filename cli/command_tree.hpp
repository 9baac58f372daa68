#pragma once
/// The whole command tree: one register_* per noun, defined in commands/NOUN/NOUN_cli.cpp; app_cli.cpp calls them in
/// order.
#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace wfa {

void register_db(CLI::App& root, Dispatch& dispatch);
void register_serve(CLI::App& root, Dispatch& dispatch);
void register_worker(CLI::App& root, Dispatch& dispatch);
void register_job(CLI::App& root, Dispatch& dispatch);
void register_config(CLI::App& root, Dispatch& dispatch);
void register_partner(CLI::App& root, Dispatch& dispatch);
void register_domain(CLI::App& root, Dispatch& dispatch);
void register_workspace(CLI::App& root, Dispatch& dispatch);
void register_audit(CLI::App& root, Dispatch& dispatch);
void register_user(CLI::App& root, Dispatch& dispatch);
void register_super_admin(CLI::App& root, Dispatch& dispatch);
void register_member(CLI::App& root, Dispatch& dispatch);
void register_invite(CLI::App& root, Dispatch& dispatch);
void register_telegram(CLI::App& root, Dispatch& dispatch);
void register_app_agent(CLI::App& root, Dispatch& dispatch);
void register_webhooks(CLI::App& root, Dispatch& dispatch);
void register_notify(CLI::App& root, Dispatch& dispatch);
void register_mail(CLI::App& root, Dispatch& dispatch);
void register_perm(CLI::App& root, Dispatch& dispatch);
void register_location(CLI::App& root, Dispatch& dispatch);
void register_rate_card(CLI::App& root, Dispatch& dispatch);
void register_currency(CLI::App& root, Dispatch& dispatch);
void register_integration(CLI::App& root, Dispatch& dispatch);
void register_number(CLI::App& root, Dispatch& dispatch);
void register_agent(CLI::App& root, Dispatch& dispatch);
void register_agent_knowledge(CLI::App& agent, Dispatch& dispatch);
void register_knowledge(CLI::App& root, Dispatch& dispatch);
void register_calls(CLI::App& root, Dispatch& dispatch);
void register_secret(CLI::App& root, Dispatch& dispatch);
void register_proposal(CLI::App& root, Dispatch& dispatch);
void register_campaign(CLI::App& root, Dispatch& dispatch);
void register_lead(CLI::App& root, Dispatch& dispatch);
void register_booking(CLI::App& root, Dispatch& dispatch);
void register_calling_rules(CLI::App& root, Dispatch& dispatch);
void register_dnc(CLI::App& root, Dispatch& dispatch);
void register_cleanup(CLI::App& root, Dispatch& dispatch);
void register_mockup(CLI::App& root, Dispatch& dispatch);
void register_credits(CLI::App& root, Dispatch& dispatch);
void register_usage(CLI::App& root, Dispatch& dispatch);
void register_plan(CLI::App& root, Dispatch& dispatch);
void register_billing(CLI::App& root, Dispatch& dispatch);
void register_export(CLI::App& root, Dispatch& dispatch);
void register_costs(CLI::App& root, Dispatch& dispatch);

}  // namespace wfa
