#pragma once
/// What `wfa member`, `wfa invite` and `wfa telegram` share: the membership scope (a partner or
/// a workspace), users by e-mail, live memberships and the actor's own rights.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/pqxx_fwd.hpp"
#include "commands/tenancy/roles.hpp"

namespace wfa {

class Session;

/// ScopeFlags are the two mutually exclusive flags --partner P and --workspace W.
struct ScopeFlags {
  std::optional<std::string> partner;    ///< id or slug
  std::optional<std::string> workspace;  ///< id or PARTNER/SLUG
};

/// Scope is one partner or one workspace whose members and invitations a command works on.
struct Scope {
  RoleScope kind = RoleScope::workspace;
  std::string id;  ///< the partner's or the workspace's id
  std::string partner_id;
  std::optional<std::string> workspace_id;  ///< set for a workspace scope
  std::string reference;                    ///< what users type: SLUG or PARTNER/SLUG
  std::string name;                         ///< the organisation's display name

  const char* members_table() const { return kind == RoleScope::partner ? "partner_members" : "workspace_members"; }
  const char* invitations_table() const {
    return kind == RoleScope::partner ? "partner_invitations" : "workspace_invitations";
  }
  const char* key_column() const { return kind == RoleScope::partner ? "partner_id" : "workspace_id"; }
  /// describe is e.g. "workspace acme/main", for messages.
  std::string describe() const { return std::string(scope_name(kind)) + " " + reference; }
  /// flag is e.g. "--workspace acme/main", for hints.
  std::string flag() const { return "--" + std::string(scope_name(kind)) + " " + reference; }
};

/// resolve_scope needs exactly one of the flags (else exit 2); with LOCK it locks the partner or
/// workspace row FOR NO KEY UPDATE, so membership changes of one scope run one after the other.
Scope resolve_scope(pqxx::transaction_base& tx, const ScopeFlags& flags, const Session& session, bool lock = true);
/// scope_by_id is resolve_scope for a known partner or workspace id (an invitation's).
Scope scope_by_id(pqxx::transaction_base& tx, RoleScope kind, const std::string& id, bool lock = true);

/// UserRef is a live user found, or created, by e-mail.
struct UserRef {
  std::string id;
  std::string email;
  bool created = false;
};

/// find_user finds the live user with EMAIL; a missing one is created (and audited) when CREATE,
/// else NotFoundError (exit 3) whose hint is HINT.
UserRef find_user(pqxx::dbtransaction& tx, const Scope& scope, const std::string& email, bool create,
                  const std::string& actor, const std::string& hint);

/// MembershipRef is a live membership of one user in the scope.
struct MembershipRef {
  std::string id;
  std::string role;
};
std::optional<MembershipRef> live_membership(pqxx::transaction_base& tx, const Scope& scope,
                                             const std::string& user_id);

/// require_role refuses (exit 6) a role the scope's `roles` rows do not have.
void require_role(const RoleHierarchy& roles, const Scope& scope, const std::string& role);

/// authorize: the session's actor needs SCOPE:ACTION (e.g. workspace:members:invite) through their role in the
/// scope, and the right to grant TARGET (and to change a member holding OLD_ROLE); super admins and, for a workspace,
/// the partner's owners and admins pass. Anyone else, members of nothing here included, gets exit 5.
void authorize(pqxx::transaction_base& tx, const Scope& scope, const RoleHierarchy& roles, const Session& session,
               const std::string& action, const std::optional<std::string>& target = std::nullopt,
               const std::optional<std::string>& old_role = std::nullopt);

/// authorize_granting: the actor may ACTION in the scope at all (exit 5, before anything is said about ROLE), ROLE
/// exists (exit 6), and the actor may grant it (exit 5).
void authorize_granting(pqxx::transaction_base& tx, const Scope& scope, const RoleHierarchy& roles,
                        const Session& session, const std::string& action, const std::string& role);

}  // namespace wfa
