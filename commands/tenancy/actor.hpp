#pragma once
/// Who a verb acts for, and the one rights check every front end shares (the CLI's --as, serve's Telegram users).
/// The operator (no --as) and super admins may do everything; any other user gets exactly what their partner role,
/// workspace role, profiles, permission sets and record access give. ARCHITECTURE.md "Actors and rights" has the
/// rules, wfa(1) ACTORS AND RIGHTS the matrix.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "commands/perm/perm_rules.hpp"
#include "commands/tenancy/roles.hpp"

namespace wfa {

class Session;
class ListQuery;

/// Actor is the operator or one live user.
struct Actor {
  std::string name;          ///< what the audit log records: the operator's name or the user's e-mail
  std::string user_id;       ///< empty for the operator
  bool super_admin = false;  ///< the operator counts as one
  bool is_operator() const { return user_id.empty(); }
};

/// actor_of resolves SESSION's actor: the operator, or with --as the live user of that e-mail. A malformed e-mail is
/// UsageError (2); an unknown or deleted user is PermissionError (5).
Actor actor_of(pqxx::transaction_base& tx, const Session& session);
/// user_actor is the actor for the live user USER_ID (serve's Telegram users); unknown is PermissionError (5).
Actor user_actor(pqxx::transaction_base& tx, const std::string& user_id);

/// require_super_admin: WHAT (e.g. "create partners") is for super admins; anyone else gets PermissionError (5).
void require_super_admin(const Actor& actor, std::string_view what);

/// require_super_admin for a verb that has no transaction of its own: looks the actor up only under --as.
void require_super_admin(Session& session, std::string_view what);
/// operator_only refuses --as (exit 5): WHAT (the embedded cluster's lifecycle, migrations) is the machine operator's.
void operator_only(const Session& session, std::string_view what);

/// scope_grants lists what USER_ID's live role in the partner or workspace ID gives (that role and every lower one);
/// empty when they hold none there.
std::vector<std::string> scope_grants(pqxx::transaction_base& tx, RoleScope scope, const std::string& id,
                                      const std::string& user_id);

/// require_partner: PERMISSION (partner:RESOURCE:ACTION) through the actor's live role in the partner; LABEL names
/// the partner in the message. Super admins pass; others get PermissionError (5) saying what was missing.
void require_partner(pqxx::transaction_base& tx, const Actor& actor, const std::string& partner_id,
                     const std::string& label, std::string_view permission);

/// refuse_if_partner_deleted: nothing changes under a deleted partner (exit 4 naming WHAT and the restore command).
void refuse_if_partner_deleted(pqxx::transaction_base& tx, const std::string& partner_id, const std::string& what);

/// workspace_allows answers PERMISSION in WS for ACTOR: super admins yes; partner roles that give
/// partner:workspaces:read (a read) or partner:workspaces:update (anything else) yes; otherwise the permission engine
/// (workspace role, profiles, permission sets, and RECORD's owner, team leaders and shares).
bool workspace_allows(pqxx::transaction_base& tx, const Actor& actor, const WorkspaceRef& ws,
                      std::string_view permission, const std::optional<RecordRef>& record = std::nullopt);
/// require_workspace throws PermissionError (5) naming ACTOR, LABEL and PERMISSION unless workspace_allows; a change
/// (any action but read) in a workspace of a deleted partner is then ConflictError (4).
void require_workspace(pqxx::transaction_base& tx, const Actor& actor, const WorkspaceRef& ws, const std::string& label,
                       std::string_view permission, const std::optional<RecordRef>& record = std::nullopt);

/// workspace_for finds the workspace REFERENCE (id or PARTNER/SLUG; unknown is exit 3) and requires PERMISSION of the
/// session's actor there (exit 5): the first lines of every workspace-scoped verb.
WorkspaceRef workspace_for(pqxx::transaction_base& tx, const Session& session, const std::string& reference,
                           std::string_view permission, bool include_deleted = false);
/// authorize_workspace is workspace_for in a read transaction of its own, for verbs that check before long work.
WorkspaceRef authorize_workspace(Session& session, const std::string& reference, std::string_view permission);
/// partner_for is the same for a partner (id or slug) and a partner:RESOURCE:ACTION permission.
PartnerRef partner_for(pqxx::transaction_base& tx, const Session& session, const std::string& reference,
                       std::string_view permission, bool include_deleted = false);

/// only_visible_workspaces limits QUERY to rows whose workspace (the uuid expression COLUMN) the session's actor may
/// read; the operator and super admins see every row.
void only_visible_workspaces(pqxx::transaction_base& tx, const Session& session, ListQuery& query,
                             const std::string& column);
/// only_visible_partners limits QUERY to the partners (COLUMN) the actor is a member of.
void only_visible_partners(pqxx::transaction_base& tx, const Session& session, ListQuery& query,
                           const std::string& column);

/// visible_workspaces_sql is a SQL condition over the uuid expression COLUMN that holds for the workspaces the user
/// whose id is parameter PARAM (e.g. "$3") may read: their workspaces and every workspace of their partners.
std::string visible_workspaces_sql(const std::string& column, const std::string& param);
/// visible_partners_sql is the same for partners the user is a live member of.
std::string visible_partners_sql(const std::string& column, const std::string& param);

/// may_give: ACTOR may grant PERMISSION (wildcards allowed) in workspace WS: super admins any; the workspace's
/// owners and the partner's owners and admins any workspace-level permission; anyone else only what their own
/// grants there cover. partner: and platform: permissions are never given by a workspace (refused before this).
bool may_give(pqxx::transaction_base& tx, const Actor& actor, const WorkspaceRef& ws, std::string_view permission);
/// require_may_give throws PermissionError (5) for the first of PERMISSIONS that ACTOR may not give.
void require_may_give(pqxx::transaction_base& tx, const Actor& actor, const WorkspaceRef& ws, const std::string& label,
                      const std::vector<std::string>& permissions);

}  // namespace wfa
