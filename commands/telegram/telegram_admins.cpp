// A group's admins becoming workspace memberships, one admin at a time (sync-admins and chat_member updates).
#include "commands/telegram/telegram_admins.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/member/member_rules.hpp"
#include "commands/tenancy/roles.hpp"
#include "core/error.hpp"

namespace wfa {

namespace {

/// The documented mapping: a group's creator owns the workspace, its administrators administer it,
/// and an admin who is no longer listed is demoted to member.
const std::map<std::string, std::string> role_of_status{{"creator", "owner"}, {"administrator", "admin"}};
constexpr const char* former_admin_role = "member";

std::optional<std::string> optional_text(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional(f.as<std::string>());
}

}  // namespace

std::optional<LinkedGroup> find_linked_group(pqxx::dbtransaction& tx, std::int64_t chat_id) {
  // The route (a reference table on Citus) says which workspace a chat belongs to, across all workspaces.
  auto rows =
      tx.exec_params("SELECT group_id, workspace_id FROM telegram_chat_routes WHERE chat_id = $1 FOR UPDATE", chat_id);
  if (rows.empty()) return std::nullopt;
  LinkedGroup g;
  g.id = rows[0][0].as<std::string>();
  g.scope = scope_by_id(tx, RoleScope::workspace, rows[0][1].as<std::string>());
  return g;
}

std::string admins_json(pqxx::transaction_base& tx, const std::string& group_id) {
  return tx
      .exec_params(
          "SELECT COALESCE(jsonb_agg(to_jsonb(a) - 'created_at' - 'updated_at' - 'status_date' ORDER BY"
          " telegram_user_id), '[]') FROM telegram_group_admins a WHERE group_id = $1::uuid",
          group_id)[0][0]
      .as<std::string>();
}

struct GroupAdminSync::Impl {
  pqxx::dbtransaction& tx;
  const LinkedGroup& group;
  RoleHierarchy roles;
  std::string actor, metadata;
  std::map<std::string, int> counts;
  Table out{"admins", {"telegram_id", "username", "status", "user_id", "email", "previous_role", "role", "action"}};

