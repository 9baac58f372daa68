// `wfa perm team create|move|add|remove|list|show`: the team hierarchy and its leaders and members.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/listing.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "commands/perm/perm.hpp"
#include "commands/perm/perm_rules.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// team_tree is every team of workspace ? with its path from the root ("Sales/East") and depth.
constexpr const char* team_tree =
    "(WITH RECURSIVE tree AS (SELECT id, name AS path, 0 AS depth FROM teams WHERE workspace_id = ?::uuid AND "
    "parent_team_id IS NULL"
    " UNION ALL SELECT t.id, tree.path || '/' || t.name, tree.depth + 1 FROM teams t JOIN tree ON t.parent_team_id = "
    "tree.id)"
    " SELECT t.id, t.workspace_id, t.name, t.parent_team_id, p.name AS parent, tree.path, tree.depth,"
    " (SELECT count(*) FROM team_members m WHERE m.team_id = t.id AND m.role = 'leader') AS leader_count,"
    " (SELECT count(*) FROM team_members m WHERE m.team_id = t.id AND m.role = 'member') AS member_count, t.created_at"
    " FROM tree JOIN teams t ON t.id = tree.id LEFT JOIN teams p ON p.id = t.parent_team_id) x";

/// team_query lists a workspace's teams in path order; ONLY_ID narrows to one.
ListQuery team_query(const std::string& ws_id, const std::optional<std::string>& only_id) {
  ListQuery query("perm team list", "teams");
  query.select("x.*").from(team_tree, {ws_id}).where("x.id = ?::uuid", only_id).order_by({{"x.path", "text"}});
  return query;
}

Fields team_fields(pqxx::transaction_base& tx, const std::string& ws_id, const std::string& team_id) {
  return to_fields(query_table(tx, team_query(ws_id, team_id)));
}

/// lock_teams serialises hierarchy changes in one workspace, so two moves cannot close a cycle together.
void lock_teams(pqxx::transaction_base& tx, const std::string& ws_id) {
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext('wfa.perm.teams'), hashtext($1))", ws_id);
}

std::string parent_json(const std::optional<NamedRef>& parent) {
  nlohmann::json j = {{"parent_team_id", parent ? nlohmann::json(parent->id) : nlohmann::json()},
                      {"parent", parent ? nlohmann::json(parent->name) : nlohmann::json()}};
  return j.dump();
}

std::optional<std::string> member_role(pqxx::transaction_base& tx, const std::string& team_id,
                                       const std::string& user_id) {
  auto rows = tx.exec_params("SELECT role FROM team_members WHERE team_id = $1::uuid AND user_id = $2::uuid FOR UPDATE",
                             team_id, user_id);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

std::string membership_json(const NamedRef& team, const PermUser& user, const std::optional<std::string>& role) {
  if (!role) return "";
  return nlohmann::json{
      {"team_id", team.id}, {"team", team.name}, {"user_id", user.id}, {"email", user.email}, {"role", *role}}
      .dump();
}

}  // namespace

Result run_perm_team_create(const PermCreateOptions& o, Session& session) {
  auto name = check_display_name("NAME", o.name, "give the team's name, e.g. 'Sales North'");
  if (o.parent && *o.parent == name)
    throw InvalidInputError("team " + name + " cannot be its own parent", "name another team with --parent");
  PermChange change(session, o, "workspace:permissions:create");
  auto& tx = change.tx();
  const auto& ws = change.ws();
  lock_teams(tx, ws.id);
  std::optional<NamedRef> parent;
  if (o.parent) parent = change.named(PermKind::team, *o.parent);
  auto inserted = tx.exec_params(
      "INSERT INTO teams (workspace_id, name, parent_team_id) VALUES ($1::uuid, $2, $3::uuid)"
      " ON CONFLICT (workspace_id, name) DO NOTHING RETURNING id",
      ws.id, name, parent ? std::optional<std::string>(parent->id) : std::nullopt);
  Result r;
  if (inserted.empty()) {
    if (!o.if_not_exists)
      throw ConflictError("team " + name + " already exists in workspace " + o.workspace,
                          "use --if-not-exists to accept an existing one");
    r.fields = team_fields(tx, ws.id, change.named(PermKind::team, name).id);
    return change.unchanged(std::move(r), "team " + name + " already exists");
  }
  auto id = inserted[0][0].as<std::string>();
  change.audit("perm.team.create", "team", id, "", row_json(tx, "teams", id));
  r.fields = team_fields(tx, ws.id, id);
  std::string what = "team " + name + (parent ? " under " + parent->name : "");
  return change.finish(std::move(r), "created " + what, "would create " + what);
}

