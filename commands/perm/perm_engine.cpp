// The database half of the check engine: two prepared statements and the per-user grant cache.
#include "commands/perm/perm_engine.hpp"

#include <pqxx/connection_base>
#include <pqxx/result>
#include <pqxx/transaction_base>

#include "core/rows.hpp"
#include "core/error.hpp"

namespace wfa {

namespace {

constexpr const char* grants_statement = "wfa_perm_grants";
constexpr const char* record_statement = "wfa_perm_record";

/// The user's standing and grants in workspace $1: a 'member' row when they hold a live workspace or
/// partner membership, then the role matrix rows of their roles and every lower-ranked role of the
/// same scope, their profile's permissions, and their unexpired permission sets' permissions.
const std::string grants_sql = R"SQL(
WITH wm AS (SELECT role FROM workspace_members WHERE workspace_id = $1::uuid AND user_id = $2::uuid AND
  removed_at IS NULL),
pm AS (SELECT m.role FROM partner_members m JOIN workspaces w ON w.partner_id = m.partner_id
       WHERE w.id = $1::uuid AND m.user_id = $2::uuid AND m.removed_at IS NULL),
held AS (SELECT 'workspace' AS scope, role FROM wm UNION ALL SELECT 'partner', role FROM pm)
SELECT 'member' AS source, '' AS name, '' AS permission, '' AS expires_at, 0::bigint AS expires_epoch
  WHERE EXISTS (SELECT 1 FROM held)
UNION ALL
SELECT DISTINCT CASE WHEN held.scope = 'workspace' THEN 'role' ELSE 'partner_role' END, held.role,
  rp.permission::text, '', 0
  FROM held JOIN roles r ON r.scope = held.scope AND r.role = held.role
  JOIN roles lower_role ON lower_role.scope = r.scope AND lower_role.rank <= r.rank
  JOIN role_permissions rp ON rp.scope = lower_role.scope AND rp.role = lower_role.role
UNION ALL
SELECT 'profile', p.name, pp.permission::text, '', 0
  FROM user_profiles up JOIN profiles p ON p.id = up.profile_id JOIN profile_permissions pp ON pp.profile_id = p.id
  WHERE up.workspace_id = $1::uuid AND up.user_id = $2::uuid
UNION ALL
SELECT 'permission_set', s.name, sp.permission::text,
       COALESCE()SQL" + utc_sql("a.expires_at") +
                               R"SQL(, ''),
       COALESCE(floor(extract(epoch FROM a.expires_at))::bigint, 0)
  FROM user_permission_sets a JOIN permission_sets s ON s.id = a.permission_set_id AND s.workspace_id = $1::uuid
  JOIN permission_set_permissions sp ON sp.permission_set_id = s.id
  WHERE a.user_id = $2::uuid AND (a.expires_at IS NULL OR a.expires_at > now())
)SQL";

/// Every unexpired way user $2 reaches record $3:$4 of workspace $1 (migration 0036 defines the rules, which list
/// verbs filter with too).
const std::string record_sql = "SELECT * FROM wfa_record_access($1::uuid, $2::uuid, $3, $4)";

std::int64_t now_epoch() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

PermissionEngine::PermissionEngine(pqxx::connection_base& conn, std::chrono::milliseconds max_age) : max_age_(max_age) {
  conn.prepare(grants_statement, grants_sql);
  conn.prepare(record_statement, record_sql);
}

const UserGrants& PermissionEngine::grants(pqxx::transaction_base& tx, const std::string& ws_id,
                                           const std::string& user_id) {
  auto now = std::chrono::steady_clock::now();
  auto& entry = cache_[ws_id + "/" + user_id];
  if (entry.loaded != std::chrono::steady_clock::time_point{} && now - entry.loaded < max_age_) return entry.grants;
  UserGrants loaded;
  for (const auto& row : tx.exec_prepared(grants_statement, ws_id, user_id)) {
    if (row[0].as<std::string>() == "member") {
      loaded.member = true;
      continue;
    }
    loaded.grants.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                             row[3].as<std::string>(), row[4].as<std::int64_t>()});
  }
  entry = {std::move(loaded), now};
  return entry.grants;
}

std::vector<RecordAccess> PermissionEngine::record_access(pqxx::transaction_base& tx, const std::string& ws_id,
                                                          const std::string& user_id, const RecordRef& record) {
  std::vector<RecordAccess> out;
  for (const auto& row : tx.exec_prepared(record_statement, ws_id, user_id, record.type, record.id))
    out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].is_null() ? "" : row[2].as<std::string>(),
                   parse_level(row[3].as<std::string>()), row[4].as<std::string>(), row[5].as<std::int64_t>(),
                   row[6].as<int>()});
  return out;
}

Decision PermissionEngine::check(pqxx::transaction_base& tx, const std::string& ws_id, const std::string& user_id,
                                 std::string_view permission, const std::optional<RecordRef>& record) {
  const auto& user = grants(tx, ws_id, user_id);
  auto now = now_epoch();
  // A grant alone decides; the record is read only when no grant matches (and the user is a member).
  auto by_grant = decide(user, nullptr, permission, now);
  if (by_grant.allowed || !record || !user.member) return by_grant;
  auto access = record_access(tx, ws_id, user_id, *record);
  return decide(user, &access, permission, now);
}

}  // namespace wfa
