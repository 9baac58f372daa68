// The sales module: recent proposals (those the actor may read) and mockups, the locations; a proposal for a location
// through `proposal generate`.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/app_agent/app_agent_modules.hpp"
#include "commands/perm/record_access.hpp"
#include "commands/proposal/proposal.hpp"
#include "commands/proposal/proposal_rules.hpp"
#include "core/error.hpp"
#include "core/file_store.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/utc_time.hpp"

namespace wfa {

namespace {

/// sales_data shows the figures, the 20 latest proposals the actor may read (proposal_read_all, else record access),
/// the latest mockups and the locations.
Result sales_data(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws) {
  Result r;
  auto reader = record_reader(tx, session, ws, proposal_read_all);
  const std::string visible =
      " AND ($2::uuid IS NULL OR " + record_reachable_sql("proposal", "workspace_id", "proposal_id", "$2") + ")";
  auto figures = tx.exec_params(
      "SELECT (SELECT count(*) FROM locations WHERE workspace_id = $1::uuid),"
      " (SELECT count(*) FROM proposals_log WHERE workspace_id = $1::uuid AND created_at >= now() - interval '30"
      " days'" +
          visible + ")",
      ws.id, reader);
  r.fields = {{"locations", Cell(figures[0][0].as<std::int64_t>())},
              {"proposals_30d", Cell(figures[0][1].as<std::int64_t>())}};
  r.tables.push_back(to_table(
      tx.exec_params("SELECT proposal_id AS id, client_name AS client, start_date::text AS"
                     " start, total, currency, " +
                         utc_sql("created_at") + " AS created_at FROM proposals_log WHERE workspace_id = $1::uuid" +
                         visible + " ORDER BY created_at DESC, id LIMIT 20",
                     ws.id, reader),
      "proposals"));
  r.tables.push_back(module_table(
      tx, "mockups",
      "SELECT f.id, l.location_key AS location, f.width, f.height, " + utc_sql("f.created_at") +
          " AS created_at FROM mockup_files f JOIN locations l ON l.id = f.location_id WHERE f.workspace_id ="
          " $1::uuid ORDER BY f.created_at DESC, f.id LIMIT 20",
      ws.id));
  r.tables.push_back(module_table(tx, "locations",
                                  "SELECT location_key AS key, display_name AS name FROM locations WHERE workspace_id ="
                                  " $1::uuid ORDER BY location_key LIMIT 200",
                                  ws.id));
  return r;
}

Result sales_act(Session& session, const WorkspaceRef& ws, const std::string& label, const AppAgentActionOptions& o) {
  ProposalGenerateOptions p;
  p.workspace = label;
  p.client = action_param(o, "client");
  p.locations = {action_param(o, "location")};
  p.start = utc_now_text().substr(0, 10);
  p.out_dir = (file_store_root(session) / "proposals" / ws.id).string();
  if (o.dry_run) {
    Result r;
    r.message = "would generate a proposal for " + p.client + " at " + p.locations.front();
    return r;
  }
  return run_proposal_generate(p, session);
}

}  // namespace

const AppAgentModule& sales_module() {
  static const AppAgentModule module{
      "sales", {{"proposal", "Proposal", {"location=locations.key", "client"}}}, sales_data, sales_act};
  return module;
}

}  // namespace wfa
