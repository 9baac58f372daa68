// `wfa export recipients|proposals`: campaign recipients and the proposals log of a workspace.
#include <pqxx/transaction>

#include "commands/campaign/campaign_rules.hpp"
#include "commands/export/export.hpp"
#include "commands/export/export_rules.hpp"
#include "commands/proposal/proposal_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

ExportKind export_kind(RecipientResultColumn::Kind kind) {
  switch (kind) {
    case RecipientResultColumn::Kind::integer:
      return ExportKind::integer;
    case RecipientResultColumn::Kind::time:
      return ExportKind::time;
    case RecipientResultColumn::Kind::boolean:
      return ExportKind::boolean;
    case RecipientResultColumn::Kind::code:
      break;
  }
  return ExportKind::code;
}

}  // namespace

Result run_export_recipients(const ExportRecipientsOptions& o, Session& session) {
  auto target = export_target(o, session);
  auto tx = export_transaction(session);
  ListQuery rows("export recipients", "recipients");
  rows.from(
      "campaign_recipients r JOIN campaigns c ON c.workspace_id = r.workspace_id AND c.id = r.campaign_id"
      " JOIN workspaces w ON w.id = r.workspace_id JOIN partners p ON p.id = w.partner_id" +
      std::string(recipient_attempts_join));
  if (o.campaign) {
    auto campaign = campaign_for(*tx, session, *o.campaign, "workspace:campaigns:export");
    rows.where("r.workspace_id = ?::uuid", campaign.workspace_id).where("r.campaign_id = ?::uuid", campaign.id);
  }
  workspace_scope(*tx, session, o, rows, "r.workspace_id", "workspace:campaigns:export",
                  "export every workspace's recipients", o.campaign.has_value());
  within(rows, export_window(*tx, session, o), "r.created_at");
  rows.order_by({{"r.id", "bigint"}});
  std::vector<ExportColumn> columns = {{"workspace", "p.slug || '/' || w.slug"},
                                       {"campaign", "c.name", ExportKind::text},
                                       {"phone", "r.phone", ExportKind::text},
                                       {"first_name", "r.first_name", ExportKind::text},
                                       {"last_name", "r.last_name", ExportKind::text},
                                       {"email", "r.email", ExportKind::text},
                                       {"company", "r.company", ExportKind::text},
                                       {"timezone", "r.timezone"},
                                       {"status", "r.status"},
                                       {"variables", "r.variables", ExportKind::json},
                                       {"created_at", "r.created_at", ExportKind::time}};
  for (const auto& column : recipient_result_columns())
    columns.push_back({column.name, column.sql, export_kind(column.kind)});
  return run_export(tx,
                    {"recipient",
                     "recipients",
                     "Recipients",
                     std::move(columns),
                     std::move(rows),
                     "recipients",
                     {{"campaign", o.campaign}}},
                    target, o, session);
}

Result run_export_proposals(const ExportProposalsOptions& o, Session& session) {
  auto target = export_target(o, session);
  auto tx = export_transaction(session);
  ListQuery rows("export proposals", "proposals");
  rows.from(
      "proposals_log l JOIN currencies cur ON cur.code = l.currency JOIN workspaces w ON w.id = l.workspace_id"
      " JOIN partners p ON p.id = w.partner_id");
  if (auto ws = workspace_scope(*tx, session, o, rows, "l.workspace_id", "workspace:proposals:export",
                                "export every workspace's proposals"))
    only_visible_proposals(*tx, session, *ws, rows, "l");
  within(rows, export_window(*tx, session, o), "l.created_at");
  rows.order_by({{"l.created_at", "timestamptz"}, {"l.id", "uuid"}});
  std::vector<ExportColumn> columns = {{"workspace", "p.slug || '/' || w.slug"},
                                       {"proposal_id", "l.proposal_id", ExportKind::text},
                                       {"client_name", "l.client_name", ExportKind::text},
                                       {"locations", "array_to_string(l.location_keys, ',')", ExportKind::text},
                                       {"start_date", "l.start_date", ExportKind::date},
                                       {"end_date", "l.end_date", ExportKind::date},
                                       {"currency", "l.currency"},
                                       {"amount", "l.total", ExportKind::money, "cur.exponent"},
                                       {"pages", "l.pages", ExportKind::integer},
                                       {"bytes", "l.bytes", ExportKind::integer},
                                       {"file_path", "l.file_path", ExportKind::text},
                                       {"created_by", "l.created_by", ExportKind::text},
                                       {"created_at", "l.created_at", ExportKind::time}};
  return run_export(tx, {"proposal", "proposals", "Proposals", std::move(columns), std::move(rows), "proposals", {}},
                    target, o, session);
}

}  // namespace wfa
