// `wfa perm share|unshare|shares` and `wfa perm owner set|show`: record-level access.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "commands/perm/perm.hpp"
#include "commands/perm/perm_records.hpp"
#include "commands/perm/perm_rules.hpp"
#include "commands/perm/record_access.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

constexpr const char* share_select =
    "SELECT s.id, s.workspace_id, s.record_type, s.record_id, s.user_id, u.email, s.team_id, t.name AS team, "
    "s.access_level,"
    " s.shared_by, s.expires_at, (s.expires_at IS NOT NULL AND s.expires_at <= now()) AS expired, s.created_at"
    " FROM record_shares s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN teams t ON t.id = s.team_id ";

/// Grantee is the user or the team a share names.
struct Grantee {
  std::optional<PermUser> user;
  std::optional<NamedRef> team;
  std::string text() const { return user ? user->email : "team " + team->name; }
};

Grantee find_grantee(PermChange& change, const PermShareOptions& o, bool need_standing, const Session& session) {
  if (o.user.has_value() == o.team.has_value())
    throw UsageError("give exactly one of " + session.option("user") + " and " + session.option("team"),
                     "e.g. --user bob@example.com");
  Grantee g;
  if (o.user)
    g.user = change.user(*o.user, need_standing);
  else
    g.team = change.named(PermKind::team, *o.team);
  return g;
}

/// lock_record serialises share and owner changes of one record.
void lock_record(pqxx::transaction_base& tx, const std::string& ws_id, const RecordRef& record) {
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext('wfa.perm.record'), hashtext($1 || '/' || $2))", ws_id,
                 record.text());
}

std::optional<std::string> id_of(const std::optional<PermUser>& u) {
  return u ? std::optional<std::string>(u->id) : std::nullopt;
}
std::optional<std::string> id_of(const std::optional<NamedRef>& t) {
  return t ? std::optional<std::string>(t->id) : std::nullopt;
}

constexpr const char* grantee_match =
    " AND s.workspace_id = $1::uuid AND s.record_type = $2 AND s.record_id = $3"
    " AND s.user_id IS NOT DISTINCT FROM $4::uuid AND s.team_id IS NOT DISTINCT FROM $5::uuid";

Fields owner_fields(pqxx::transaction_base& tx, const std::string& ws_id, const RecordRef& record) {
  return to_fields(
      tx.exec_params("SELECT o.workspace_id, o.record_type, o.record_id, o.owner_user_id, u.email AS owner, o.set_by, "
                     "o.created_at, o.updated_at"
                     " FROM record_owners o JOIN users u ON u.id = o.owner_user_id"
                     " WHERE o.workspace_id = $1::uuid AND o.record_type = $2 AND o.record_id = $3",
                     ws_id, record.type, record.id));
}

}  // namespace

Result run_perm_share(const PermShareOptions& o, Session& session) {
  auto given = parse_record("RECORD", o.record);
  check_choice(session.option("level"), o.level, access_levels, "an access level");
  PermChange change(session, o, "workspace:permissions:share", given);
  auto& tx = change.tx();
  const auto& ws = change.ws();
  auto grantee = find_grantee(change, o, true, session);
  auto record = require_record(tx, ws, change.label(), given);
  std::optional<std::string> expires;
  if (o.expires) expires = check_future_time(tx, session.option("expires"), *o.expires);
  lock_record(tx, ws.id, record);
  auto existing = tx.exec_params(
      std::string("SELECT s.id, s.access_level = $6 AND s.expires_at IS NOT DISTINCT FROM $7::timestamptz"
                  " FROM record_shares s WHERE true") +
          grantee_match + " ORDER BY s.created_at DESC LIMIT 1",
      ws.id, record.type, record.id, id_of(grantee.user), id_of(grantee.team), o.level, expires);
  Result r;
  std::string what =
      record.text() + " with " + grantee.text() + " (" + o.level + (expires ? " until " + *expires : "") + ")";
  std::string id, before;
  if (!existing.empty()) {
    id = existing[0][0].as<std::string>();
    r.fields = to_fields(tx.exec_params(std::string(share_select) + "WHERE s.id = $1::uuid", id));
    if (existing[0][1].as<bool>()) return change.unchanged(std::move(r), "already shared " + what);
    before = row_json(tx, "record_shares", id);
    // One share per record and grantee: sharing again changes its level and expiry.
    tx.exec_params(
        "UPDATE record_shares SET access_level = $2, expires_at = $3::timestamptz, shared_by = $4, created_at = now()"
        " WHERE id = $1::uuid",
        id, o.level, expires, session.actor());
  } else {
    id = tx.exec_params(
               "INSERT INTO record_shares (workspace_id, record_type, record_id, user_id, team_id, access_level, "
               "shared_by,"
               " expires_at) VALUES ($1::uuid, $2, $3, $4::uuid, $5::uuid, $6, $7, $8::timestamptz) RETURNING id",
               ws.id, record.type, record.id, id_of(grantee.user), id_of(grantee.team), o.level, session.actor(),
               expires)[0][0]
             .as<std::string>();
  }
  change.audit("perm.share", "record_share", id, before, row_json(tx, "record_shares", id));
  r.fields = to_fields(tx.exec_params(std::string(share_select) + "WHERE s.id = $1::uuid", id));
  return change.finish(std::move(r), "shared " + what, "would share " + what);
}

