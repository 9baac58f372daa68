// `wfa super-admin add|remove|list`: who holds platform-wide rights besides the operator.
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "commands/user/user.hpp"
#include "commands/user/user_rules.hpp"

namespace wfa {

namespace {

/// grant_row snapshots USER_ID's super_admins row as JSON, "" when there is none.
std::string grant_row(pqxx::transaction_base& tx, const std::string& user_id) {
  auto rows =
      tx.exec_params("SELECT to_jsonb(s)::text FROM super_admins s WHERE s.user_id = $1::uuid FOR UPDATE", user_id);
  return rows.empty() ? std::string() : rows[0][0].as<std::string>();
}

}  // namespace

Result run_super_admin_add(const SuperAdminChangeOptions& o, Session& session) {
  auto email = check_email("EMAIL", o.email);
  pqxx::work tx(session.database().ready());
  auto actor = actor_of(tx, session);
  require_super_admin(actor, "make super admins");
  auto existing = tx.exec_params("SELECT id FROM users WHERE email = $1 AND deleted_at IS NULL FOR UPDATE", email);
  std::string id;
  if (!existing.empty()) {
    id = existing[0][0].as<std::string>();
  } else if (o.create_user) {
    id = tx.exec_params("INSERT INTO users (email) VALUES ($1) RETURNING id", email)[0][0].as<std::string>();
    record_audit(
        tx, {actor.name, "user.create", "user", id, std::nullopt, std::nullopt, "", row_json(tx, "users", id), ""});
  } else {
    throw NotFoundError("user " + email + " not found",
                        "add --create-user to create them, or check the address with `wfa user list --search`");
  }
  Result r;
  if (!grant_row(tx, id).empty()) {
    r.fields = user_fields(tx, id);
    r.message = email + " is already a super admin; nothing to do";
    return r;
  }
  tx.exec_params("INSERT INTO super_admins (user_id, granted_by) VALUES ($1::uuid, $2)", id, actor.name);
  record_audit(tx, {actor.name, "super_admin.add", "user", id, std::nullopt, std::nullopt, "", grant_row(tx, id), ""});
  r.fields = user_fields(tx, id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "made " + email + " a super admin",
                             "would make " + email + " a super admin");
}

Result run_super_admin_remove(const SuperAdminChangeOptions& o, Session& session) {
  auto email = check_email("EMAIL", o.email);
  if (!o.dry_run) session.confirm(o.yes, "remove the super admin rights of " + email);
  pqxx::work tx(session.database().ready());
  auto actor = actor_of(tx, session);
  require_super_admin(actor, "remove super admins");
  auto user = find_any_user(tx, email);
  Result r;
  auto before = grant_row(tx, user.id);
  r.fields = user_fields(tx, user.id);
  if (before.empty()) {
    r.message = email + " is not a super admin; nothing to do";
    return r;
  }
  tx.exec_params("DELETE FROM super_admins WHERE user_id = $1::uuid", user.id);
  record_audit(tx, {actor.name, "super_admin.remove", "user", user.id, std::nullopt, std::nullopt, before, "", ""});
  r.fields = user_fields(tx, user.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "removed the super admin rights of " + email,
                             "would remove the super admin rights of " + email);
}

Result run_super_admin_list(const SuperAdminListOptions& o, Session& session) {
  auto tx = list_transaction(session);
  require_super_admin(actor_of(*tx, session), "list super admins");
  ListQuery query("super-admin list", "super_admins");
  query.select("u.email, u.first_name, u.last_name, s.granted_by, s.created_at AS since, u.id")
      .from("super_admins s JOIN users u ON u.id = s.user_id")
      .order_by({{"u.email", "text"}})
      .machine_columns(1)
      .when_empty("no super admins: the operator (wfa without --as) has their rights");
  return list_rows(tx, query, o.paging, session);
}

}  // namespace wfa
