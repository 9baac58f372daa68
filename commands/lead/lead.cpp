// `wfa lead create|list|show`.
#include "commands/lead/lead.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/listing.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "commands/lead/lead_rules.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

Result run_lead_create(const LeadCreateOptions& o, Session& session) {
  LeadValues values;
  values.phone = read_lead_phone(phone_reader_for(o.default_country, session), "PHONE", o.phone);
  check_lead_fields(o.fields, session, values);
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "crm:leads:create");
  auto owner = new_lead_owner(tx, session, ws, o.workspace, o.owner);
  if (!tx.exec_params("SELECT 1 FROM leads WHERE workspace_id = $1::uuid AND phone_e164 = $2", ws.id, values.phone)
           .empty())
    throw ConflictError("a lead with phone " + values.phone + " already exists in workspace " + o.workspace,
                        "see it with `wfa lead show " + values.phone + " --workspace " + o.workspace + "`");
  LeadUpsert made;
  try {
    made = upsert_lead(tx, ws, values, "manual", owner, session.actor());
  } catch (const pqxx::unique_violation&) {
    throw ConflictError("a lead with phone " + values.phone + " was created by another run at the same time",
                        "see it with `wfa lead show " + values.phone + " --workspace " + o.workspace + "`");
  }
  Result r;
  r.fields = lead_fields(tx, ws.id, made.id);
  record_audit(tx, {session.actor(), "lead.create", "lead", made.id, ws.partner_id, ws.id, "",
                    nlohmann::json{{"phone", values.phone}, {"owner_user_id", owner ? *owner : ""}}.dump(), ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "created lead " + values.phone,
                             "would create lead " + values.phone);
}

Result run_lead_list(const LeadListOptions& o, Session& session) {
  if (o.status) check_choice(session.option("status"), *o.status, lead_statuses, "a lead status");
  auto tx = list_transaction(session);
  auto ws = workspace_for(*tx, session, o.workspace, "workspace:leads:read");
  std::optional<std::string> owner;
  if (o.owner) owner = member_id(*tx, ws, o.workspace, *o.owner);
  ListQuery query("lead list", "leads");
  query
      .select(
          "l.phone_e164 AS phone, l.first_name, l.last_name, l.company, l.status, l.source, u.email AS owner,"
          " l.note_count AS notes, " +
          utc_sql("l.created_at") + " AS created_at, l.id")
      .from("leads l LEFT JOIN users u ON u.id = l.owner_user_id")
      .where("l.workspace_id = ?::uuid", ws.id)
      .where("l.status = ?", o.status)
      .where("l.owner_user_id = ?::uuid", owner)
      .order_by({{"l.created_at", "timestamptz"}, {"l.id", "uuid"}})
      .machine_columns(1)
      .when_empty("no leads in workspace " + o.workspace);
  only_visible_leads(*tx, session, ws, query);
  return list_rows(tx, query, o.paging, session);
}

Result run_lead_show(const LeadShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto lead = lead_for(tx, session, o.workspace, o.lead, "crm:leads:read");
  Result r;
  r.fields = lead_fields(tx, lead.workspace.id, lead.id);
  ListQuery notes("lead show", "notes");
  notes.select(utc_sql("n.created_at") + " AS created_at, n.author, n.body")
      .from("lead_notes n")
      .where("n.workspace_id = ?::uuid", lead.workspace.id)
      .where("n.lead_id = ?::uuid", lead.id)
      .order_by({{"n.created_at", "timestamptz"}, {"n.id", "uuid"}});
  r.tables.push_back(query_table(tx, notes));
  return r;
}

}  // namespace wfa
