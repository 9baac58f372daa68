// `wfa workspace update|delete|restore`.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "commands/workspace/workspace.hpp"
#include "commands/workspace/workspace_rules.hpp"

namespace wfa {

namespace {

/// check_update refuses bad values before anything is read; flags the CLI already checked are re-checked here.
void check_update(const WorkspaceUpdateOptions& o, const std::map<std::string, std::int64_t>& overrides,
                  const Session& session) {
  if (!o.name && !o.status && o.limits.empty() && o.clear_limits.empty() && !o.per_minute_rate_cents &&
      !o.billing_exempt)
    throw UsageError("nothing to update for workspace " + o.workspace,
                     "give --name, --status, --limit, --clear-limit, --per-minute-rate-cents or --billing-exempt");
  if (o.name) check_display_name(session.option("name"), *o.name, "give the client's name");
  if (o.status) check_choice(session.option("status"), *o.status, workspace_statuses, "a workspace status");
  if (o.billing_exempt) check_choice(session.option("billing-exempt"), *o.billing_exempt, booleans, "true or false");
  if (o.per_minute_rate_cents && *o.per_minute_rate_cents < 0)
    throw InvalidInputError(
        session.option("per-minute-rate-cents") + " " + std::to_string(*o.per_minute_rate_cents) + " is negative",
        "give a whole number of cents >= 0");
  for (const auto& key : o.clear_limits)
    if (overrides.count(key))
      throw InvalidInputError(session.option("limit") + " and " + session.option("clear-limit") + " both name " + key,
                              "give one of them");
}

}  // namespace

Result run_workspace_update(const WorkspaceUpdateOptions& o, Session& session) {
  auto overrides = parse_limit_overrides(o.limits, session);
  check_update(o, overrides, session);
  pqxx::work tx(session.database().ready());
  auto ws = find_workspace(tx, o.workspace);
  auto partner = lock_partner(tx, ws.partner_id);
  auto ref = workspace_reference(partner.slug, ws.slug);
  auto actor = actor_of(tx, session);
  // Status, limits and billing are the partner's to set; the workspace's own admins may rename it.
  if (o.status || !o.limits.empty() || !o.clear_limits.empty() || o.per_minute_rate_cents || o.billing_exempt)
    require_partner(tx, actor, ws.partner_id, partner.slug, "partner:workspaces:update");
  else
    require_workspace(tx, actor, ws, ref, "workspace:settings:update");
  check_limit_overrides(tx, partner, overrides, session);
  auto current = tx.exec_params("SELECT resource_limits FROM workspaces WHERE id = $1::uuid FOR UPDATE", ws.id);
  auto limits = nlohmann::json::parse(current[0][0].as<std::string>());
  for (const auto& key : o.clear_limits) limits.erase(key);
  for (const auto& [key, value] : overrides) limits[key] = value;
  std::optional<bool> exempt;
  if (o.billing_exempt) exempt = *o.billing_exempt == "true";

  auto before = row_json(tx, "workspaces", ws.id);
  tx.exec_params(
      "UPDATE workspaces SET name = COALESCE($2, name), status = COALESCE($3, status), resource_limits = $4::jsonb,"
      " per_minute_rate_cents = COALESCE($5::bigint, per_minute_rate_cents),"
      " is_billing_exempt = COALESCE($6::boolean, is_billing_exempt) WHERE id = $1::uuid",
      ws.id, o.name, o.status, limits.dump(), o.per_minute_rate_cents, exempt);
  auto after = row_json(tx, "workspaces", ws.id);
  Result r;
  // updated_at moves on every UPDATE; only a change in some other column is a change.
  if (!row_changed(tx, before, after)) {
    tx.abort();
    pqxx::read_transaction read(session.database().ready());
    r.fields = workspace_fields(read, ws.id);
    r.message = "workspace " + ref + " already has these values; nothing changed";
    return r;
  }
  record_audit(tx, {session.actor(), "workspace.update", "workspace", ws.id, ws.partner_id, ws.id, before, after, ""});
  r.fields = workspace_fields(tx, ws.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "updated workspace " + ref, "would update workspace " + ref);
}

Result run_workspace_delete(const WorkspaceDeleteOptions& o, Session& session) {
  auto& conn = session.database().ready();
  Result r;
  {
    pqxx::read_transaction tx(conn);
    auto ws = workspace_for(tx, session, o.workspace, "workspace:workspace:delete", true);
    if (ws.deleted) {
      r.fields = workspace_fields(tx, ws.id);
      r.message = "workspace " + o.workspace + " is already deleted; nothing changed";
      return r;
    }
  }
  if (!o.dry_run) session.confirm(o.yes, "delete workspace " + o.workspace);
  pqxx::work tx(conn);
  auto ws = workspace_for(tx, session, o.workspace, "workspace:workspace:delete");
  auto locked = tx.exec_params("SELECT deleted_at IS NOT NULL FROM workspaces WHERE id = $1::uuid FOR UPDATE", ws.id);
  if (locked[0][0].as<bool>())
    throw NotFoundError("workspace " + o.workspace + " was deleted by another run meanwhile", "nothing to do");
  auto before = row_json(tx, "workspaces", ws.id);
  tx.exec_params("UPDATE workspaces SET deleted_at = now() WHERE id = $1::uuid", ws.id);
  record_audit(tx, {session.actor(), "workspace.delete", "workspace", ws.id, ws.partner_id, ws.id, before,
                    row_json(tx, "workspaces", ws.id), ""});
  r.fields = workspace_fields(tx, ws.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             "deleted workspace " + o.workspace + " (restore it with `wfa workspace restore`)",
                             "would delete workspace " + o.workspace);
}

Result run_workspace_restore(const WorkspaceRestoreOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = find_workspace(tx, o.workspace, true);
  // The partner lock comes first: restores and creates for one partner count its workspaces in turn.
  auto partner = lock_partner(tx, ws.partner_id);
  auto ref = workspace_reference(partner.slug, ws.slug);
  require_partner(tx, actor_of(tx, session), ws.partner_id, partner.slug, "partner:workspaces:update");
  Result r;
  auto locked = tx.exec_params("SELECT deleted_at IS NOT NULL FROM workspaces WHERE id = $1::uuid FOR UPDATE", ws.id);
  if (!locked[0][0].as<bool>()) {
    r.fields = workspace_fields(tx, ws.id);
    r.message = "workspace " + ref + " is not deleted; nothing changed";
    return r;
  }
  if (partner.deleted)
    throw ConflictError("partner " + partner.slug + " of workspace " + ref + " is deleted",
                        "restore the partner first with `wfa partner restore " + partner.slug + "`");
  require_workspace_room(tx, partner, "restore");
  auto before = row_json(tx, "workspaces", ws.id);
  tx.exec_params("UPDATE workspaces SET deleted_at = NULL WHERE id = $1::uuid", ws.id);
  record_audit(tx, {session.actor(), "workspace.restore", "workspace", ws.id, ws.partner_id, ws.id, before,
                    row_json(tx, "workspaces", ws.id), ""});
  r.fields = workspace_fields(tx, ws.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "restored workspace " + ref,
                             "would restore workspace " + ref);
}

}  // namespace wfa