  void row(std::int64_t tid, const std::optional<std::string>& username, const std::string& status,
           const std::optional<std::string>& user_id, const std::optional<std::string>& email,
           const std::optional<std::string>& before, const std::optional<std::string>& after,
           const std::string& action) {
    auto opt = [](const std::optional<std::string>& s) { return s ? Cell(*s) : Cell::null(); };
    out.rows.push_back(
        {Cell(tid), opt(username), Cell(status), opt(user_id), opt(email), opt(before), opt(after), Cell(action)});
    ++counts[action];
  }
};

GroupAdminSync::GroupAdminSync(pqxx::dbtransaction& tx, const LinkedGroup& group, std::string actor,
                               std::string metadata)
    : impl_(new Impl{
          tx, group, RoleHierarchy::load(tx, RoleScope::workspace), std::move(actor), std::move(metadata), {}}) {}

GroupAdminSync::~GroupAdminSync() = default;

std::map<std::string, int>& GroupAdminSync::counts() { return impl_->counts; }
Table& GroupAdminSync::rows() { return impl_->out; }

bool GroupAdminSync::stale(std::int64_t tid, std::int64_t reported_at) {
  return !impl_->tx
              .exec_params(
                  "SELECT 1 FROM telegram_group_admins WHERE group_id = $1::uuid AND telegram_user_id = $2 AND"
                  " status_date > to_timestamp($3::bigint)",
                  impl_->group.id, tid, reported_at)
              .empty();
}

void GroupAdminSync::admin(const TelegramAdmin& a, std::optional<std::int64_t> reported_at) {
  auto& s = *impl_;
  auto user =
      s.tx.exec_params("SELECT id, email FROM users WHERE telegram_id = $1 AND deleted_at IS NULL", a.telegram_id);
  std::optional<std::string> user_id, email;
  if (!user.empty()) user_id = user[0][0].as<std::string>(), email = user[0][1].as<std::string>();
  auto changed = s.tx.exec_params(
      "INSERT INTO telegram_group_admins (workspace_id, group_id, telegram_user_id, user_id, status, first_name,"
      " last_name, username, status_date)"
      " SELECT workspace_id, id, $2, $3::uuid, $4, $5, $6, $7, coalesce(to_timestamp($8::bigint), now()) FROM "
      "telegram_groups"
      " WHERE id = $1::uuid ON CONFLICT (workspace_id, group_id, telegram_user_id) DO UPDATE"
      " SET user_id = EXCLUDED.user_id, status = EXCLUDED.status, first_name = EXCLUDED.first_name,"
      " last_name = EXCLUDED.last_name, username = EXCLUDED.username, status_date = EXCLUDED.status_date"
      " WHERE (telegram_group_admins.user_id, telegram_group_admins.status, telegram_group_admins.first_name,"
      " telegram_group_admins.last_name, telegram_group_admins.username) IS DISTINCT FROM"
      " (EXCLUDED.user_id, EXCLUDED.status, EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.username)"
      " OR ($8::bigint IS NOT NULL AND telegram_group_admins.status_date < EXCLUDED.status_date)",
      s.group.id, a.telegram_id, user_id, a.status, a.first_name, a.last_name, a.username, reported_at);
  s.counts["admin_rows_changed"] += static_cast<int>(changed.affected_rows());
  if (!user_id) return s.row(a.telegram_id, a.username, a.status, user_id, email, {}, {}, "unmatched");
  const auto& target = role_of_status.at(a.status);
  auto member = live_membership(s.tx, s.group.scope, *user_id);
  if (!member) {
    require_member_room(s.tx, s.group.scope, *email);
    add_membership(s.tx, s.group.scope, *user_id, target, "telegram:" + std::to_string(a.telegram_id), s.actor,
                   s.metadata);
    return s.row(a.telegram_id, a.username, a.status, user_id, email, {}, target, "added");
  }
  if (s.roles.rank(member->role) >= s.roles.rank(target))
    return s.row(a.telegram_id, a.username, a.status, user_id, email, member->role, member->role, "unchanged");
  change_role(s.tx, s.group.scope, member->id, target, s.actor, s.metadata);
  s.row(a.telegram_id, a.username, a.status, user_id, email, member->role, target, "promoted");
}

void GroupAdminSync::former(std::int64_t tid, std::optional<std::int64_t> reported_at) {
  auto& s = *impl_;
  auto known = s.tx.exec_params(
      "UPDATE telegram_group_admins SET status = 'former', status_date = coalesce(to_timestamp($3::bigint), now())"
      " WHERE group_id = $1::uuid AND telegram_user_id = $2 AND status <> 'former' RETURNING username, user_id",
      s.group.id, tid, reported_at);
  if (known.empty()) return;  // never an admin here, or already former
  ++s.counts["admin_rows_changed"];
  auto username = optional_text(known[0][0]);
  auto user_id = optional_text(known[0][1]);
  std::optional<MembershipRef> member;
  std::optional<std::string> email;
  if (user_id) {
    member = live_membership(s.tx, s.group.scope, *user_id);
    email = s.tx.exec_params("SELECT email FROM users WHERE id = $1::uuid", *user_id)[0][0].as<std::string>();
  }
  if (!member || s.roles.rank(member->role) <= s.roles.rank(former_admin_role))
    return s.row(tid, username, "former", user_id, email, member ? std::optional(member->role) : std::nullopt,
                 member ? std::optional(member->role) : std::nullopt, "no_longer_admin");
  try {
    require_other_owner(s.tx, s.group.scope, s.roles, *member, *email, "demote");
  } catch (const ConflictError&) {
    return s.row(tid, username, "former", user_id, email, member->role, member->role, "kept_last_owner");
  }
  change_role(s.tx, s.group.scope, member->id, former_admin_role, s.actor, s.metadata);
  s.row(tid, username, "former", user_id, email, member->role, std::string(former_admin_role), "demoted");
}

}  // namespace wfa
