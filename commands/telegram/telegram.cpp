// `wfa telegram sync-admins`: a group's admins (by telegram_id) become workspace memberships.
#include "commands/telegram/telegram.hpp"
#include "commands/telegram/telegram_admins.hpp"
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

LinkedGroup link_group(pqxx::dbtransaction& tx, std::int64_t chat_id, const TelegramSyncAdminsOptions& o,
                       const TelegramAdminsFile& file, const std::string& actor) {
  if (auto found = find_linked_group(tx, chat_id)) {
    auto g = *found;
    if (o.workspace && find_workspace(tx, *o.workspace).id != g.scope.id)
      throw ConflictError("telegram group " + o.group + " is linked to " + g.scope.describe() + ", not " + *o.workspace,
                          "omit --workspace, or give --workspace " + g.scope.reference);
    return g;
  }
  if (!o.workspace)
    throw NotFoundError("telegram group " + o.group + " is not linked to a workspace",
                        "link it on the first sync: add --workspace W");
  LinkedGroup g;
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
  auto before = admins_json(tx, group.id);
  GroupAdminSync sync(tx, group, session.actor(), nlohmann::json{{"source", "telegram"}, {"chat_id", chat_id}}.dump());
  std::set<std::int64_t> listed;
  for (const auto& a : file.admins) {
    listed.insert(a.telegram_id);
    sync.admin(a);
  }
  // Admins no longer listed: demoted after the additions, so a new creator is owner before an old one loses it.
  for (const auto& r : tx.exec_params("SELECT telegram_user_id FROM telegram_group_admins"
                                      " WHERE group_id = $1::uuid AND status <> 'former' ORDER BY telegram_user_id",
                                      group.id)) {
    auto tid = r[0].as<std::int64_t>();
    if (!listed.count(tid)) sync.former(tid);
  }
  auto title_changed = tx.exec_params(
                             "UPDATE telegram_groups SET title = $2 WHERE id = $1::uuid AND $2::text IS NOT NULL"
                             " AND title IS DISTINCT FROM $2",
                             group.id, file.title)
                           .affected_rows();
  auto& c = sync.counts();
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
  r.tables.push_back(std::move(sync.rows()));
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
