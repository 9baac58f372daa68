// The membership scope, users by e-mail and the actor's own rights (see member_scope.hpp).
#include "commands/member/member_scope.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/error.hpp"
#include "core/audited_mutation.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

Scope resolve_scope(pqxx::transaction_base& tx, const ScopeFlags& flags, const Session& session, bool lock) {
  if (flags.partner.has_value() == flags.workspace.has_value())
    throw UsageError("give exactly one of " + session.option("partner") + " P or " + session.option("workspace") + " W",
                     "e.g. --workspace acme/main or --partner acme");
  if (flags.partner) return scope_by_id(tx, RoleScope::partner, find_partner(tx, *flags.partner).id, lock);
  return scope_by_id(tx, RoleScope::workspace, find_workspace(tx, *flags.workspace).id, lock);
}

Scope scope_by_id(pqxx::transaction_base& tx, RoleScope kind, const std::string& id, bool lock) {
  // The row lock serialises every membership change of the scope (last-owner checks, max_users); a workspace's
  // change also locks its partner first (the order `workspace update` takes), as the partner's cap counts people.
  if (lock && kind == RoleScope::workspace)
    tx.exec_params(
        "SELECT 1 FROM partners p JOIN workspaces w ON w.partner_id = p.id WHERE w.id = $1::uuid"
        " FOR NO KEY UPDATE OF p",
        id);
  auto rows =
      kind == RoleScope::partner
          ? tx.exec_params(std::string("SELECT p.id, p.id, p.slug, p.name, p.deleted_at IS NOT NULL, false, p.slug"
                                       " FROM partners p WHERE p.id = $1::uuid") +
                               (lock ? " FOR NO KEY UPDATE" : ""),
                           id)
          : tx.exec_params(std::string("SELECT w.id, p.id, p.slug || '/' || w.slug, w.name,"
                                       " w.deleted_at IS NOT NULL, p.deleted_at IS NOT NULL, p.slug"
                                       " FROM workspaces w JOIN partners p ON p.id = w.partner_id"
                                       " WHERE w.id = $1::uuid") +
                               (lock ? " FOR NO KEY UPDATE OF w" : ""),
                           id);
  std::string noun(scope_name(kind));
  if (rows.empty()) throw NotFoundError(noun + " " + id + " not found", "list them with `wfa " + noun + " list`");
  Scope s;
  s.kind = kind;
  s.id = rows[0][0].as<std::string>();
  s.partner_id = rows[0][1].as<std::string>();
  if (kind == RoleScope::workspace) s.workspace_id = s.id;
  s.reference = rows[0][2].as<std::string>();
  s.name = rows[0][3].as<std::string>();
  if (rows[0][5].as<bool>())  // a workspace of a deleted partner
    throw ConflictError(
        "partner " + rows[0][6].as<std::string>() + " of " + s.describe() + " is deleted; nothing changes there",
        "restore the partner first: wfa partner restore " + rows[0][6].as<std::string>());
  if (rows[0][4].as<bool>())
    throw ConflictError(s.describe() + " is deleted", "restore it first: wfa " + noun + " restore " + s.reference);
  return s;
}

UserRef find_user(pqxx::dbtransaction& tx, const Scope& scope, const std::string& email, bool create,
                  const std::string& actor, const std::string& hint) {
  auto rows = tx.exec_params("SELECT id, deleted_at IS NOT NULL FROM users WHERE email = $1", email);
  if (!rows.empty()) {
    if (rows[0][1].as<bool>())
      throw ConflictError("user " + email + " is deleted", "restore the user before adding them");
    return {rows[0][0].as<std::string>(), email, false};
  }
  if (!create) throw NotFoundError("user " + email + " not found", hint);
  auto id = tx.exec_params("INSERT INTO users (email) VALUES ($1) RETURNING id", email)[0][0].as<std::string>();
  record_audit(
      tx, {actor, "user.create", "user", id, scope.partner_id, scope.workspace_id, "", row_json(tx, "users", id), ""});
  return {id, email, true};
}

std::optional<MembershipRef> live_membership(pqxx::transaction_base& tx, const Scope& scope,
                                             const std::string& user_id) {
  auto rows = tx.exec_params(std::string("SELECT id, role FROM ") + scope.members_table() + " WHERE " +
                                 scope.key_column() + " = $1::uuid AND user_id = $2::uuid AND removed_at IS NULL",
                             scope.id, user_id);
  if (rows.empty()) return std::nullopt;
  return MembershipRef{rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
}

void require_role(const RoleHierarchy& roles, const Scope& scope, const std::string& role) {
  if (!roles.exists(role))
    throw InvalidInputError("role '" + role + "' does not exist for a " + std::string(scope_name(scope.kind)),
                            "choose one of: " + roles.names());
}

namespace {

/// check_rights is authorize without the state rule: the rights are judged first, so a refusal reveals nothing.
void check_rights(pqxx::transaction_base& tx, const Scope& scope, const RoleHierarchy& roles, const Actor& actor,
                  const std::string& action, bool read, const std::optional<std::string>& target,
                  const std::optional<std::string>& old_role) {
  if (actor.super_admin) return;
  auto permission = std::string(scope_name(scope.kind)) + ":" + action;
  if (scope.kind == RoleScope::workspace &&
      grants_allow(scope_grants(tx, RoleScope::partner, scope.partner_id, actor.user_id),
                   read ? "partner:workspaces:read" : "partner:workspaces:update"))
    return;  // the partner's owners and admins manage its workspaces
  auto membership = live_membership(tx, scope, actor.user_id);
  auto hint = "ask an owner of " + scope.describe();
  if (!membership)
    throw PermissionError(actor.name + " is not a member of " + scope.describe(),
                          hint + ", or run without --as as the operator");
  auto who = actor.name + " (" + membership->role + " of " + scope.describe() + ")";
  if (!grants_allow(scope_grants(tx, scope.kind, scope.id, actor.user_id), permission))
    throw PermissionError(who + " lacks the permission " + permission, hint);
  if (old_role && !roles.can_assign(membership->role, *old_role))
    throw PermissionError(who + " cannot change a member whose role is " + *old_role, hint);
  if (target && !roles.can_assign(membership->role, *target))
    throw PermissionError(who + " cannot grant the role " + *target, hint);
}

}  // namespace

void authorize(pqxx::transaction_base& tx, const Scope& scope, const RoleHierarchy& roles, const Session& session,
               const std::string& action, const std::optional<std::string>& target,
               const std::optional<std::string>& old_role) {
  bool read = action.size() > 5 && action.compare(action.size() - 5, 5, ":read") == 0;
  check_rights(tx, scope, roles, actor_of(tx, session), action, read, target, old_role);
  if (!read && scope.kind == RoleScope::workspace) refuse_if_partner_deleted(tx, scope.partner_id, scope.describe());
}

void authorize_granting(pqxx::transaction_base& tx, const Scope& scope, const RoleHierarchy& roles,
                        const Session& session, const std::string& action, const std::string& role) {
  authorize(tx, scope, roles, session, action);
  require_role(roles, scope, role);
  authorize(tx, scope, roles, session, action, role);
}

}  // namespace wfa
