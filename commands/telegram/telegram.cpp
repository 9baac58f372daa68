// `wfa telegram sync-admins`: a group's admins (by telegram_id) become workspace memberships.
#include "commands/telegram/telegram.hpp"
#include "commands/telegram/telegram_file.hpp"

#include <map>
#include <set>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/except>
#include <pqxx/subtransaction>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/member/member_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// The documented mapping: a group's creator owns the workspace, its administrators administer it,
/// and an admin who is no longer listed is demoted to member.
const std::map<std::string, std::string> role_of_status{{"creator", "owner"}, {"administrator", "admin"}};
constexpr const char* former_admin_role = "member";

std::int64_t parse_chat_id(const std::string& group, const Session& session) {
  std::size_t used = 0;
  std::int64_t id = 0;
  try {
    id = std::stoll(group, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != group.size() || group.empty() || id == 0)
    throw InvalidInputError(session.option("group") + " '" + group + "' is not a Telegram chat id",
                            "give the numeric chat id, e.g. -1001234567890");
  return id;
}

/// Group is the linked group row (locked) and the workspace scope it syncs into.
struct Group {
  std::string id;
  Scope scope;
  bool created = false;
};

Group link_group(pqxx::dbtransaction& tx, std::int64_t chat_id, const TelegramSyncAdminsOptions& o,
                 const TelegramAdminsFile& file, const std::string& actor) {
  // The route (a reference table on Citus) says which workspace a chat belongs to, across all workspaces.
  auto rows =
      tx.exec_params("SELECT group_id, workspace_id FROM telegram_chat_routes WHERE chat_id = $1 FOR UPDATE", chat_id);
  Group g;
  if (!rows.empty()) {
    g.id = rows[0][0].as<std::string>();
    g.scope = scope_by_id(tx, RoleScope::workspace, rows[0][1].as<std::string>());
    if (o.workspace && find_workspace(tx, *o.workspace).id != g.scope.id)
      throw ConflictError("telegram group " + o.group + " is linked to " + g.scope.describe() + ", not " + *o.workspace,
                          "omit --workspace, or give --workspace " + g.scope.reference);
    return g;
  }
  if (!o.workspace)
    throw NotFoundError("telegram group " + o.group + " is not linked to a workspace",
                        "link it on the first sync: add --workspace W");
  g.scope = scope_by_id(tx, RoleScope::workspace, find_workspace(tx, *o.workspace).id);
  g.id = tx.exec_params(
               "INSERT INTO telegram_groups (chat_id, workspace_id, title) VALUES ($1, $2::uuid, $3) RETURNING id",
               chat_id, g.scope.id, file.title)[0][0]
             .as<std::string>();
  try {
    pqxx::subtransaction route(tx, "route");
    route.exec_params(
        "INSERT INTO telegram_chat_routes (chat_id, workspace_id, group_id) VALUES ($1, $2::uuid, $3::uuid)", chat_id,
        g.scope.id, g.id);
    route.commit();
  } catch (const pqxx::unique_violation&) {
    throw ConflictError("telegram group " + o.group + " was linked by another run at the same time",
                        "run the sync again: it finds the group's workspace");
  }
  record_audit(tx, {actor, "telegram_group.create", "telegram_group", g.id, g.scope.partner_id, g.scope.workspace_id,
                    "", row_json(tx, "telegram_groups", g.id), ""});
  g.created = true;
  return g;
}

/// admins_json snapshots the group's admin rows for the audit log.
std::string admins_json(pqxx::transaction_base& tx, const std::string& group_id) {
  return tx
      .exec_params(
          "SELECT COALESCE(jsonb_agg(to_jsonb(a) - 'created_at' - 'updated_at' ORDER BY telegram_user_id), '[]')"
          " FROM telegram_group_admins a WHERE group_id = $1::uuid",
          group_id)[0][0]
      .as<std::string>();
}

/// Sync does the work for one group; counts says what changed.
struct Sync {
  pqxx::dbtransaction& tx;
  const Group& group;
  const RoleHierarchy& roles;
  const std::string& actor;
  std::string metadata;
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

  void admin(const TelegramAdmin& a) {
    auto user =
        tx.exec_params("SELECT id, email FROM users WHERE telegram_id = $1 AND deleted_at IS NULL", a.telegram_id);
    std::optional<std::string> user_id, email;
    if (!user.empty()) user_id = user[0][0].as<std::string>(), email = user[0][1].as<std::string>();
    auto changed = tx.exec_params(
        "INSERT INTO telegram_group_admins (workspace_id, group_id, telegram_user_id, user_id, status, first_name,"
        " last_name, username)"
        " SELECT workspace_id, id, $2, $3::uuid, $4, $5, $6, $7 FROM telegram_groups WHERE id = $1::uuid"
        " ON CONFLICT (workspace_id, group_id, telegram_user_id) DO UPDATE"
        " SET user_id = EXCLUDED.user_id, status = EXCLUDED.status, first_name = EXCLUDED.first_name,"
        " last_name = EXCLUDED.last_name, username = EXCLUDED.username"
        " WHERE (telegram_group_admins.user_id, telegram_group_admins.status, telegram_group_admins.first_name,"
        " telegram_group_admins.last_name, telegram_group_admins.username) IS DISTINCT FROM"
        " (EXCLUDED.user_id, EXCLUDED.status, EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.username)",
        group.id, a.telegram_id, user_id, a.status, a.first_name, a.last_name, a.username);
    counts["admin_rows_changed"] += static_cast<int>(changed.affected_rows());
    if (!user_id) return row(a.telegram_id, a.username, a.status, user_id, email, {}, {}, "unmatched");
    const auto& target = role_of_status.at(a.status);
    auto member = live_membership(tx, group.scope, *user_id);
    if (!member) {
      require_member_room(tx, group.scope, *email);
      add_membership(tx, group.scope, *user_id, target, "telegram:" + std::to_string(a.telegram_id), actor, metadata);
      return row(a.telegram_id, a.username, a.status, user_id, email, {}, target, "added");
    }
    if (roles.rank(member->role) >= roles.rank(target))
      return row(a.telegram_id, a.username, a.status, user_id, email, member->role, member->role, "unchanged");
    change_role(tx, group.scope, member->id, target, actor, metadata);
    row(a.telegram_id, a.username, a.status, user_id, email, member->role, target, "promoted");
  }

  void former(std::int64_t tid, const std::optional<std::string>& username, const std::optional<std::string>& user_id) {
    tx.exec_params(
        "UPDATE telegram_group_admins SET status = 'former' WHERE group_id = $1::uuid AND telegram_user_id = $2",
        group.id, tid);
    ++counts["admin_rows_changed"];
    std::optional<MembershipRef> member;
    std::optional<std::string> email;
    if (user_id) {
      member = live_membership(tx, group.scope, *user_id);
      email = tx.exec_params("SELECT email FROM users WHERE id = $1::uuid", *user_id)[0][0].as<std::string>();
    }
    if (!member || roles.rank(member->role) <= roles.rank(former_admin_role))
      return row(tid, username, "former", user_id, email, member ? std::optional(member->role) : std::nullopt,
                 member ? std::optional(member->role) : std::nullopt, "no_longer_admin");
    try {
      require_other_owner(tx, group.scope, roles, *member, *email, "demote");
    } catch (const ConflictError&) {
      return row(tid, username, "former", user_id, email, member->role, member->role, "kept_last_owner");
    }
    change_role(tx, group.scope, member->id, former_admin_role, actor, metadata);
    row(tid, username, "former", user_id, email, member->role, std::string(former_admin_role), "demoted");
  }
};

}  // namespace

