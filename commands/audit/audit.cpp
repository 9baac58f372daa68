#include "commands/audit/audit.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

const char* const change_summary_sql =
    "CASE WHEN old_values IS NULL AND new_values IS NULL THEN ''"
    " WHEN old_values IS NULL THEN 'created' WHEN new_values IS NULL THEN 'deleted'"
    " ELSE COALESCE((SELECT 'changed ' || string_agg(k, ', ' ORDER BY k) FROM (SELECT jsonb_object_keys(new_values)"
    " UNION SELECT jsonb_object_keys(old_values)) keys(k) WHERE k <> 'updated_at'"
    " AND new_values -> k IS DISTINCT FROM old_values -> k), 'no field changed') END";

Result run_audit_list(const AuditListOptions& options, Session& session) {
  auto tx = list_transaction(session);
  std::optional<std::string> partner_id, workspace_id, action_exact, action_prefix, entity_type, entity_id, since,
      until;
  if (options.partner) partner_id = partner_for(*tx, session, *options.partner, "partner:audit:read", true).id;
  if (options.workspace)
    workspace_id = workspace_for(*tx, session, *options.workspace, "workspace:audit:read", true).id;
  if (!partner_id && !workspace_id)
    require_super_admin(actor_of(*tx, session), "read the whole audit log (give --partner or --workspace)");
  if (options.action) {
    if (options.action->size() > 2 && options.action->substr(options.action->size() - 2) == ".*")
      action_prefix = options.action->substr(0, options.action->size() - 1);
    else
      action_exact = *options.action;
  }
  if (options.entity) {
    auto colon = options.entity->find(':');
    entity_type = options.entity->substr(0, colon);
    if (colon != std::string::npos) entity_id = options.entity->substr(colon + 1);
  }
  if (options.since) since = check_timestamp(session.option("since"), *options.since);
  if (options.until) until = check_timestamp(session.option("until"), *options.until);
  // A prefix is a range, so the (action, created_at) index serves it as it serves an exact action.
  std::optional<std::string> prefix_end;
  if (action_prefix) prefix_end = action_prefix->substr(0, action_prefix->size() - 1) + "/";
  ListQuery query("audit list", "entries");
  query
      .select(std::string("id, created_at, actor, action, entity_type, entity_id, ") + change_summary_sql +
              " AS summary, partner_id::text, workspace_id::text, old_values, new_values, metadata, origin")
      .from("audit_log")
      .where("partner_id = ?::uuid", partner_id)
      .where("workspace_id = ?::uuid", workspace_id)
      .where("action COLLATE \"C\" = ?", action_exact)
      .where("action COLLATE \"C\" >= ?", action_prefix)
      .where("action COLLATE \"C\" < ?", prefix_end)
      .where("actor = ?", options.actor)
      .where("entity_type = ?", entity_type)
      .where("entity_id = ?", entity_id)
      .where("created_at >= ?::timestamptz", since)
      .where("created_at < ?::timestamptz", until)
      .order_by({{"created_at", "timestamptz", true}, {"id", "bigint", true}})
      .machine_columns(6)
      .when_empty("no audit entries");
  return list_rows(tx, query, options.paging, session);
}

Result run_audit_show(const AuditShowOptions& o, Session& session) {
  if (o.id.empty() || o.id.size() > 18 || o.id.find_first_not_of("0123456789") != std::string::npos)
    throw InvalidInputError("audit entry id '" + o.id + "' is not a number", "give an id from `wfa audit list`");
  pqxx::read_transaction tx(session.read_database().ready());
  auto rows = tx.exec_params("SELECT id, " + utc_sql("created_at") +
                                 " AS created_at, actor, action, entity_type,"
                                 " entity_id, " +
                                 change_summary_sql +
                                 " AS summary, partner_id::text, workspace_id::text, old_values, new_values, metadata,"
                                 " origin FROM audit_log WHERE id = $1::bigint",
                             o.id);
  if (rows.empty()) throw NotFoundError("audit entry " + o.id + " not found", "list entries with `wfa audit list`");
  auto actor = actor_of(tx, session);
  if (!actor.super_admin) {
    const auto& row = rows[0];
    if (!row["workspace_id"].is_null())
      require_workspace(tx, actor, find_workspace(tx, row["workspace_id"].as<std::string>(), true),
                        row["workspace_id"].as<std::string>(), "workspace:audit:read");
    else if (!row["partner_id"].is_null())
      require_partner(tx, actor, row["partner_id"].as<std::string>(), row["partner_id"].as<std::string>(),
                      "partner:audit:read");
    else
      require_super_admin(actor, "read platform-wide audit entries");
  }
  Result r;
  r.fields = to_fields(rows);
  return r;
}

}  // namespace wfa
