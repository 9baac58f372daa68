// `wfa perm profile assign|unassign` and `wfa perm set assign|unassign`: giving users their grants.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/rows.hpp"
#include "commands/perm/perm.hpp"
#include "commands/perm/perm_rules.hpp"

namespace wfa {

namespace {

/// profile_row is USER's profile assignment in WS as fields (empty when there is none).
Fields profile_row(pqxx::transaction_base& tx, const std::string& ws_id, const std::string& user_id) {
  return to_fields(
      tx.exec_params("SELECT u.id AS user_id, u.email, up.workspace_id, p.id AS profile_id, p.name AS profile, "
                     "up.assigned_by, up.created_at"
                     " FROM user_profiles up JOIN users u ON u.id = up.user_id JOIN profiles p ON p.id = up.profile_id"
                     " WHERE up.workspace_id = $1::uuid AND up.user_id = $2::uuid",
                     ws_id, user_id));
}

Fields set_row(pqxx::transaction_base& tx, const std::string& set_id, const std::string& user_id) {
  return to_fields(
      tx.exec_params("SELECT u.id AS user_id, u.email, s.workspace_id, s.id AS permission_set_id, s.name AS "
                     "permission_set, a.granted_by,"
                     " a.expires_at, a.created_at FROM user_permission_sets a JOIN users u ON u.id = a.user_id"
                     " JOIN permission_sets s ON s.id = a.permission_set_id WHERE a.permission_set_id = $1::uuid AND "
                     "a.user_id = $2::uuid",
                     set_id, user_id));
}

/// snapshot is FIELDS as a JSON object for the audit log ("" when there are none).
std::string snapshot(const Fields& fields) {
  if (fields.empty()) return "";
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, cell] : fields)
    out[key] = cell.kind() == Cell::Kind::null ? nlohmann::json() : nlohmann::json(cell.to_text());
  return out.dump();
}

/// held_permissions lists the permissions of the profile or set ID (TABLE and FK are constants).
std::vector<std::string> held_permissions(pqxx::transaction_base& tx, const char* table, const char* fk,
                                          const std::string& id) {
  std::vector<std::string> out;
  for (const auto& row :
       tx.exec_params(std::string("SELECT permission::text FROM ") + table + " WHERE " + fk + " = $1::uuid", id))
    out.push_back(row[0].as<std::string>());
  return out;
}

std::string field(const Fields& fields, const std::string& key) {
  for (const auto& [k, cell] : fields)
    if (k == key) return cell.to_text();
  return "";
}

}  // namespace

Result run_perm_profile_assign(const PermAssignOptions& o, Session& session) {
  PermChange change(session, o, "workspace:permissions:update");
  auto& tx = change.tx();
  const auto& ws = change.ws();
  auto profile = change.named(PermKind::profile, o.target);
  change.require_may_give(held_permissions(tx, "profile_permissions", "profile_id", profile.id));
  auto user = change.user(o.user, true);
  tx.exec_params("SELECT 1 FROM user_profiles WHERE workspace_id = $1::uuid AND user_id = $2::uuid FOR UPDATE", ws.id,
                 user.id);
  auto before = profile_row(tx, ws.id, user.id);
  Result r;
  if (field(before, "profile_id") == profile.id) {
    r.fields = before;
    return change.unchanged(std::move(r), user.email + " already has profile " + profile.name);
  }
  // One profile per user and workspace: assigning another replaces it.
  tx.exec_params(
      "INSERT INTO user_profiles (user_id, workspace_id, profile_id, assigned_by) VALUES ($1::uuid, $2::uuid, "
      "$3::uuid, $4)"
      " ON CONFLICT (user_id, workspace_id) DO UPDATE SET profile_id = EXCLUDED.profile_id,"
      " assigned_by = EXCLUDED.assigned_by, created_at = now()",
      user.id, ws.id, profile.id, session.actor());
  r.fields = profile_row(tx, ws.id, user.id);
  change.audit("perm.profile.assign", "user", user.id, snapshot(before), snapshot(r.fields));
  std::string what = "profile " + profile.name + " to " + user.email +
                     (before.empty() ? "" : " (replacing profile " + field(before, "profile") + ")");
  return change.finish(std::move(r), "assigned " + what, "would assign " + what);
}