Result run_perm_team_move(const PermTeamMoveOptions& o, Session& session) {
  if (o.parent.has_value() == o.root)
    throw UsageError("give either " + session.option("parent") + " TEAM or " + session.option("root"),
                     "wfa perm team move TEAM --parent TEAM");
  PermChange change(session, o, "workspace:permissions:update");
  auto& tx = change.tx();
  const auto& ws = change.ws();
  lock_teams(tx, ws.id);
  auto team = change.named(PermKind::team, o.team, true);
  std::optional<NamedRef> parent;
  if (o.parent) parent = change.named(PermKind::team, *o.parent);
  if (parent) {
    // A cycle appears when the new parent is the team itself or lies below it.
    auto below =
        tx.exec_params(
              "WITH RECURSIVE up AS (SELECT id, parent_team_id, ARRAY[id] AS seen FROM teams WHERE id = $1::uuid"
              " UNION ALL SELECT t.id, t.parent_team_id, up.seen || t.id FROM teams t JOIN up ON t.id = "
              "up.parent_team_id"
              " WHERE NOT t.id = ANY(up.seen)) SELECT EXISTS (SELECT 1 FROM up WHERE id = $2::uuid)",
              parent->id, team.id)[0][0]
            .as<bool>();
    if (below)
      throw InvalidInputError(
          "moving team " + team.name + " under " + parent->name + " would make a cycle",
          parent->id == team.id ? "a team cannot be its own parent" : parent->name + " is inside " + team.name);
  }
  auto current = tx.exec_params(
      "SELECT p.id, p.name FROM teams t JOIN teams p ON p.id = t.parent_team_id WHERE t.id = $1::uuid", team.id);
  std::optional<NamedRef> before;
  if (!current.empty()) before = NamedRef{current[0][0].as<std::string>(), current[0][1].as<std::string>()};
  Result r;
  if ((before ? before->id : "") == (parent ? parent->id : "")) {
    r.fields = team_fields(tx, ws.id, team.id);
    return change.unchanged(std::move(r),
                            "team " + team.name + " is already " + (parent ? "under " + parent->name : "a root team"));
  }
  tx.exec_params("UPDATE teams SET parent_team_id = $2::uuid WHERE id = $1::uuid", team.id,
                 parent ? std::optional<std::string>(parent->id) : std::nullopt);
  change.audit("perm.team.move", "team", team.id, parent_json(before), parent_json(parent));
  r.fields = team_fields(tx, ws.id, team.id);
  std::string what = "team " + team.name + (parent ? " under " + parent->name : " to the root");
  return change.finish(std::move(r), "moved " + what, "would move " + what);
}

Result run_perm_team_add(const PermAssignOptions& o, Session& session) {
  PermChange change(session, o, "workspace:permissions:update");
  auto& tx = change.tx();
  auto team = change.named(PermKind::team, o.target);
  auto user = change.user(o.user, true);
  std::string role = o.leader ? "leader" : "member";
  auto before = member_role(tx, team.id, user.id);
  Result r;
  auto show = [&] {
    return to_fields(
        tx.exec_params("SELECT t.id AS team_id, t.name AS team, u.id AS user_id, u.email, m.role, m.created_at"
                       " FROM team_members m JOIN teams t ON t.id = m.team_id JOIN users u ON u.id = m.user_id"
                       " WHERE m.team_id = $1::uuid AND m.user_id = $2::uuid",
                       team.id, user.id));
  };
  if (before == role) {
    r.fields = show();
    return change.unchanged(std::move(r), user.email + " is already a " + role + " of team " + team.name);
  }
  tx.exec_params(
      "INSERT INTO team_members (workspace_id, team_id, user_id, role)"
      " SELECT workspace_id, id, $2::uuid, $3 FROM teams WHERE id = $1::uuid"
      " ON CONFLICT (workspace_id, team_id, user_id) DO UPDATE SET role = EXCLUDED.role",
      team.id, user.id, role);
  change.audit("perm.team.add", "user", user.id, membership_json(team, user, before),
               membership_json(team, user, role));
  r.fields = show();
  std::string what = user.email + " to team " + team.name + " as " + role;
  return change.finish(std::move(r), (before ? "changed " : "added ") + what, "would add " + what);
}

Result run_perm_team_remove(const PermAssignOptions& o, Session& session) {
  PermChange change(session, o, "workspace:permissions:update");
  auto& tx = change.tx();
  auto team = change.named(PermKind::team, o.target);
  auto user = change.user(o.user, false);
  auto before = member_role(tx, team.id, user.id);
  Result r;
  r.fields = {{"team_id", Cell(team.id)},
              {"team", Cell(team.name)},
              {"user_id", Cell(user.id)},
              {"email", Cell(user.email)},
              {"role", before ? Cell(*before) : Cell::null()}};
  if (!before) return change.unchanged(std::move(r), user.email + " is not in team " + team.name);
  tx.exec_params("DELETE FROM team_members WHERE team_id = $1::uuid AND user_id = $2::uuid", team.id, user.id);
  change.audit("perm.team.remove", "user", user.id, membership_json(team, user, before), "");
  std::string what = user.email + " from team " + team.name;
  return change.finish(std::move(r), "removed " + what, "would remove " + what);
}

Result run_perm_team_list(const PermShowOptions& o, Session& session) {
  auto tx = list_transaction(session);
  auto ws = workspace_for(*tx, session, o.workspace, "workspace:permissions:read");
  return list_rows(tx, team_query(ws.id, std::nullopt), o.paging, session);
}

Result run_perm_team_show(const PermShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:permissions:read");
  auto team = find_named(tx, PermKind::team, ws.id, o.target.value_or(""));
  Result r;
  r.fields = team_fields(tx, ws.id, team.id);
  r.tables.push_back(to_table(tx.exec_params("SELECT u.id AS user_id, u.email, m.role, m.created_at FROM team_members m"
                                             " JOIN users u ON u.id = m.user_id WHERE m.team_id = $1::uuid"
                                             " ORDER BY m.role, u.email",
                                             team.id),
                              "members"));
  return r;
}

}  // namespace wfa
