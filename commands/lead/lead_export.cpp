// `wfa lead export` and `wfa export leads`: the leads the actor may see, through the export engine's writers (XLSX,
// CSV, JSON, NDJSON), or as an export job with enqueue.
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/session.hpp"
#include "commands/export/export_rules.hpp"
#include "commands/lead/lead.hpp"
#include "commands/lead/lead_rules.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

Result run_lead_export(const LeadExportOptions& o, Session& session) {
  if (!o.workspace)
    throw UsageError(session.option("workspace") + " is required: leads are exported one workspace at a time",
                     "e.g. --workspace acme/main");
  auto target = export_target(o, session);
  auto tx = export_transaction(session);
  auto ws = workspace_for(*tx, session, *o.workspace, "crm:leads:export");
  ListQuery rows("lead export", "leads");
  rows.from("leads l LEFT JOIN users u ON u.id = l.owner_user_id").where("l.workspace_id = ?::uuid", ws.id);
  only_visible_leads(*tx, session, ws, rows);
  within(rows, export_window(*tx, session, o), "l.created_at");
  rows.order_by({{"l.created_at", "timestamptz"}, {"l.id", "uuid"}});
  std::vector<ExportColumn> columns = {{"lead_id", "l.id", ExportKind::uuid},
                                       {"phone", "l.phone_e164", ExportKind::text},
                                       {"first_name", "l.first_name", ExportKind::text},
                                       {"last_name", "l.last_name", ExportKind::text},
                                       {"email", "l.email", ExportKind::text},
                                       {"company", "l.company", ExportKind::text},
                                       {"status", "l.status"},
                                       {"source", "l.source"},
                                       {"owner", "u.email", ExportKind::text},
                                       {"notes", "l.note_count", ExportKind::integer},
                                       {"attributes", "l.attributes", ExportKind::json},
                                       {"created_at", "l.created_at", ExportKind::time},
                                       {"updated_at", "l.updated_at", ExportKind::time}};
  return run_export(tx, {"lead", "leads", "Leads", std::move(columns), std::move(rows), "leads", {}}, target, o,
                    session);
}

}  // namespace wfa
