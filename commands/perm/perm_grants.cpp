// `wfa perm profile|set create|grant|revoke|list|show`: the two kinds that hold permissions.
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

/// Holder describes a kind that holds permissions; every string is a constant, never user input.
struct Holder {
  PermKind kind;
  const char* table;
  const char* grants;     ///< the table of its permissions
  const char* fk;         ///< that table's column naming the holder
  const char* entity;     ///< audit entity_type and output table name stem
  const char* action;     ///< audit action prefix
  const char* users;      ///< SQL counting X's current users
  const char* user_rows;  ///< SQL listing the users of holder $1
};

const Holder profile_holder{
    PermKind::profile,
    "profiles",
    "profile_permissions",
    "profile_id",
    "profile",
    "perm.profile",
    "(SELECT count(*) FROM user_profiles u WHERE u.profile_id = x.id)",
    "SELECT u.id AS user_id, u.email, a.assigned_by, a.created_at FROM user_profiles a JOIN users u ON u.id = a.user_id"
    " WHERE a.profile_id = $1::uuid ORDER BY u.email"};
const Holder set_holder{PermKind::permission_set,
                        "permission_sets",
                        "permission_set_permissions",
                        "permission_set_id",
                        "permission_set",
                        "perm.set",
                        "(SELECT count(*) FROM user_permission_sets u WHERE u.permission_set_id = x.id AND "
                        "(u.expires_at IS NULL OR u.expires_at > now()))",
                        "SELECT u.id AS user_id, u.email, a.granted_by, a.expires_at, (a.expires_at IS NOT NULL AND "
                        "a.expires_at <= now()) AS expired,"
                        " a.created_at FROM user_permission_sets a JOIN users u ON u.id = a.user_id WHERE "
                        "a.permission_set_id = $1::uuid ORDER BY u.email"};

/// holder_query lists a workspace's profiles or sets by name with their permissions; ONLY_ID narrows to one.
ListQuery holder_query(const Holder& h, const std::optional<std::string>& ws_id,
                       const std::optional<std::string>& only_id) {
  ListQuery query(std::string("perm ") + h.entity + " list", std::string(h.entity) + "s");
  query
      .select(std::string("x.id, x.workspace_id, x.name, x.description, x.created_at,"
                          " COALESCE((SELECT jsonb_agg(g.permission::text ORDER BY g.permission) FROM ") +
              h.grants + " g WHERE g." + h.fk + " = x.id), '[]'::jsonb) AS permissions, " + h.users + " AS user_count")
      .from(std::string(h.table) + " x")
      .where("x.workspace_id = ?::uuid", ws_id)
      .where("x.id = ?::uuid", only_id)
      .order_by({{"x.name", "text"}, {"x.id", "uuid"}});
  return query;
}

Fields holder_fields(pqxx::transaction_base& tx, const Holder& h, const std::string& id) {
  return to_fields(query_table(tx, holder_query(h, std::nullopt, id)));
}

/// permissions_json is the sorted JSON array of HOLDER_ID's permissions.
std::string permissions_json(pqxx::transaction_base& tx, const Holder& h, const std::string& holder_id) {
  return tx
      .exec_params(std::string("SELECT COALESCE(jsonb_agg(permission::text ORDER BY permission), '[]'::jsonb) FROM ") +
                       h.grants + " WHERE " + h.fk + " = $1::uuid",
                   holder_id)[0][0]
      .as<std::string>();
}

Result create(const Holder& h, const PermCreateOptions& o, Session& session) {
  auto name = check_display_name("NAME", o.name, "give the name, e.g. 'Call agents'");
  PermChange change(session, o, "workspace:permissions:create");
  auto& tx = change.tx();
  auto inserted = tx.exec_params(std::string("INSERT INTO ") + h.table +
                                     " (workspace_id, name, description) VALUES ($1::uuid, $2, $3)"
                                     " ON CONFLICT (workspace_id, name) DO NOTHING RETURNING id",
                                 change.ws().id, name, o.description);
  std::string noun = std::string(kind_noun(h.kind)) + " " + name;
  Result r;
  if (inserted.empty()) {
    if (!o.if_not_exists)
      throw ConflictError(noun + " already exists in workspace " + o.workspace,
                          "use --if-not-exists to accept an existing one");
    r.fields = holder_fields(tx, h, change.named(h.kind, name).id);
    return change.unchanged(std::move(r), noun + " already exists");
  }
  auto id = inserted[0][0].as<std::string>();
  change.audit(std::string(h.action) + ".create", h.entity, id, "", row_json(tx, h.table, id));
  r.fields = holder_fields(tx, h, id);
  return change.finish(std::move(r), "created " + noun, "would create " + noun);
}

