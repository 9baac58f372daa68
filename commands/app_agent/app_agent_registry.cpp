// `wfa app-agent list|enable|disable|grant|revoke|accessible`: which Mini App agents a workspace has and who uses them.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/app_agent/app_agent.hpp"
#include "commands/app_agent/app_agent_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

/// access_audit is the audit entry of ACTION on AGENT in WS, naming the member for grants.
AuditEntry access_audit(const Session& session, const std::string& action, const WorkspaceRef& ws,
                        const std::string& agent, const std::string& values) {
  return {session.actor(), action, "app_agent", agent, ws.partner_id, ws.id, "", values, ""};
}

/// member_user is the live member of WS that REFERENCE (e-mail or id) names.
std::pair<std::string, std::string> member_user(pqxx::transaction_base& tx, const WorkspaceRef& ws,
                                                const std::string& workspace_label, const std::string& reference) {
  auto rows = tx.exec_params(
      "SELECT u.id, u.email FROM users u JOIN workspace_members m ON m.user_id = u.id AND m.removed_at IS NULL WHERE"
      " m.workspace_id = $1::uuid AND (lower(u.email) = lower($2) OR u.id::text = $2)",
      ws.id, reference);
  if (rows.empty())
    throw NotFoundError(reference + " is not a member of workspace " + workspace_label,
                        "add them first with `wfa member add " + reference + " --workspace " + workspace_label + "`");
  return {rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
}

Result access_result(const std::string& workspace, const AppAgentRef& agent, const std::string& user = "") {
  Result r;
  r.fields = {{"workspace", workspace}, {"agent", agent.key}, {"name", agent.name}};
  if (!user.empty()) r.fields.emplace_back("user", user);
  return r;
}

}  // namespace

Result run_app_agent_list(const AppAgentListOptions& o, Session& session) {
  auto tx = list_transaction(session);
  ListQuery query("app-agent list", "agents");
  if (!o.workspace) {
    query.select("a.key, a.name, a.category, a.description").from("app_agents a");
  } else {
    auto ws = workspace_for(*tx, session, *o.workspace, "workspace:app_agents:read");
    query
        .select("a.key, a.name, a.category, x.agent_key IS NOT NULL AS enabled, " + utc_sql("x.enabled_at") +
                    " AS enabled_at, (SELECT count(*) FROM agent_member_permissions g JOIN workspace_members m ON"
                    " m.workspace_id = g.workspace_id AND m.user_id = g.user_id AND m.removed_at IS NULL WHERE"
                    " g.workspace_id = ?::uuid AND g.agent_key = a.key) AS members_granted",
                {ws.id})
        .from("app_agents a LEFT JOIN workspace_agent_access x ON x.agent_key = a.key AND x.workspace_id = ?::uuid",
              {ws.id});
  }
  query.order_by({{"a.position", "integer"}, {"a.key", "text"}}).when_empty("no Mini App agents");
  return list_rows(tx, query, o.paging, session);
}

Result run_app_agent_enable(const AppAgentAccessOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:app_agents:update");
  auto agent = find_app_agent(tx, o.agent);
  auto added = tx.exec_params(
      "INSERT INTO workspace_agent_access (workspace_id, agent_key, enabled_by) VALUES ($1::uuid, $2, $3)"
      " ON CONFLICT DO NOTHING RETURNING 1",
      ws.id, agent.key, session.actor());
  auto r = access_result(o.workspace, agent);
  if (added.empty()) {
    r.message = "agent " + agent.key + " was already enabled in workspace " + o.workspace;
    return r;
  }
  record_audit(tx, access_audit(session, "app_agent.enable", ws, agent.key, ""));
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "enabled agent " + agent.key + " in " + o.workspace,
                             "would enable agent " + agent.key + " in " + o.workspace);
}

Result run_app_agent_disable(const AppAgentAccessOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:app_agents:update");
  auto agent = find_app_agent(tx, o.agent);
  auto removed =
      tx.exec_params("DELETE FROM workspace_agent_access WHERE workspace_id = $1::uuid AND agent_key = $2 RETURNING 1",
                     ws.id, agent.key);
  auto r = access_result(o.workspace, agent);
  if (removed.empty()) {
    r.message = "agent " + agent.key + " was not enabled in workspace " + o.workspace;
    return r;
  }
  record_audit(tx, access_audit(session, "app_agent.disable", ws, agent.key, ""));
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             "disabled agent " + agent.key + " in " + o.workspace + " (grants are kept)",
                             "would disable agent " + agent.key + " in " + o.workspace);
}

