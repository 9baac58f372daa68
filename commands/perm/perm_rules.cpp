#include "commands/perm/perm_rules.hpp"

#include <algorithm>

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/subtransaction>
#include <pqxx/transaction>

#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/perm/perm.hpp"
#include "commands/perm/perm_engine.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/permission_match.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

/// kind_table is the table holding KIND (a constant, never user input).
const char* kind_table(PermKind kind) {
  switch (kind) {
    case PermKind::profile:
      return "profiles";
    case PermKind::permission_set:
      return "permission_sets";
    case PermKind::team:
      return "teams";
  }
  return "";
}

const char* kind_command(PermKind kind) {
  switch (kind) {
    case PermKind::profile:
      return "profile";
    case PermKind::permission_set:
      return "set";
    case PermKind::team:
      return "team";
  }
  return "";
}

bool is_record_type(std::string_view text) {
  if (text.empty() || text.front() < 'a' || text.front() > 'z') return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

}  // namespace

PermUser find_perm_user(pqxx::transaction_base& tx, const std::string& email_or_id) {
  pqxx::result rows;
  if (is_uuid(email_or_id))
    rows = tx.exec_params("SELECT id, email FROM users WHERE id = $1::uuid AND deleted_at IS NULL", email_or_id);
  else if (email_or_id.find('@') != std::string::npos)
    rows = tx.exec_params("SELECT id, email FROM users WHERE email = lower($1) AND deleted_at IS NULL", email_or_id);
  if (rows.empty())
    throw NotFoundError("user '" + email_or_id + "' not found",
                        "give the user's e-mail or id; add members with `wfa member add`");
  return {rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
}

bool has_standing(pqxx::transaction_base& tx, const WorkspaceRef& ws, const PermUser& user) {
  return tx
      .exec_params(
          "SELECT EXISTS (SELECT 1 FROM workspace_members WHERE workspace_id = $1::uuid AND user_id = $3::uuid AND "
          "removed_at IS NULL)"
          " OR EXISTS (SELECT 1 FROM partner_members WHERE partner_id = $2::uuid AND user_id = $3::uuid AND removed_at "
          "IS NULL)",
          ws.id, ws.partner_id, user.id)[0][0]
      .as<bool>();
}

void require_standing(pqxx::transaction_base& tx, const WorkspaceRef& ws, const PermUser& user,
                      const std::string& ws_label) {
  if (!has_standing(tx, ws, user))
    throw InvalidInputError("user " + user.email + " is not a member of workspace " + ws_label + " or its partner",
                            "add them first with `wfa member add`");
}

const char* kind_noun(PermKind kind) {
  switch (kind) {
    case PermKind::profile:
      return "profile";
    case PermKind::permission_set:
      return "permission set";
    case PermKind::team:
      return "team";
  }
  return "";
}

NamedRef find_named(pqxx::transaction_base& tx, PermKind kind, const std::string& ws_id, const std::string& name_or_id,
                    bool lock) {
  std::string sql = std::string("SELECT id, name FROM ") + kind_table(kind) + " WHERE workspace_id = $1::uuid AND " +
                    (is_uuid(name_or_id) ? "id = $2::uuid" : "name = $2") + (lock ? " FOR UPDATE" : "");
  auto rows = tx.exec_params(sql, ws_id, name_or_id);
  if (rows.empty())
    throw NotFoundError(std::string(kind_noun(kind)) + " '" + name_or_id + "' not found in the workspace",
                        std::string("list them with `wfa perm ") + kind_command(kind) + " list --workspace W`");
  return {rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
}

std::vector<std::string> check_permissions(const std::vector<std::string>& permissions) {
  if (permissions.empty())
    throw UsageError("no PERMISSION given", "give one or more, e.g. sales:leads:read or sales:*:*");
  std::vector<std::string> out;
  for (const auto& p : permissions) {
    if (!is_well_formed_permission(p, true))
      throw InvalidInputError("permission '" + p + "' is malformed",
                              "write module:resource:action in lowercase letters, digits and _, or * in any part");
    out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

RecordRef parse_record(std::string_view field, const std::string& text) {
  auto colon = text.find(':');
  RecordRef r;
  if (colon != std::string::npos) r = {text.substr(0, colon), text.substr(colon + 1)};
  if (colon == std::string::npos || !is_record_type(r.type) || r.id.empty() || r.id.size() > 200)
    throw InvalidInputError(std::string(field) + " '" + text + "' is not a record", "write TYPE:ID, e.g. lead:42");
  return r;
}

std::string check_future_time(pqxx::dbtransaction& tx, std::string_view field, const std::string& value) {
  auto checked = check_timestamp(field, value);
  tx.exec("SET LOCAL TIME ZONE 'UTC'");  // a time without a zone is UTC (SPEC §2)
  pqxx::result rows;
  try {
    pqxx::subtransaction check(tx, "check_time");
    rows = check.exec_params("SELECT $1::timestamptz > now(), " + utc_sql("$1::timestamptz"), checked);
    check.commit();
  } catch (const pqxx::data_exception&) {
    throw InvalidInputError(std::string(field) + " " + value + " is not a valid time",
                            "give an ISO 8601 time, e.g. 2030-01-31T12:00:00Z");
  }
  if (!rows[0][0].as<bool>())
    throw InvalidInputError(std::string(field) + " " + value + " is in the past",
                            "give a future ISO 8601 time, e.g. 2030-01-31T12:00:00Z");
  return rows[0][1].as<std::string>();
}

PermChange::PermChange(Session& session, const PermScope& scope, const std::string& permission,
                       const std::optional<RecordRef>& record)
    : session_(session), scope_(scope), tx_(std::make_unique<pqxx::work>(session.database().ready())) {
  ws_ = find_workspace(*tx_, scope.workspace);
  actor_ = std::make_unique<Actor>(actor_of(*tx_, session));
  require_workspace(*tx_, *actor_, ws_, scope.workspace, permission, record);
}

void PermChange::require_may_give(const std::vector<std::string>& permissions) {
  wfa::require_may_give(*tx_, *actor_, ws_, scope_.workspace, permissions);
}

PermChange::~PermChange() = default;

const std::string& PermChange::label() const { return scope_.workspace; }

PermUser PermChange::user(const std::string& email_or_id, bool need_standing) {
  auto user = find_perm_user(*tx_, email_or_id);
  if (need_standing) require_standing(*tx_, ws_, user, scope_.workspace);
  return user;
}

NamedRef PermChange::named(PermKind kind, const std::string& name_or_id, bool lock) {
  return find_named(*tx_, kind, ws_.id, name_or_id, lock);
}

void PermChange::audit(const std::string& action, const std::string& entity_type, const std::string& entity_id,
                       const std::string& old_values, const std::string& new_values) {
  record_audit(*tx_,
               {session_.actor(), action, entity_type, entity_id, ws_.partner_id, ws_.id, old_values, new_values, ""});
}

Result PermChange::finish(Result r, const std::string& done, const std::string& would) {
  return commit_or_roll_back(*tx_, std::move(r), scope_.dry_run, done, would);
}

Result PermChange::unchanged(Result r, const std::string& message) {
  tx_->abort();
  r.message = message + "; nothing changed";
  return r;
}

}  // namespace wfa
