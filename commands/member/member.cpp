// `wfa member add|list|role|remove`.
#include "commands/member/member_rules.hpp"
#include "commands/member/member.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

/// member_of finds EMAIL's live membership in SCOPE, or says how to find the members (exit 3).
std::pair<UserRef, MembershipRef> member_of(pqxx::dbtransaction& tx, const Scope& scope, const std::string& email,
                                            const std::string& actor) {
  auto list_hint = "list the members: wfa member list " + scope.flag();
  auto user = find_user(tx, scope, email, false, actor, list_hint);
  auto member = live_membership(tx, scope, user.id);
  if (!member) throw NotFoundError(email + " is not a member of " + scope.describe(), list_hint);
  return {user, *member};
}

}  // namespace

Result run_member_add(const MemberAddOptions& o, Session& session) {
  auto email = check_email("EMAIL", o.email);
  pqxx::work tx(session.database().ready());
  auto scope = resolve_scope(tx, o.scope, session);
  auto roles = RoleHierarchy::load(tx, scope.kind);
  authorize_granting(tx, scope, roles, session, "members:invite", o.role);
  auto user = find_user(tx, scope, email, o.create_user, session.actor(),
                        "add --create-user to create the user, or invite them: wfa invite create " + email + " " +
                            scope.flag() + " --role " + o.role);
  if (auto existing = live_membership(tx, scope, user.id)) {
    auto what = email + " is already a member of " + scope.describe() + " (role " + existing->role + ")";
    if (!o.if_not_exists)
      throw ConflictError(what, "change the role with: wfa member role " + email + " " + scope.flag() +
                                    " ROLE, or pass --if-not-exists");
    Result r;
    r.fields = member_fields(tx, scope, existing->id);
    r.message = what + "; nothing changed";
    return r;
  }
  require_member_room(tx, scope, email);
  auto id = add_membership(tx, scope, user.id, o.role, session.actor(), session.actor(), "");
  Result r;
  r.fields = member_fields(tx, scope, id);
  auto what = email + " to " + scope.describe() + " as " + o.role + (user.created ? " (new user)" : "");
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "added " + what, "would add " + what);
}

Result run_member_list(const MemberListOptions& o, Session& session) {
  auto tx = list_transaction(session);
  auto scope = resolve_scope(*tx, o.scope, session, false);
  authorize(*tx, scope, RoleHierarchy::load(*tx, scope.kind), session, "members:read");
  return list_rows(tx, member_query(scope, std::nullopt, o.include_removed), o.paging, session);
}

Result run_member_role(const MemberRoleOptions& o, Session& session) {
  auto email = check_email("EMAIL", o.email);
  pqxx::work tx(session.database().ready());
  auto scope = resolve_scope(tx, o.scope, session);
  auto roles = RoleHierarchy::load(tx, scope.kind);
  authorize(tx, scope, roles, session, "members:update");
  require_role(roles, scope, o.role);
  auto [user, member] = member_of(tx, scope, email, session.actor());
  Result r;
  if (member.role == o.role) {
    r.fields = member_fields(tx, scope, member.id);
    r.message = email + " already has the role " + o.role + " in " + scope.describe() + "; nothing to do";
    return r;
  }
  authorize(tx, scope, roles, session, "members:update", o.role, member.role);
  if (roles.rank(o.role) < roles.rank(member.role)) require_other_owner(tx, scope, roles, member, email, "demote");
  change_role(tx, scope, member.id, o.role, session.actor(), "");
  r.fields = member_fields(tx, scope, member.id);
  auto what = email + " in " + scope.describe() + " from " + member.role + " to " + o.role;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "changed the role of " + what,
                             "would change the role of " + what);
}

Result run_member_remove(const MemberRemoveOptions& o, Session& session) {
  auto email = check_email("EMAIL", o.email);
  if (!o.dry_run)
    session.confirm(
        o.yes, "remove " + email + " from " +
                   (o.scope.partner ? "partner " + *o.scope.partner : "workspace " + o.scope.workspace.value_or("")));
  pqxx::work tx(session.database().ready());
  auto scope = resolve_scope(tx, o.scope, session);
  auto roles = RoleHierarchy::load(tx, scope.kind);
  authorize(tx, scope, roles, session, "members:remove");
  auto removed =
      tx.exec_params(std::string("SELECT m.id FROM ") + scope.members_table() +
                         " m JOIN users u ON u.id = m.user_id WHERE m." + scope.key_column() +
                         " = $1::uuid AND u.email = $2 AND m.removed_at IS NOT NULL AND NOT EXISTS ("
                         "SELECT 1 FROM " +
                         scope.members_table() + " l WHERE l." + scope.key_column() + " = m." + scope.key_column() +
                         " AND l.user_id = m.user_id AND l.removed_at IS NULL)"
                         " ORDER BY m.removed_at DESC LIMIT 1",
                     scope.id, email);
  if (!removed.empty()) {  // removing what is already removed is done, like partner delete
    Result r;
    r.fields = member_fields(tx, scope, removed[0][0].as<std::string>());
    r.message = email + " is no longer a member of " + scope.describe() + "; nothing to do";
    return r;
  }
  auto [user, member] = member_of(tx, scope, email, session.actor());
  authorize(tx, scope, roles, session, "members:remove", std::nullopt, member.role);
  require_other_owner(tx, scope, roles, member, email, "remove");
  auto before = row_json(tx, scope.members_table(), member.id);
  tx.exec_params(
      std::string("UPDATE ") + scope.members_table() + " SET removed_at = now(), removed_by = $2 WHERE id = $1::uuid",
      member.id, session.actor());
  auto noun = std::string(scope_name(scope.kind)) + "_member";
  record_audit(tx, {session.actor(), noun + ".remove", noun, member.id, scope.partner_id, scope.workspace_id, before,
                    row_json(tx, scope.members_table(), member.id), ""});
  Result r;
  r.fields = member_fields(tx, scope, member.id);
  auto what = email + " from " + scope.describe();
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "removed " + what, "would remove " + what);
}

}  // namespace wfa