Result run_app_agent_grant(const AppAgentAccessOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:app_agents:update");
  auto agent = find_app_agent(tx, o.agent);
  auto [user_id, email] = member_user(tx, ws, o.workspace, o.user);
  auto added = tx.exec_params(
      "INSERT INTO agent_member_permissions (workspace_id, agent_key, user_id, granted_by) VALUES ($1::uuid, $2,"
      " $3::uuid, $4) ON CONFLICT DO NOTHING RETURNING 1",
      ws.id, agent.key, user_id, session.actor());
  auto r = access_result(o.workspace, agent, email);
  if (added.empty()) {
    r.message = email + " already had agent " + agent.key + " in " + o.workspace;
    return r;
  }
  record_audit(tx, access_audit(session, "app_agent.grant", ws, agent.key, "{\"user\": \"" + user_id + "\"}"));
  auto enabled = tx.exec_params("SELECT 1 FROM workspace_agent_access WHERE workspace_id = $1::uuid AND agent_key = $2",
                                ws.id, agent.key);
  std::string note = enabled.empty() ? " (the agent is not enabled there yet)" : "";
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             "granted agent " + agent.key + " in " + o.workspace + " to " + email + note,
                             "would grant agent " + agent.key + " in " + o.workspace + " to " + email);
}

Result run_app_agent_revoke(const AppAgentAccessOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:app_agents:update");
  auto agent = find_app_agent(tx, o.agent);
  auto users = tx.exec_params("SELECT id, email FROM users WHERE lower(email) = lower($1) OR id::text = $1", o.user);
  std::string user_id = users.empty() ? "" : users[0][0].as<std::string>();
  auto removed = user_id.empty() ? pqxx::result()
                                 : tx.exec_params(
                                       "DELETE FROM agent_member_permissions WHERE workspace_id = $1::uuid AND"
                                       " agent_key = $2 AND user_id = $3::uuid RETURNING 1",
                                       ws.id, agent.key, user_id);
  if (removed.empty())
    throw NotFoundError(o.user + " has no grant of agent " + agent.key + " in workspace " + o.workspace,
                        "`wfa app-agent list " + o.workspace + "` shows how many members have each agent");
  record_audit(tx, access_audit(session, "app_agent.revoke", ws, agent.key, "{\"user\": \"" + user_id + "\"}"));
  auto r = access_result(o.workspace, agent, users[0][1].as<std::string>());
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             "revoked agent " + agent.key + " in " + o.workspace + " from " + o.user,
                             "would revoke agent " + agent.key + " in " + o.workspace + " from " + o.user);
}

Result run_app_agent_accessible(const AppAgentAccessibleOptions& o, Session& session) {
  auto tx = list_transaction(session);
  auto actor = actor_of(*tx, session);
  std::optional<std::string> workspace_id;
  if (o.workspace) workspace_id = workspace_for(*tx, session, *o.workspace, "workspace:app_agents:read").id;
  ListQuery query("app-agent accessible", "agents");
  query.select(
      "a.key, a.name, a.category, a.description, p.slug || '/' || w.slug AS workspace, w.name AS workspace_name");
  if (actor.is_operator() || actor.super_admin) {
    query.from(
        "workspace_agent_access x JOIN app_agents a ON a.key = x.agent_key JOIN workspaces w ON w.id ="
        " x.workspace_id AND w.deleted_at IS NULL JOIN partners p ON p.id = w.partner_id");
  } else {
    query
        .from(
            "workspace_members m JOIN workspaces w ON w.id = m.workspace_id AND w.deleted_at IS NULL JOIN partners p"
            " ON p.id = w.partner_id JOIN workspace_agent_access x ON x.workspace_id = w.id JOIN app_agents a ON"
            " a.key = x.agent_key")
        .where("m.user_id = ?::uuid", actor.user_id)
        .where("m.removed_at IS NULL")
        .where(app_agent_use_sql("m", "a.key"));
  }
  query.where("w.id = ?::uuid", workspace_id)
      .where("w.partner_id = ?::uuid", o.partner_id)
      .order_by({{"p.slug", "text"}, {"w.slug", "text"}, {"a.position", "integer"}, {"a.key", "text"}})
      .when_empty("no Mini App agents you may use; a workspace admin enables and grants them (`wfa app-agent`)");
  return list_rows(tx, query, o.paging, session);
}

}  // namespace wfa
