// Actors and rights: resolving --as, and the partner, workspace and granting checks every verb calls.
#include "commands/tenancy/actor.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/database.hpp"
#include "core/error.hpp"
#include "core/listing.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"
#include "commands/perm/perm_engine.hpp"
#include "commands/tenancy/permission_match.hpp"
#include "commands/tenancy/roles.hpp"

namespace wfa {

namespace {

/// read_user fills ACTOR from the users row ROWS[0] (id, email, deleted, super admin).
Actor from_row(const pqxx::result& rows) {
  Actor a;
  a.user_id = rows[0][0].as<std::string>();
  a.name = rows[0][1].as<std::string>();
  a.super_admin = rows[0][2].as<bool>();
  return a;
}

const char* user_sql =
    "SELECT u.id, u.email, EXISTS (SELECT 1 FROM super_admins s WHERE s.user_id = u.id) FROM users u WHERE ";

/// missing_standing is the refusal for a user with no role in the workspace or its partner.
PermissionError no_standing(const Actor& actor, const std::string& label) {
  return PermissionError(actor.name + " is not a member of workspace " + label + " or of its partner",
                         "ask an owner of the workspace to add them, or run without --as as the operator");
}

bool is_read(std::string_view permission) { return permission_part(permission, 2) == "read"; }

/// top_role: the actor is the workspace's owner, or an owner or admin of its partner.
bool owns_workspace(pqxx::transaction_base& tx, const Actor& actor, const WorkspaceRef& ws) {
  return grants_allow(scope_grants(tx, RoleScope::partner, ws.partner_id, actor.user_id),
                      "partner:workspaces:update") ||
         grants_allow(scope_grants(tx, RoleScope::workspace, ws.id, actor.user_id), "workspace:workspace:delete");
}

}  // namespace

void refuse_if_partner_deleted(pqxx::transaction_base& tx, const std::string& partner_id, const std::string& what) {
  auto rows = tx.exec_params("SELECT slug FROM partners WHERE id = $1::uuid AND deleted_at IS NOT NULL", partner_id);
  if (!rows.empty())
    throw ConflictError(
        "partner " + rows[0][0].as<std::string>() + " of " + what + " is deleted; nothing changes there",
        "restore the partner first: wfa partner restore " + rows[0][0].as<std::string>());
}

Actor actor_of(pqxx::transaction_base& tx, const Session& session) {
  if (!session.impersonating()) return Actor{session.actor(), "", true};
  if (!session.acting_user_id().empty()) {
    auto actor = user_actor(tx, session.acting_user_id());
    actor.name = session.actor();
    return actor;
  }
  std::string email;
  try {
    email = check_email("--as", session.actor());
  } catch (const InvalidInputError& e) {
    throw UsageError(e.what(), "give a user's e-mail address, e.g. --as ana@acme.example");
  }
  auto rows = tx.exec_params(std::string(user_sql) + "u.email = $1 AND u.deleted_at IS NULL", email);
  if (rows.empty())
    throw PermissionError("--as " + email + ": no such user",
                          "act as an existing user (wfa user list), or run without --as as the operator");
  return from_row(rows);
}

Actor user_actor(pqxx::transaction_base& tx, const std::string& user_id) {
  if (!is_uuid(user_id)) throw PermissionError("user " + user_id + " is not a user id");
  auto rows = tx.exec_params(std::string(user_sql) + "u.id = $1::uuid AND u.deleted_at IS NULL", user_id);
  if (rows.empty()) throw PermissionError("user " + user_id + " does not exist or was deleted");
  return from_row(rows);
}

void require_super_admin(const Actor& actor, std::string_view what) {
  if (!actor.super_admin)
    throw PermissionError(actor.name + " may not " + std::string(what) + ": that is for super admins",
                          "ask a super admin (wfa super-admin list), or run without --as as the operator");
}

void require_super_admin(Session& session, std::string_view what) {
  if (!session.impersonating()) return;
  pqxx::read_transaction tx(session.database().ready());
  require_super_admin(actor_of(tx, session), what);
}

void operator_only(const Session& session, std::string_view what) {
  if (session.impersonating())
    throw PermissionError(
        std::string(what) + " is the machine operator's, not a user's: --as " + session.actor() + " is refused",
        "run it without --as");
}

std::vector<std::string> scope_grants(pqxx::transaction_base& tx, RoleScope scope, const std::string& id,
                                      const std::string& user_id) {
  if (user_id.empty()) return {};
  bool partner = scope == RoleScope::partner;
  auto members = partner ? "partner_members" : "workspace_members";
  auto key = partner ? "partner_id" : "workspace_id";
  auto rows =
      tx.exec_params(std::string("SELECT DISTINCT rp.permission::text FROM ") + members +
                         " m JOIN roles r ON r.scope = $3 AND r.role = m.role"
                         " JOIN roles lower_role ON lower_role.scope = r.scope AND lower_role.rank <= r.rank"
                         " JOIN role_permissions rp ON rp.scope = lower_role.scope AND rp.role = lower_role.role"
                         " WHERE m." +
                         key + " = $1::uuid AND m.user_id = $2::uuid AND m.removed_at IS NULL",
                     id, user_id, std::string(scope_name(scope)));
  std::vector<std::string> out;
  for (const auto& row : rows) out.push_back(row[0].as<std::string>());
  return out;
}

void require_partner(pqxx::transaction_base& tx, const Actor& actor, const std::string& partner_id,
                     const std::string& label, std::string_view permission) {
  if (actor.super_admin) return;
  auto grants = scope_grants(tx, RoleScope::partner, partner_id, actor.user_id);
  if (grants.empty())
    throw PermissionError(actor.name + " is not a member of partner " + label,
                          "ask an owner of partner " + label + " to add them, or run without --as as the operator");
  if (!grants_allow(grants, permission))
    throw PermissionError(actor.name + " may not " + std::string(permission) + " in partner " + label +
                              ": their partner role does not give it",
                          "ask an owner of partner " + label);
}

bool workspace_allows(pqxx::transaction_base& tx, const Actor& actor, const WorkspaceRef& ws,
                      std::string_view permission, const std::optional<RecordRef>& record) {
  if (actor.super_admin) return true;
  auto partner = scope_grants(tx, RoleScope::partner, ws.partner_id, actor.user_id);
  if (grants_allow(partner, is_read(permission) ? "partner:workspaces:read" : "partner:workspaces:update")) return true;
  PermissionEngine engine(tx.conn());
  return engine.check(tx, ws.id, actor.user_id, permission, record).allowed;
}

void require_workspace(pqxx::transaction_base& tx, const Actor& actor, const WorkspaceRef& ws, const std::string& label,
                       std::string_view permission, const std::optional<RecordRef>& record) {
  if (workspace_allows(tx, actor, ws, permission, record)) {
    if (!is_read(permission)) refuse_if_partner_deleted(tx, ws.partner_id, "workspace " + label);
    return;
  }
  if (!has_standing(tx, ws, PermUser{actor.user_id, actor.name})) throw no_standing(actor, label);
  throw PermissionError(actor.name + " may not " + std::string(permission) + (record ? " on " + record->text() : "") +
                            " in workspace " + label,
                        "ask a workspace owner or admin; see `wfa perm check " + actor.name + " " +
                            std::string(permission) + " --workspace " + label + " --explain`");
}

WorkspaceRef workspace_for(pqxx::transaction_base& tx, const Session& session, const std::string& reference,
                           std::string_view permission, bool include_deleted) {
  auto ws = find_workspace(tx, reference, include_deleted);
  require_workspace(tx, actor_of(tx, session), ws, reference, permission);
  return ws;
}

WorkspaceRef authorize_workspace(Session& session, const std::string& reference, std::string_view permission) {
  pqxx::read_transaction tx(session.database().ready());
  return workspace_for(tx, session, reference, permission);
}

PartnerRef partner_for(pqxx::transaction_base& tx, const Session& session, const std::string& reference,
                       std::string_view permission, bool include_deleted) {
  auto partner = find_partner(tx, reference, include_deleted);
  require_partner(tx, actor_of(tx, session), partner.id, partner.slug, permission);
  return partner;
}

std::string visible_workspaces_sql(const std::string& column, const std::string& param) {
  return "(" + column + " IN (SELECT workspace_id FROM workspace_members WHERE user_id = " + param +
         "::uuid AND removed_at IS NULL) OR " + column +
         " IN (SELECT w.id FROM workspaces w JOIN partner_members m ON m.partner_id = w.partner_id WHERE m.user_id = " +
         param + "::uuid AND m.removed_at IS NULL))";
}

std::string visible_partners_sql(const std::string& column, const std::string& param) {
  return "(" + column + " IN (SELECT partner_id FROM partner_members WHERE user_id = " + param +
         "::uuid AND removed_at IS NULL))";
}

void only_visible_workspaces(pqxx::transaction_base& tx, const Session& session, ListQuery& query,
                             const std::string& column) {
  auto actor = actor_of(tx, session);
  if (!actor.super_admin) query.where(visible_workspaces_sql(column, "?"), actor.user_id);
}

void only_visible_partners(pqxx::transaction_base& tx, const Session& session, ListQuery& query,
                           const std::string& column) {
  auto actor = actor_of(tx, session);
  if (!actor.super_admin) query.where(visible_partners_sql(column, "?"), actor.user_id);
}

bool may_give(pqxx::transaction_base& tx, const Actor& actor, const WorkspaceRef& ws, std::string_view permission) {
  if (actor.super_admin) return true;
  auto module = permission_part(permission, 0);
  if (module == "partner" || module == "platform") return false;
  if (owns_workspace(tx, actor, ws)) return true;
  PermissionEngine engine(tx.conn());
  for (const auto& grant : engine.grants(tx, ws.id, actor.user_id).grants)
    if (grant_covers(grant.permission, permission)) return true;
  return false;
}

void require_may_give(pqxx::transaction_base& tx, const Actor& actor, const WorkspaceRef& ws, const std::string& label,
                      const std::vector<std::string>& permissions) {
  for (const auto& p : permissions)
    if (!may_give(tx, actor, ws, p))
      throw PermissionError(actor.name + " may not give " + p + " in workspace " + label + ": they do not hold it",
                            "a grant gives only what its granter holds; ask a workspace owner");
}

}  // namespace wfa
