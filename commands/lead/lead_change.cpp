// `wfa lead update|assign|note`: changes of one lead, each checked against the actor's rights on that lead.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/session.hpp"
#include "commands/lead/lead.hpp"
#include "commands/lead/lead_rules.hpp"
#include "commands/perm/record_access.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// snapshot is the lead's changeable columns as JSON, for the audit log.
std::string snapshot(pqxx::transaction_base& tx, const LeadRef& lead) {
  return tx
      .exec_params(
          "SELECT jsonb_build_object('first_name', first_name, 'last_name', last_name, 'email', email, 'company',"
          " company, 'status', status, 'owner_user_id', owner_user_id)::text FROM leads WHERE workspace_id = $1::uuid"
          " AND id = $2::uuid",
          lead.workspace.id, lead.id)[0][0]
      .as<std::string>();
}

}  // namespace

Result run_lead_update(const LeadUpdateOptions& o, Session& session) {
  if (o.status) check_choice(session.option("status"), *o.status, lead_statuses, "a lead status");
  LeadValues values;
  check_lead_fields(o.fields, session, values);
  if (!o.status && !values.first_name && !values.last_name && !values.email && !values.company)
    throw UsageError("nothing to update", "give a field to change, e.g. --status contacted or --company NAME");
  pqxx::work tx(session.database().ready());
  auto lead = lead_for(tx, session, o.workspace, o.lead, "crm:leads:update", true);
  if (o.status && *o.status != lead.status) check_transition(lead.phone, lead.status, *o.status);
  auto before = snapshot(tx, lead);
  auto text = [](const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; };
  tx.exec_params(
      "UPDATE leads SET first_name = COALESCE($3, first_name), last_name = COALESCE($4, last_name), email ="
      " COALESCE($5, email), company = COALESCE($6, company), status = COALESCE($7, status)"
      " WHERE workspace_id = $1::uuid AND id = $2::uuid",
      lead.workspace.id, lead.id, text(values.first_name), text(values.last_name), text(values.email),
      text(values.company), text(o.status));
  auto after = snapshot(tx, lead);
  Result r;
  r.fields = lead_fields(tx, lead.workspace.id, lead.id);
  if (after == before) {
    tx.abort();
    r.message = "lead " + lead.phone + " already has these values; nothing changed";
    return r;
  }
  record_audit(tx, {session.actor(), o.status && *o.status != lead.status ? "lead.status" : "lead.update", "lead",
                    lead.id, lead.workspace.partner_id, lead.workspace.id, before, after, ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "updated lead " + lead.phone,
                             "would update lead " + lead.phone);
}

Result run_lead_assign(const LeadAssignOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto lead = lead_for(tx, session, o.workspace, o.lead, "crm:leads:assign", true);
  auto owner = member_id(tx, lead.workspace, o.workspace, o.owner);
  auto before = snapshot(tx, lead);
  Result r;
  tx.exec_params("UPDATE leads SET owner_user_id = $3::uuid WHERE workspace_id = $1::uuid AND id = $2::uuid",
                 lead.workspace.id, lead.id, owner);
  auto after = snapshot(tx, lead);
  r.fields = lead_fields(tx, lead.workspace.id, lead.id);
  if (after == before) {
    tx.abort();
    r.message = "lead " + lead.phone + " is already owned by " + o.owner + "; nothing changed";
    return r;
  }
  set_record_owner(tx, lead.workspace.id, {"lead", lead.id}, owner, session.actor());
  record_audit(tx, {session.actor(), "lead.assign", "lead", lead.id, lead.workspace.partner_id, lead.workspace.id,
                    before, after, ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "assigned lead " + lead.phone + " to " + o.owner,
                             "would assign lead " + lead.phone + " to " + o.owner);
}

Result run_lead_note(const LeadNoteOptions& o, Session& session) {
  if (o.text.find_first_not_of(" \t\r\n") == std::string::npos || o.text.size() > 4000)
    throw InvalidInputError(
        "the note is " + std::string(o.text.size() > 4000 ? "longer than 4000 characters" : "empty"),
        "give the note's text, at most 4000 characters");
  pqxx::work tx(session.database().ready());
  auto lead = lead_for(tx, session, o.workspace, o.lead, "crm:leads:update");
  auto id = tx.exec_params(
                  "INSERT INTO lead_notes (workspace_id, lead_id, body, author) VALUES ($1::uuid, $2::uuid, $3, $4)"
                  " RETURNING id",
                  lead.workspace.id, lead.id, o.text, session.actor())[0][0]
                .as<std::string>();
  record_audit(tx, {session.actor(), "lead.note", "lead", lead.id, lead.workspace.partner_id, lead.workspace.id, "",
                    nlohmann::json{{"note_id", id}, {"body", o.text}}.dump(), ""});
  Result r;
  r.fields = lead_fields(tx, lead.workspace.id, lead.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "added a note to lead " + lead.phone,
                             "would add a note to lead " + lead.phone);
}

}  // namespace wfa
