#include "commands/audit/audit.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"

namespace wfa {

Result run_audit_list(const AuditListOptions& options, Session& session) {
  if (options.limit < 0) throw UsageError(session.option("limit") + " must be 0 (no limit) or more");
  pqxx::read_transaction tx(session.database().ready());
  std::optional<std::string> partner_id, workspace_id, action_exact, action_prefix, entity_type, entity_id, since,
      until;
  if (options.partner) partner_id = find_partner(tx, *options.partner, true).id;
  if (options.workspace) workspace_id = find_workspace(tx, *options.workspace, true).id;
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
  // Every filter is a parameter; NULL means "not filtered".
  auto rows = tx.exec_params(
      "SELECT id, created_at, actor, action, entity_type, entity_id, partner_id::text, workspace_id::text,"
      " old_values, new_values, metadata, count(*) OVER () AS total"
      " FROM audit_log"
      " WHERE ($1::uuid IS NULL OR partner_id = $1::uuid) AND ($2::uuid IS NULL OR workspace_id = $2::uuid)"
      "   AND ($3::text IS NULL OR action = $3) AND ($4::text IS NULL OR starts_with(action, $4))"
      "   AND ($5::text IS NULL OR actor = $5) AND ($6::text IS NULL OR entity_type = $6)"
      "   AND ($7::text IS NULL OR entity_id = $7)"
      "   AND ($8::timestamptz IS NULL OR created_at >= $8::timestamptz)"
      "   AND ($9::timestamptz IS NULL OR created_at < $9::timestamptz)"
      " ORDER BY id DESC LIMIT $10",
      partner_id, workspace_id, action_exact, action_prefix, options.actor, entity_type, entity_id, since, until,
      options.limit == 0 ? std::optional<long>() : std::optional<long>(options.limit));
  return paged_table(rows, "entries");
}

}  // namespace wfa
