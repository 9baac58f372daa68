// `wfa export calls|audit`: the call log in start order and the audit log, as their list verbs find them.
#include <pqxx/transaction>

#include "commands/audit/audit.hpp"
#include "commands/export/export.hpp"
#include "commands/export/export_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/session.hpp"

namespace wfa {

Result run_export_calls(const ExportCallsOptions& o, Session& session) {
  auto target = export_target(o, session);
  auto tx = export_transaction(session);
  ListQuery rows("export calls", "calls");
  rows.from("conversations c");
  workspace_scope(*tx, session, o, rows, "c.workspace_id", "workspace:calls:export", "export every workspace's calls");
  within(rows, export_window(*tx, session, o), "c.started_at");
  rows.order_by({{"c.started_at", "timestamptz"}, {"c.id", "uuid"}});
  // The columns of a call list (bench W6): the provider's cost in dollars to 4 decimals, no transcript.
  std::vector<ExportColumn> columns = {{"id", "c.id", ExportKind::uuid},
                                       {"workspace_id", "c.workspace_id", ExportKind::uuid},
                                       {"provider", "c.provider"},
                                       {"external_call_id", "c.external_call_id", ExportKind::text},
                                       {"direction", "c.direction"},
                                       {"status", "c.status"},
                                       {"phone_number", "c.phone_number", ExportKind::text},
                                       {"started_at", "c.started_at", ExportKind::time},
                                       {"ended_at", "c.ended_at", ExportKind::time},
                                       {"duration_seconds", "c.duration_seconds", ExportKind::integer},
                                       {"total_cost", "c.total_cost_micros", ExportKind::money, "6", 4},
                                       {"summary", "c.summary", ExportKind::text}};
  return run_export(tx, {"call", "calls", "Calls", std::move(columns), std::move(rows), "calls", {}}, target, o,
                    session);
}

Result run_export_audit(const ExportAuditOptions& o, Session& session) {
  auto target = export_target(o, session);
  auto tx = export_transaction(session);
  ListQuery rows("export audit", "entries");
  rows.from("audit_log");
  if (o.partner)
    rows.where("partner_id = ?::uuid", partner_for(*tx, session, *o.partner, "partner:audit:read", true).id);
  if (o.workspace)
    rows.where("workspace_id = ?::uuid", workspace_for(*tx, session, *o.workspace, "workspace:audit:read", true).id);
  if (!o.partner && !o.workspace)
    require_super_admin(actor_of(*tx, session), "export the whole audit log (give " + session.option("partner") +
                                                    " or " + session.option("workspace") + ")");
  within(rows, export_window(*tx, session, o), "created_at");
  rows.order_by({{"created_at", "timestamptz"}, {"id", "bigint"}});
  std::vector<ExportColumn> columns = {{"id", "id", ExportKind::integer},
                                       {"created_at", "created_at", ExportKind::time},
                                       {"actor", "actor", ExportKind::text},
                                       {"action", "action"},
                                       {"entity_type", "entity_type"},
                                       {"entity_id", "entity_id", ExportKind::text},
                                       {"summary", change_summary_sql},
                                       {"partner_id", "partner_id", ExportKind::uuid},
                                       {"workspace_id", "workspace_id", ExportKind::uuid},
                                       {"old_values", "old_values", ExportKind::json},
                                       {"new_values", "new_values", ExportKind::json},
                                       {"metadata", "metadata", ExportKind::json},
                                       {"origin", "origin", ExportKind::json}};
  return run_export(
      tx,
      {"audit entry", "audit entries", "Audit", std::move(columns), std::move(rows), "audit", {{"partner", o.partner}}},
      target, o, session);
}

}  // namespace wfa
