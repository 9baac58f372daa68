// `wfa campaign create|list|show`.
#include "commands/campaign/campaign.hpp"

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/listing.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

void check_status_name(const std::optional<std::string>& status, const Session& session) {
  if (status) check_choice(session.option("status"), *status, campaign_statuses, "a campaign status");
}

}  // namespace

Result run_campaign_create(const CampaignCreateOptions& o, Session& session) {
  check_display_name("NAME", o.name, "give the campaign's name, e.g. 'Spring renewals'");
  if (o.name.find('/') != std::string::npos)
    throw InvalidInputError("campaign name '" + o.name + "' contains '/'",
                            "give a name without slashes, e.g. 'Spring renewals'");
  if (o.agent && !is_uuid(*o.agent))
    throw InvalidInputError(session.option("agent") + " '" + *o.agent + "' is not an agent id",
                            "give the agent's uuid");
  if (o.starts_at) check_timestamp(session.option("start"), *o.starts_at);
  if (o.ends_at) check_timestamp(session.option("end"), *o.ends_at);

  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:campaigns:create");
  check_timezone(tx, session.option("timezone"), o.timezone);
  check_local_time(tx, session.option("start"), o.starts_at, o.timezone);
  check_local_time(tx, session.option("end"), o.ends_at, o.timezone);
  auto ref = o.workspace + "/" + o.name;
  Result r;
  auto existing = tx.exec_params("SELECT id FROM campaigns WHERE workspace_id = $1::uuid AND name = $2", ws.id, o.name);
  if (!existing.empty()) {
    if (!o.if_not_exists)
      throw ConflictError("campaign " + ref + " already exists", "choose another name, or pass --if-not-exists");
    r.fields = campaign_fields(tx, existing[0][0].as<std::string>());
    r.message = "campaign " + ref + " already exists; nothing changed";
    return r;
  }
  std::string id;
  try {
    id = tx.exec_params(
               "INSERT INTO campaigns (workspace_id, name, agent_id, timezone, starts_at, ends_at, created_by)"
               " VALUES ($1::uuid, $2, $3::uuid, $4, " +
                   timestamp_sql(5, 4) + ", " + timestamp_sql(6, 4) + ", $7) RETURNING id",
               ws.id, o.name, o.agent, o.timezone, o.starts_at, o.ends_at, session.actor())[0][0]
             .as<std::string>();
  } catch (const pqxx::check_violation&) {
    throw InvalidInputError(session.option("end") + " of campaign " + ref + " is not after " + session.option("start"),
                            "give an end after the start");
  } catch (const pqxx::unique_violation&) {
    throw ConflictError("campaign " + ref + " was created by another run at the same time",
                        "show it with `wfa campaign show " + ref + "`");
  }
  record_audit(tx, {session.actor(), "campaign.create", "campaign", id, ws.partner_id, ws.id, "",
                    row_json(tx, "campaigns", id), ""});
  r.fields = campaign_fields(tx, id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "created campaign " + ref + " (draft)",
                             "would create campaign " + ref);
}

Result run_campaign_list(const CampaignListOptions& o, Session& session) {
  check_status_name(o.status, session);
  auto tx = list_transaction(session);
  std::optional<std::string> workspace_id;
  if (o.workspace) workspace_id = workspace_for(*tx, session, *o.workspace, "workspace:campaigns:read", true).id;
  ListQuery query("campaign list", "campaigns");
  only_visible_workspaces(*tx, session, query, "c.workspace_id");
  query
      .select(
          "p.slug || '/' || w.slug AS workspace, c.name, c.status, c.timezone, c.starts_at, c.ends_at,"
          " c.recipient_count AS recipients, c.id, c.created_at")
      .from("campaigns c JOIN workspaces w ON w.id = c.workspace_id JOIN partners p ON p.id = w.partner_id")
      .where("c.workspace_id = ?::uuid", workspace_id)
      .where("c.status = ?", o.status)
      .order_by({{"p.slug", "text"}, {"w.slug", "text"}, {"c.name", "text"}});
  return list_rows(tx, query, o.paging, session);
}

Result run_campaign_show(const CampaignShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto c = campaign_for(tx, session, o.campaign, "workspace:campaigns:read");
  Result r;
  r.fields = campaign_fields(tx, c.id);
  r.tables.push_back(
      to_table(tx.exec_params("SELECT id, file_name, rows_read, rows_imported, duplicates, rejected, actor, created_at"
                              " FROM campaign_imports WHERE workspace_id = $2::uuid AND campaign_id = $1::uuid"
                              " ORDER BY id",
                              c.id, c.workspace_id),
               "imports"));
  return r;
}

}  // namespace wfa