Result run_perm_unshare(const PermShareOptions& o, Session& session) {
  auto record = parse_record("RECORD", o.record);
  PermChange change(session, o, "workspace:permissions:share", record);
  auto& tx = change.tx();
  const auto& ws = change.ws();
  check_record_form(record, change.label());
  auto grantee = find_grantee(change, o, false, session);
  lock_record(tx, ws.id, record);
  auto rows = tx.exec_params(std::string(share_select) + "WHERE true" + grantee_match + " ORDER BY s.created_at", ws.id,
                             record.type, record.id, id_of(grantee.user), id_of(grantee.team));
  Result r;
  r.tables.push_back(to_table(rows, "shares"));
  std::string what = record.text() + " with " + grantee.text();
  if (rows.empty()) return change.unchanged(std::move(r), "did not find a share of " + what);
  for (const auto& row : rows) {
    auto id = row[0].as<std::string>();
    change.audit("perm.unshare", "record_share", id, row_json(tx, "record_shares", id), "");
    tx.exec_params("DELETE FROM record_shares WHERE id = $1::uuid", id);
  }
  return change.finish(std::move(r), "stopped sharing " + what, "would stop sharing " + what);
}

Result run_perm_shares(const PermShareOptions& o, Session& session) {
  auto record = parse_record("RECORD", o.record);
  pqxx::read_transaction tx(session.read_database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:permissions:read");
  check_record_form(record, o.workspace);
  Result r;
  r.tables.push_back(
      to_table(tx.exec_params(std::string(share_select) +
                                  "WHERE s.workspace_id = $1::uuid AND s.record_type = $2 AND s.record_id = $3"
                                  " ORDER BY s.created_at",
                              ws.id, record.type, record.id),
               "shares"));
  return r;
}

Result run_perm_owner_set(const PermOwnerOptions& o, Session& session) {
  auto given = parse_record("RECORD", o.record);
  PermChange change(session, o, "workspace:permissions:update");
  auto& tx = change.tx();
  const auto& ws = change.ws();
  auto record = require_record(tx, ws, change.label(), given);
  auto user = change.user(o.user, true);
  lock_record(tx, ws.id, record);
  auto before = owner_fields(tx, ws.id, record);
  Result r;
  auto snapshot = [](const std::string& id, const std::string& email) {
    return nlohmann::json{{"owner_user_id", id}, {"owner", email}}.dump();
  };
  std::string old_values;
  if (!before.empty()) {
    auto old_id = before[3].second.to_text();
    if (old_id == user.id) {
      r.fields = before;
      return change.unchanged(std::move(r), record.text() + " is already owned by " + user.email);
    }
    old_values = snapshot(old_id, before[4].second.to_text());
  }
  set_record_owner(tx, ws.id, record, user.id, session.actor());
  change.audit("perm.owner.set", "record", record.text(), old_values, snapshot(user.id, user.email));
  r.fields = owner_fields(tx, ws.id, record);
  std::string what = "owner of " + record.text() + " to " + user.email;
  return change.finish(std::move(r), "set " + what, "would set " + what);
}

Result run_perm_owner_show(const PermOwnerOptions& o, Session& session) {
  auto record = parse_record("RECORD", o.record);
  pqxx::read_transaction tx(session.read_database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:permissions:read");
  check_record_form(record, o.workspace);
  Result r;
  r.fields = owner_fields(tx, ws.id, record);
  if (r.fields.empty())
    throw NotFoundError("record " + record.text() + " has no owner in workspace " + o.workspace,
                        "set one with `wfa perm owner set " + record.text() + " --user U --workspace W`");
  return r;
}

}  // namespace wfa
