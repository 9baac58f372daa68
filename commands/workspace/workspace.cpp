// `wfa workspace create|list|show`.
#include "commands/workspace/workspace.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/listing.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"
#include "commands/workspace/workspace_rules.hpp"

namespace wfa {

namespace {

/// overrides_json is the KEY=N overrides as the JSON object stored in workspaces.resource_limits.
std::string overrides_json(const std::map<std::string, std::int64_t>& overrides) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : overrides) out[key] = value;
  return out.dump();
}

}  // namespace

Result run_workspace_create(const WorkspaceCreateOptions& options, Session& session) {
  auto slug = check_slug("slug", options.slug);
  check_display_name(session.option("name"), options.name, "give the client's name, e.g. --name 'Acme Dental'");
  if (options.per_minute_rate_cents && *options.per_minute_rate_cents < 0)
    throw InvalidInputError(
        session.option("per-minute-rate-cents") + " " + std::to_string(*options.per_minute_rate_cents) + " is negative",
        "give a whole number of cents >= 0");
  auto overrides = parse_limit_overrides(options.limits, session);

  pqxx::work tx(session.database().ready());
  auto partner = lock_partner(tx, partner_for(tx, session, options.partner, "partner:workspaces:create").id);
  if (partner.deleted) throw NotFoundError("partner '" + options.partner + "' not found", "it was deleted meanwhile");
  auto ref = workspace_reference(partner.slug, slug);
  check_limit_overrides(tx, partner, overrides, session);
  Result r;
  auto existing = tx.exec_params(
      "SELECT id, deleted_at IS NOT NULL FROM workspaces WHERE partner_id = $1::uuid AND slug = $2", partner.id, slug);
  if (!existing.empty()) {
    if (existing[0][1].as<bool>())
      throw ConflictError("workspace " + ref + " exists but is deleted",
                          "restore it with `wfa workspace restore " + ref + "`");
    if (!options.if_not_exists)
      throw ConflictError("workspace " + ref + " already exists", "choose another slug, or pass --if-not-exists");
    r.fields = workspace_fields(tx, existing[0][0].as<std::string>());
    r.message = "workspace " + ref + " already exists; nothing changed";
    return r;
  }
  require_workspace_room(tx, partner, "create");
  std::string id;
  try {
    id = tx.exec_params(
               "INSERT INTO workspaces (partner_id, slug, name, resource_limits, per_minute_rate_cents, "
               "is_billing_exempt)"
               " VALUES ($1::uuid, $2, $3, $4::jsonb, COALESCE($5::bigint, 0), $6) RETURNING id",
               partner.id, slug, options.name, overrides_json(overrides), options.per_minute_rate_cents,
               options.billing_exempt)[0][0]
             .as<std::string>();
  } catch (const pqxx::unique_violation&) {
    throw ConflictError("workspace " + ref + " was created by another run at the same time",
                        "show it with `wfa workspace show " + ref + "`");
  }
  record_audit(tx, {session.actor(), "workspace.create", "workspace", id, partner.id, id, "",
                    row_json(tx, "workspaces", id), ""});
  r.fields = workspace_fields(tx, id);
  return commit_or_roll_back(tx, std::move(r), options.dry_run, "created workspace " + ref,
                             "would create workspace " + ref);
}

Result run_workspace_list(const WorkspaceListOptions& options, Session& session) {
  auto tx = list_transaction(session);
  std::optional<std::string> partner_id;
  if (options.partner) partner_id = find_partner(*tx, *options.partner, true).id;
  ListQuery query("workspace list", "workspaces");
  query
      .select(
          "p.slug AS partner, w.slug, w.name, w.status, w.current_month_minutes, w.current_month_cost,"
          " w.per_minute_rate_cents, w.is_billing_exempt, w.id, w.partner_id, w.created_at, w.deleted_at")
      .from("workspaces w JOIN partners p ON p.id = w.partner_id")
      .where("w.partner_id = ?::uuid", partner_id)
      .order_by({{"p.slug", "text"}, {"w.slug", "text"}});
  only_visible_workspaces(*tx, session, query, "w.id");
  if (!options.include_deleted) query.where("w.deleted_at IS NULL");
  return list_rows(tx, query, options.paging, session);
}

Result run_workspace_show(const WorkspaceShowOptions& options, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto workspace = workspace_for(tx, session, options.workspace, "workspace:workspace:read", true);
  Result r;
  r.fields = workspace_fields(tx, workspace.id);
  if (workspace.deleted)
    r.message = "workspace " + options.workspace + " is deleted; `wfa workspace restore` brings it back";
  return r;
}

}  // namespace wfa
