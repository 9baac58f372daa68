// Flags of `wfa export`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/costs/costs.hpp"
#include "commands/export/export.hpp"
#include "commands/export/export_flags_cli.hpp"
#include "commands/lead/lead.hpp"

namespace wfa {

namespace {

/// add_export makes the verb NAME with the flags every export shares, bound to O.
CLI::App* add_export(CLI::App* exports, const std::string& name, const std::string& help, ExportOptions& o,
                     const std::string& since_of) {
  auto* verb = exports->add_subcommand(name, help);
  add_export_flags(verb, o, since_of);
  verb->add_flag("--enqueue", o.enqueue,
                 "Enqueue an export job (give --format); its file lands in the batch's output; return at once");
  return verb;
}

}  // namespace

void register_export(CLI::App& root, Dispatch& dispatch) {
  auto* exports = root.add_subcommand(
      "export", "Write calls, usage, recipients, proposals, leads, audit, invoices or costs to XLSX, CSV or JSON");
  exports->require_subcommand(1);

  auto calls_o = std::make_shared<ExportCallsOptions>();
  auto* calls = add_export(exports, "calls", "Calls in start order", *calls_o, "calls started");
  on_run(calls, dispatch, [calls_o](Session& session) { return run_export_calls(*calls_o, session); });

  auto usage_o = std::make_shared<ExportUsageOptions>();
  auto* usage = add_export(exports, "usage", "Closed months per workspace", *usage_o, "months that end");
  usage->add_option("--partner", usage_o->partner, "Only this partner's workspaces (id or slug)");
  on_run(usage, dispatch, [usage_o](Session& session) { return run_export_usage(*usage_o, session); });

  auto recipients_o = std::make_shared<ExportRecipientsOptions>();
  auto* recipients = add_export(exports, "recipients", "Campaign recipients", *recipients_o, "recipients added");
  recipients->add_option("--campaign", recipients_o->campaign, "Only this campaign (id or PARTNER/WORKSPACE/NAME)");
  on_run(recipients, dispatch,
         [recipients_o](Session& session) { return run_export_recipients(*recipients_o, session); });

  auto proposals_o = std::make_shared<ExportProposalsOptions>();
  auto* proposals = add_export(exports, "proposals", "The proposals log", *proposals_o, "proposals made");
  on_run(proposals, dispatch, [proposals_o](Session& session) { return run_export_proposals(*proposals_o, session); });

  auto leads_o = std::make_shared<LeadExportOptions>();
  auto* leads =
      add_export(exports, "leads", "The leads you may see, as wfa lead export writes them", *leads_o, "leads created");
  on_run(leads, dispatch, [leads_o](Session& session) { return run_lead_export(*leads_o, session); });

  auto audit_o = std::make_shared<ExportAuditOptions>();
  auto* audit = add_export(exports, "audit", "Audit entries, oldest first", *audit_o, "entries recorded");
  audit->add_option("--partner", audit_o->partner, "Only entries of this partner (id or slug)");
  on_run(audit, dispatch, [audit_o](Session& session) { return run_export_audit(*audit_o, session); });

  auto invoices_o = std::make_shared<ExportInvoicesOptions>();
  auto* invoices =
      add_export(exports, "invoices", "Invoices of partners and workspaces", *invoices_o, "invoices created");
  invoices->add_option("--partner", invoices_o->partner, "Only this partner's invoices (id or slug)");
  on_run(invoices, dispatch, [invoices_o](Session& session) { return run_export_invoices(*invoices_o, session); });

  auto costs_o = std::make_shared<ExportCostsOptions>();
  auto* costs = add_export(exports, "costs", "Calls' costs by model, provider, agent, workspace or day (wfa costs)",
                           *costs_o, "calls started");
  costs->add_option("--by", costs_o->by, "Group by model, provider, agent, workspace (default) or day")
      ->check(CLI::IsMember(cost_groupings));
  costs->add_option("--partner", costs_o->partner, "Only this partner's workspaces (id or slug)");
  on_run(costs, dispatch, [costs_o](Session& session) { return run_export_costs(*costs_o, session); });
}

}  // namespace wfa
