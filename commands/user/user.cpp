// `wfa user list|show|update|set-telegram`.
#include "commands/user/user.hpp"

#include <pqxx/except>
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
#include "commands/user/user_rules.hpp"

namespace wfa {

Result run_user_list(const UserListOptions& o, Session& session) {
  auto tx = list_transaction(session);
  require_super_admin(actor_of(*tx, session), "list users");
  std::optional<std::string> pattern;
  if (o.search) pattern = contains_pattern(*o.search);
  ListQuery query("user list", "users");
  query.select(std::string(user_columns) + ", u.id")
      .from("users u")
      .where("(u.email ILIKE ? OR u.first_name ILIKE ? OR u.last_name ILIKE ?)", pattern)
      .order_by({{"u.email", "text"}})
      .machine_columns(1)
      .when_empty("no users");
  if (!o.include_deleted) query.where("u.deleted_at IS NULL");
  return list_rows(tx, query, o.paging, session);
}

Result run_user_show(const UserShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto actor = actor_of(tx, session);
  auto user = find_any_user(tx, o.user);
  if (user.id != actor.user_id) require_super_admin(actor, "see other users");
  Result r;
  r.fields = user_fields(tx, user.id);
  r.tables.push_back(to_table(memberships(tx, user.id), "memberships"));
  return r;
}

Result run_user_update(const UserUpdateOptions& o, Session& session) {
  if (!o.first_name && !o.last_name && !o.email)
    throw UsageError("nothing to update for user " + o.user, "give --first-name, --last-name or --email");
  // An empty name clears it; a blank one is a mistake.
  if (o.first_name && !o.first_name->empty())
    check_display_name(session.option("first-name"), *o.first_name, "give the name, or '' to clear it");
  if (o.last_name && !o.last_name->empty())
    check_display_name(session.option("last-name"), *o.last_name, "give the name, or '' to clear it");
  std::optional<std::string> email;
  if (o.email) email = check_email(session.option("email"), *o.email);
  pqxx::work tx(session.database().ready());
  auto actor = actor_of(tx, session);
  auto user = find_any_user(tx, o.user, true);
  if (email) require_super_admin(actor, "change e-mail addresses");
  if (user.id != actor.user_id) require_super_admin(actor, "change other users");
  auto before = row_json(tx, "users", user.id);
  try {
    tx.exec_params(
        "UPDATE users SET first_name = COALESCE($2, first_name), last_name = COALESCE($3, last_name),"
        " email = COALESCE($4, email) WHERE id = $1::uuid",
        user.id, o.first_name, o.last_name, email);
  } catch (const pqxx::unique_violation&) {
    throw ConflictError("another user already has the e-mail " + *email,
                        "see them with `wfa user show " + *email + "`");
  }
  auto after = row_json(tx, "users", user.id);
  Result r;
  r.fields = user_fields(tx, user.id);
  if (!row_changed(tx, before, after)) {
    tx.abort();
    r.message = "user " + user.email + " already has these values; nothing changed";
    return r;
  }
  record_audit(tx, {actor.name, "user.update", "user", user.id, std::nullopt, std::nullopt, before, after, ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "updated user " + user.email,
                             "would update user " + user.email);
}

Result run_user_set_telegram(const UserSetTelegramOptions& o, Session& session) {
  if (o.telegram_id.has_value() == o.clear)
    throw UsageError("give exactly one of TELEGRAM_ID and " + session.option("clear"),
                     "e.g. wfa user set-telegram ana@acme.example 123456789");
  std::optional<std::int64_t> telegram_id;
  if (o.telegram_id) telegram_id = check_telegram_id(session.option("telegram-id"), *o.telegram_id);
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "link Telegram accounts");
  auto user = find_any_user(tx, o.user, true);
  auto before = row_json(tx, "users", user.id);
  if (telegram_id) {
    auto holder =
        tx.exec_params("SELECT email FROM users WHERE telegram_id = $1 AND id <> $2::uuid", *telegram_id, user.id);
    if (!holder.empty())
      throw ConflictError(
          "Telegram id " + std::to_string(*telegram_id) + " belongs to " + holder[0][0].as<std::string>(),
          "clear it there first: wfa user set-telegram " + holder[0][0].as<std::string>() + " --clear");
  }
  tx.exec_params("UPDATE users SET telegram_id = $2 WHERE id = $1::uuid", user.id, telegram_id);
  auto after = row_json(tx, "users", user.id);
  Result r;
  r.fields = user_fields(tx, user.id);
  auto what = telegram_id ? "linked user " + user.email + " to Telegram id " + std::to_string(*telegram_id)
                          : "cleared the Telegram id of user " + user.email;
  if (!row_changed(tx, before, after)) {
    tx.abort();
    r.message = "user " + user.email + " already has this Telegram id; nothing to do";
    return r;
  }
  record_audit(tx,
               {session.actor(), "user.set_telegram", "user", user.id, std::nullopt, std::nullopt, before, after, ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, what, "would have " + what);
}

}  // namespace wfa
