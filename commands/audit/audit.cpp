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
      .select(
          "id, created_at, actor, action, entity_type, entity_id, partner_id::text, workspace_id::text,"
          " old_values, new_values, metadata, origin")
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
      .when_empty("no audit entries");
  return list_rows(tx, query, options.paging, session);
}

}  // namespace wfa