Result run_telegram_sync_admins(const TelegramSyncAdminsOptions& o, Session& session) {
  auto chat_id = parse_chat_id(o.group, session);
  auto file = read_admins_file(o.admins_file);
  if (file.chat_id && *file.chat_id != chat_id)
    throw InvalidInputError(
        o.admins_file + ":/chat_id: " + std::to_string(*file.chat_id) + " is not the group " + o.group,
        "check --group and the file");
  pqxx::work tx(session.database().ready());
  auto group = link_group(tx, chat_id, o, file, session.actor());
  require_workspace(tx, actor_of(tx, session), WorkspaceRef{group.scope.id, group.scope.partner_id, "", false},
                    group.scope.reference, "workspace:telegram:update");
  auto roles = RoleHierarchy::load(tx, RoleScope::workspace);
  auto before = admins_json(tx, group.id);
  Sync sync{tx, group, roles, session.actor(), nlohmann::json{{"source", "telegram"}, {"chat_id", chat_id}}.dump(), {}};
  std::set<std::int64_t> listed;
  for (const auto& a : file.admins) {
    listed.insert(a.telegram_id);
    sync.admin(a);
  }
  // Admins no longer listed: demoted after the additions, so a new creator is owner before an old one loses it.
  for (const auto& r : tx.exec_params("SELECT telegram_user_id, username, user_id FROM telegram_group_admins"
                                      " WHERE group_id = $1::uuid AND status <> 'former' ORDER BY telegram_user_id",
                                      group.id)) {
    auto tid = r[0].as<std::int64_t>();
    if (listed.count(tid)) continue;
    sync.former(tid, r[1].is_null() ? std::nullopt : std::optional(r[1].as<std::string>()),
                r[2].is_null() ? std::nullopt : std::optional(r[2].as<std::string>()));
  }
  auto title_changed = tx.exec_params(
                             "UPDATE telegram_groups SET title = $2 WHERE id = $1::uuid AND $2::text IS NOT NULL"
                             " AND title IS DISTINCT FROM $2",
                             group.id, file.title)
                           .affected_rows();
  auto& c = sync.counts;
  bool changed = group.created || title_changed > 0 || c["admin_rows_changed"] > 0 ||
                 c["added"] + c["promoted"] + c["demoted"] > 0;
  auto summary = std::to_string(c["added"]) + " added, " + std::to_string(c["promoted"]) + " promoted, " +
                 std::to_string(c["demoted"]) + " demoted, " + std::to_string(c["unmatched"]) + " without a user";
  if (c["kept_last_owner"] > 0) summary += ", " + std::to_string(c["kept_last_owner"]) + " kept as last owner";
  if (file.bots_skipped > 0) summary += ", " + std::to_string(file.bots_skipped) + " bots skipped";
  Result r;
  r.fields = {{"group_id", Cell(group.id)},
              {"chat_id", Cell(chat_id)},
              {"workspace_id", Cell(group.scope.id)},
              {"workspace", Cell(group.scope.reference)},
              {"changed", Cell(changed)}};
  r.tables.push_back(std::move(sync.out));
  auto what = "telegram group " + o.group + " into " + group.scope.describe();
  if (!changed) {
    r.message = what + ": nothing changed (" + summary + ")";
    return r;
  }
  tx.exec_params("UPDATE telegram_groups SET last_changed_at = now() WHERE id = $1::uuid", group.id);
  auto counts = nlohmann::json{{"added", c["added"]},
                               {"promoted", c["promoted"]},
                               {"demoted", c["demoted"]},
                               {"unmatched", c["unmatched"]},
                               {"chat_id", chat_id}};
  record_audit(tx, {session.actor(), "telegram_group.sync_admins", "telegram_group", group.id, group.scope.partner_id,
                    group.scope.workspace_id, before, admins_json(tx, group.id), counts.dump()});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "synced " + what + ": " + summary,
                             "would sync " + what + ": " + summary);
}

}  // namespace wfa
