// Durations, invitation rows and locked lookups shared by the invite verbs (see invite_rules.hpp).
#include "commands/invite/invite_rules.hpp"

#include <cctype>
#include <cstdint>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

LockedInvitation lock_invitation(pqxx::transaction_base& tx, RoleScope kind, const std::string& scope_id,
                                 const std::string& id) {
  LockedInvitation inv;
  // Lock order everywhere: the scope row first, then the invitation row.
  inv.scope = scope_by_id(tx, kind, scope_id);
  auto rows = tx.exec_params(std::string("SELECT id, email, role, status, invited_by, ") + utc_sql("expires_at") +
                                 ", expires_at <= now(), COALESCE(" + utc_sql("accepted_at") + ", '') FROM " +
                                 inv.scope.invitations_table() + " WHERE id = $1::uuid FOR UPDATE",
                             id);
  const auto& row = rows.at(0);
  inv.id = row[0].as<std::string>();
  inv.email = row[1].as<std::string>();
  inv.role = row[2].as<std::string>();
  inv.status = row[3].as<std::string>();
  inv.invited_by = row[4].as<std::string>();
  inv.expires_at = row[5].as<std::string>();
  inv.past_expiry = row[6].as<bool>();
  inv.accepted_at = row[7].as<std::string>();
  return inv;
}

LockedInvitation lock_where(pqxx::transaction_base& tx, const std::string& condition, const std::string& value,
                            const std::string& not_found, const std::string& hint) {
  auto rows = tx.exec_params("SELECT 'partner', id, partner_id FROM partner_invitations WHERE " + condition +
                                 " UNION ALL SELECT 'workspace', id, workspace_id FROM workspace_invitations WHERE " +
                                 condition,
                             value);
  if (rows.empty()) throw NotFoundError(not_found, hint);
  auto kind = rows[0][0].as<std::string>() == "partner" ? RoleScope::partner : RoleScope::workspace;
  return lock_invitation(tx, kind, rows[0][2].as<std::string>(), rows[0][1].as<std::string>());
}

}  // namespace

std::string parse_expires_in(const std::string& value, const Session& session) {
  auto bad = [&] {
    return InvalidInputError(
        session.option("expires-in") + " '" + value + "' is not a duration from 1 minute to 365 days",
        "write N followed by m, h, d or w, e.g. 7d or 36h");
  };
  if (value.size() < 2 || value.size() > 8) throw bad();
  std::int64_t n = 0;
  for (std::size_t i = 0; i + 1 < value.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(value[i]))) throw bad();
    n = n * 10 + (value[i] - '0');
  }
  std::int64_t minutes_per_unit = 0;
  const char* unit = "";
  switch (value.back()) {
    case 'm':
      minutes_per_unit = 1, unit = " minutes";
      break;
    case 'h':
      minutes_per_unit = 60, unit = " hours";
      break;
    case 'd':
      minutes_per_unit = 60 * 24, unit = " days";
      break;
    case 'w':
      minutes_per_unit = 60 * 24 * 7, unit = " weeks";
      break;
    default:
      throw bad();
  }
  if (n < 1 || n * minutes_per_unit > 365 * 24 * 60) throw bad();
  return std::to_string(n) + unit;
}

ListQuery invitation_query(const Scope& scope, const std::optional<std::string>& only_id,
                           const std::optional<std::string>& status) {
  ListQuery query("invite list", "invitations");
  query.select("x.*")
      .from(
          "(SELECT i.id, ?::text AS scope, ?::uuid AS partner_id, ?::uuid AS workspace_id, i.email, i.role,"
          " CASE WHEN i.status = 'pending' AND i.expires_at <= now() THEN 'expired' ELSE i.status END AS status,"
          " i.message, i.invited_by, i.expires_at, i.accepted_at, i.accepted_by, i.created_at FROM " +
              std::string(scope.invitations_table()) + " i WHERE i." + scope.key_column() + " = ?::uuid) x",
          {std::string(scope_name(scope.kind)), scope.partner_id, scope.workspace_id, scope.id})
      .where("x.id = ?::uuid", only_id)
      .where("x.status = ?", status)
      .order_by({{"x.created_at", "timestamptz", true}, {"x.id", "uuid", true}})
      .when_empty("no invitations to " + scope.describe() + (status ? " with status " + *status : ""));
  return query;
}

ListQuery all_invitations_query(const std::optional<std::string>& status) {
  const char* shown = "CASE WHEN i.status = 'pending' AND i.expires_at <= now() THEN 'expired' ELSE i.status END";
  ListQuery query("invite list", "invitations");
  query.select("x.*")
      .from(std::string("(SELECT i.id, 'partner'::text AS scope, p.slug AS reference, i.partner_id,"
                        " NULL::uuid AS workspace_id, i.email, i.role, ") +
            shown +
            " AS status, i.invited_by, i.expires_at, i.created_at FROM partner_invitations i JOIN partners p ON"
            " p.id = i.partner_id UNION ALL SELECT i.id, 'workspace', p.slug || '/' || w.slug, w.partner_id,"
            " i.workspace_id, i.email, i.role, " +
            shown +
            ", i.invited_by, i.expires_at, i.created_at FROM workspace_invitations i JOIN workspaces w ON w.id ="
            " i.workspace_id JOIN partners p ON p.id = w.partner_id) x")
      .where("x.status = ?", status.value_or("pending"))
      .order_by({{"x.created_at", "timestamptz", true}, {"x.id", "uuid", true}})
      .when_empty("no " + status.value_or("pending") + " invitations");
  return query;
}

Table invitation_rows(pqxx::transaction_base& tx, const Scope& scope, const std::optional<std::string>& only_id,
                      const std::optional<std::string>& status) {
  return query_table(tx, invitation_query(scope, only_id, status));
}

LockedInvitation lock_invitation_by_token(pqxx::transaction_base& tx, const std::string& hash) {
  return lock_where(tx, "token_hash = $1", hash, "invitation token not recognised",
                    "check that the whole token was copied, or ask for a new invitation");
}

LockedInvitation lock_invitation_by_id(pqxx::transaction_base& tx, const std::string& id) {
  if (!is_uuid(id))
    throw InvalidInputError("invitation id '" + id + "' is not a UUID", "list ids with `wfa invite list`");
  return lock_where(tx, "id = $1::uuid", id, "invitation " + id + " not found",
                    "list invitations with `wfa invite list --partner P` or `--workspace W`");
}

std::string invitation_audit_json(pqxx::transaction_base& tx, const Scope& scope, const std::string& id) {
  auto snapshot = nlohmann::json::parse(row_json(tx, scope.invitations_table(), id));
  snapshot.erase("token_hash");
  return snapshot.dump();
}

}  // namespace wfa