Result run_perm_profile_unassign(const PermAssignOptions& o, Session& session) {
  PermChange change(session, o, "workspace:permissions:update");
  auto& tx = change.tx();
  const auto& ws = change.ws();
  auto user = change.user(o.user, false);
  tx.exec_params("SELECT 1 FROM user_profiles WHERE workspace_id = $1::uuid AND user_id = $2::uuid FOR UPDATE", ws.id,
                 user.id);
  Result r;
  r.fields = profile_row(tx, ws.id, user.id);
  if (r.fields.empty())
    return change.unchanged(std::move(r), user.email + " has no profile in workspace " + o.workspace);
  tx.exec_params("DELETE FROM user_profiles WHERE workspace_id = $1::uuid AND user_id = $2::uuid", ws.id, user.id);
  change.audit("perm.profile.unassign", "user", user.id, snapshot(r.fields), "");
  std::string what = "profile " + field(r.fields, "profile") + " from " + user.email;
  return change.finish(std::move(r), "unassigned " + what, "would unassign " + what);
}

Result run_perm_set_assign(const PermAssignOptions& o, Session& session) {
  PermChange change(session, o, "workspace:permissions:update");
  auto& tx = change.tx();
  auto set = change.named(PermKind::permission_set, o.target);
  change.require_may_give(held_permissions(tx, "permission_set_permissions", "permission_set_id", set.id));
  auto user = change.user(o.user, true);
  std::optional<std::string> expires;
  if (o.expires) expires = check_future_time(tx, session.option("expires"), *o.expires);
  auto same = tx.exec_params(
      "SELECT expires_at IS NOT DISTINCT FROM $3::timestamptz FROM user_permission_sets"
      " WHERE permission_set_id = $1::uuid AND user_id = $2::uuid FOR UPDATE",
      set.id, user.id, expires);
  auto before = set_row(tx, set.id, user.id);
  Result r;
  if (!same.empty() && same[0][0].as<bool>()) {
    r.fields = before;
    return change.unchanged(std::move(r), user.email + " already has permission set " + set.name + " with this expiry");
  }
  // Re-assigning renews: the expiry and granted_by follow the latest assignment.
  tx.exec_params(
      "INSERT INTO user_permission_sets (workspace_id, user_id, permission_set_id, granted_by, expires_at)"
      " SELECT workspace_id, $1::uuid, id, $3, $4::timestamptz FROM permission_sets WHERE id = $2::uuid"
      " ON CONFLICT (workspace_id, user_id, permission_set_id)"
      " DO UPDATE SET granted_by = EXCLUDED.granted_by, expires_at = EXCLUDED.expires_at, created_at = now()",
      user.id, set.id, session.actor(), expires);
  r.fields = set_row(tx, set.id, user.id);
  change.audit("perm.set.assign", "user", user.id, snapshot(before), snapshot(r.fields));
  std::string what = "permission set " + set.name + " to " + user.email + (expires ? " until " + *expires : "");
  return change.finish(std::move(r), "assigned " + what, "would assign " + what);
}

Result run_perm_set_unassign(const PermAssignOptions& o, Session& session) {
  PermChange change(session, o, "workspace:permissions:update");
  auto& tx = change.tx();
  auto set = change.named(PermKind::permission_set, o.target);
  auto user = change.user(o.user, false);
  tx.exec_params(
      "SELECT 1 FROM user_permission_sets WHERE permission_set_id = $1::uuid AND user_id = $2::uuid FOR UPDATE", set.id,
      user.id);
  Result r;
  r.fields = set_row(tx, set.id, user.id);
  if (r.fields.empty()) return change.unchanged(std::move(r), user.email + " does not have permission set " + set.name);
  tx.exec_params("DELETE FROM user_permission_sets WHERE permission_set_id = $1::uuid AND user_id = $2::uuid", set.id,
                 user.id);
  change.audit("perm.set.unassign", "user", user.id, snapshot(r.fields), "");
  std::string what = "permission set " + set.name + " from " + user.email;
  return change.finish(std::move(r), "unassigned " + what, "would unassign " + what);
}

}  // namespace wfa
