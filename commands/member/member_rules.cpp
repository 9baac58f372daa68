// Membership rows, the max_users limit and last-owner protection (see member_scope.hpp).
#include <optional>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/member/member_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

namespace {

/// limit_of is the whole-number max_users in LIMITS (a jsonb text, may be null), or nothing without a cap.
std::optional<std::int64_t> limit_of(const pqxx::field& limits, const std::string& owner, const std::string& update) {
  if (limits.is_null()) return std::nullopt;
  auto limit = nlohmann::json::parse(limits.as<std::string>(), nullptr, false);
  if (limit.is_null()) return std::nullopt;
  if (!limit.is_number_integer() || limit.get<std::int64_t>() < 0)
    throw InvalidInputError(owner + " has a max_users limit that is not a whole number", "fix it: " + update);
  return limit.get<std::int64_t>();
}

}  // namespace

void require_member_room(pqxx::transaction_base& tx, const Scope& scope, const std::string& email) {
  auto row = tx.exec_params(
      "SELECT p.slug, p.resource_limits -> 'max_users', w.resource_limits -> 'max_users', w.member_count"
      " FROM partners p LEFT JOIN workspaces w ON w.id = $2::uuid WHERE p.id = $1::uuid",
      scope.partner_id, scope.workspace_id)[0];
  auto partner = row[0].as<std::string>();
  if (scope.kind == RoleScope::workspace) {
    auto update = "wfa workspace update " + scope.reference + " --limit max_users=N";
    auto own = limit_of(row[2], scope.describe(), update);
    auto live = row[3].as<std::int64_t>();
    if (own && live >= *own)
      throw ConflictError("cannot add " + email + ": " + scope.describe() + " has reached its max_users limit (" +
                              std::to_string(live) + " of " + std::to_string(*own) + " members)",
                          "remove a member, or raise the limit: " + update);
  }
  // The partner's cap counts people: a person with several memberships in the partner and its workspaces is one.
  auto update = "wfa partner update " + partner + " --limit max_users=N";
  auto cap = limit_of(row[1], "partner " + partner, update);
  if (!cap) return;
  auto people = tx.exec_params(
      "WITH people AS (SELECT m.user_id FROM partner_members m WHERE m.partner_id = $1::uuid AND m.removed_at IS NULL"
      " UNION SELECT m.user_id FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id"
      " WHERE w.partner_id = $1::uuid AND w.deleted_at IS NULL AND m.removed_at IS NULL)"
      " SELECT count(*), count(*) FILTER (WHERE u.email = $2) FROM people JOIN users u ON u.id = people.user_id",
      scope.partner_id, email)[0];
  auto counted = people[0].as<std::int64_t>();
  if (people[1].as<std::int64_t>() > 0 || counted < *cap) return;
  throw ConflictError("cannot add " + email + ": partner " + partner + " has reached its max_users limit (" +
                          std::to_string(counted) + " of " + std::to_string(*cap) +
                          " people across the partner and its workspaces)",
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
