// Membership rows, the max_users limit and last-owner protection (see member_scope.hpp).
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/member/member_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

void require_member_room(pqxx::transaction_base& tx, const Scope& scope, const std::string& email) {
  auto limit_row =
      tx.exec_params(scope.kind == RoleScope::partner
                         ? "SELECT p.resource_limits -> 'max_users' FROM partners p WHERE p.id = $1::uuid"
                         : "SELECT COALESCE(w.resource_limits -> 'max_users', p.resource_limits -> 'max_users')"
                           " FROM workspaces w JOIN partners p ON p.id = w.partner_id WHERE w.id = $1::uuid",
                     scope.id);
  if (limit_row.empty() || limit_row[0][0].is_null()) return;
  auto limit = nlohmann::json::parse(limit_row[0][0].as<std::string>(), nullptr, false);
  std::string update =
      "wfa " + std::string(scope_name(scope.kind)) + " update " + scope.reference + " --limit max_users=N";
  if (limit.is_null()) return;
  if (!limit.is_number_integer() || limit.get<std::int64_t>() < 0)
    throw InvalidInputError(scope.describe() + " has a max_users limit that is not a whole number",
                            "fix it: " + update);
  auto live =
      tx.exec_params(std::string("SELECT member_count FROM ") +
                         (scope.kind == RoleScope::partner ? "partners" : "workspaces") + " WHERE id = $1::uuid",
                     scope.id)[0][0]
          .as<std::int64_t>();
  auto max = limit.get<std::int64_t>();
  if (live >= max)
    throw ConflictError("cannot add " + email + ": " + scope.describe() + " has reached its max_users limit (" +
                            std::to_string(live) + " of " + std::to_string(max) + " members)",
                        "remove a member, or raise the limit: " + update);
}

void require_other_owner(pqxx::transaction_base& tx, const Scope& scope, const RoleHierarchy& roles,
                         const MembershipRef& member, const std::string& email, const std::string& verb) {
  if (member.role != roles.top()) return;
  auto others =
      tx.exec_params(std::string("SELECT count(*) FROM ") + scope.members_table() + " WHERE " + scope.key_column() +
                         " = $1::uuid AND removed_at IS NULL AND role = $2 AND id <> $3::uuid",
                     scope.id, roles.top(), member.id)[0][0]
          .as<long>();
  if (others == 0)
    throw ConflictError(
        "cannot " + verb + " " + email + ": the last " + roles.top() + " of " + scope.describe(),
        "make another member " + roles.top() + " first: wfa member role EMAIL " + scope.flag() + " " + roles.top());
}

std::string add_membership(pqxx::dbtransaction& tx, const Scope& scope, const std::string& user_id,
                           const std::string& role, const std::string& invited_by, const std::string& actor,
                           const std::string& metadata) {
  auto id = tx.exec_params(std::string("INSERT INTO ") + scope.members_table() + " (" + scope.key_column() +
                               ", user_id, role, invited_by) VALUES ($1::uuid, $2::uuid, $3, $4) RETURNING id",
                           scope.id, user_id, role, invited_by)[0][0]
                .as<std::string>();
  auto noun = std::string(scope_name(scope.kind)) + "_member";
  record_audit(tx, {actor, noun + ".add", noun, id, scope.partner_id, scope.workspace_id, "",
                    row_json(tx, scope.members_table(), id), metadata});
  return id;
}

void change_role(pqxx::dbtransaction& tx, const Scope& scope, const std::string& membership_id, const std::string& role,
                 const std::string& actor, const std::string& metadata) {
  auto before = row_json(tx, scope.members_table(), membership_id);
  tx.exec_params(std::string("UPDATE ") + scope.members_table() + " SET role = $2 WHERE id = $1::uuid", membership_id,
                 role);
  auto noun = std::string(scope_name(scope.kind)) + "_member";
  record_audit(tx, {actor, noun + ".role", noun, membership_id, scope.partner_id, scope.workspace_id, before,
                    row_json(tx, scope.members_table(), membership_id), metadata});
}

ListQuery member_query(const Scope& scope, const std::optional<std::string>& only_id, bool include_removed) {
  std::string scope_kind(scope_name(scope.kind));
  ListQuery query("member list", "members");
  query
      .select(
          "m.id, ?::text AS scope, ?::uuid AS partner_id, ?::uuid AS workspace_id, m.user_id, u.email,"
          " u.first_name, u.last_name, m.role, m.invited_by, m.created_at, m.updated_at, m.removed_at, m.removed_by",
          {scope_kind, scope.partner_id, scope.workspace_id})
      .from(std::string(scope.members_table()) +
                " m JOIN users u ON u.id = m.user_id LEFT JOIN roles r ON r.scope = ? AND r.role = m.role",
            {scope_kind})
      .where(std::string("m.") + scope.key_column() + " = ?::uuid", scope.id)
      .where("m.id = ?::uuid", only_id)
      .order_by({{"m.removed_at IS NOT NULL", "boolean"},
                 {"COALESCE(r.rank, -1)", "integer", true},
                 {"u.email", "text"},
                 {"m.id", "uuid"}})
      .when_empty(scope.describe() + " has no members; add one with `wfa member add`");
  if (!include_removed) query.where("m.removed_at IS NULL");
  return query;
}

std::vector<std::pair<std::string, Cell>> member_fields(pqxx::transaction_base& tx, const Scope& scope,
                                                        const std::string& id) {
  return to_fields(query_table(tx, member_query(scope, id, true)));
}

}  // namespace wfa