/// edit adds (GRANT) or removes the permissions and audits the before/after lists.
Result edit(const Holder& h, const PermGrantOptions& o, Session& session, bool grant) {
  auto permissions = check_permissions(o.permissions);
  PermChange change(session, o, "workspace:permissions:update");
  auto& tx = change.tx();
  auto holder = change.named(h.kind, o.target, true);
  if (grant) {
    for (const auto& p : permissions)
      if (auto module = p.substr(0, p.find(':')); module == "partner" || module == "platform")
        throw InvalidInputError("permission " + p + " cannot be given in a workspace: " + module +
                                    " permissions come only from a partner role or super admin rights",
                                "give workspace-level permissions, e.g. workspace:campaigns:* or crm:leads:read");
    change.require_may_give(permissions);
  }
  auto before = permissions_json(tx, h, holder.id);
  for (const auto& p : permissions) {
    if (grant)
      tx.exec_params(std::string("INSERT INTO ") + h.grants + " (workspace_id, " + h.fk +
                         ", permission) SELECT workspace_id, id, $2 FROM " + h.table +
                         " WHERE id = $1::uuid ON CONFLICT DO NOTHING",
                     holder.id, p);
    else
      tx.exec_params(std::string("DELETE FROM ") + h.grants + " WHERE " + h.fk + " = $1::uuid AND permission = $2",
                     holder.id, p);
  }
  auto after = permissions_json(tx, h, holder.id);
  Result r;
  r.fields = holder_fields(tx, h, holder.id);
  std::string noun = std::string(kind_noun(h.kind)) + " " + holder.name;
  if (before == after)
    return change.unchanged(
        std::move(r), noun + (grant ? " already has every permission given" : " has none of the permissions given"));
  nlohmann::json old_v = {{"permissions", nlohmann::json::parse(before)}},
                 new_v = {{"permissions", nlohmann::json::parse(after)}};
  change.audit(std::string(h.action) + (grant ? ".grant" : ".revoke"), h.entity, holder.id, old_v.dump(), new_v.dump());
  std::string what = grant ? "permissions to " + noun : "permissions from " + noun;
  return change.finish(std::move(r), (grant ? "granted " : "revoked ") + what,
                       (grant ? "would grant " : "would revoke ") + what);
}

Result list(const Holder& h, const PermShowOptions& o, Session& session) {
  auto tx = list_transaction(session);
  auto ws = workspace_for(*tx, session, o.workspace, "workspace:permissions:read");
  return list_rows(tx, holder_query(h, ws.id, std::nullopt), o.paging, session);
}

Result show(const Holder& h, const PermShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:permissions:read");
  auto holder = find_named(tx, h.kind, ws.id, o.target.value_or(""));
  Result r;
  r.fields = holder_fields(tx, h, holder.id);
  r.tables.push_back(to_table(tx.exec_params(h.user_rows, holder.id), "users"));
  return r;
}

}  // namespace

Result run_perm_profile_create(const PermCreateOptions& o, Session& session) {
  return create(profile_holder, o, session);
}
Result run_perm_set_create(const PermCreateOptions& o, Session& session) { return create(set_holder, o, session); }
Result run_perm_profile_grant(const PermGrantOptions& o, Session& session) {
  return edit(profile_holder, o, session, true);
}
Result run_perm_set_grant(const PermGrantOptions& o, Session& session) { return edit(set_holder, o, session, true); }
Result run_perm_profile_revoke(const PermGrantOptions& o, Session& session) {
  return edit(profile_holder, o, session, false);
}
Result run_perm_set_revoke(const PermGrantOptions& o, Session& session) { return edit(set_holder, o, session, false); }
Result run_perm_profile_list(const PermShowOptions& o, Session& session) { return list(profile_holder, o, session); }
Result run_perm_set_list(const PermShowOptions& o, Session& session) { return list(set_holder, o, session); }

Result run_perm_profile_show(const PermShowOptions& o, Session& session) { return show(profile_holder, o, session); }
Result run_perm_set_show(const PermShowOptions& o, Session& session) { return show(set_holder, o, session); }

}  // namespace wfa
