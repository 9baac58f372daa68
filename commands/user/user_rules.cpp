// Users by e-mail or id, their fields and memberships (see user_rules.hpp).
#include "commands/user/user_rules.hpp"

#include <charconv>

#include <pqxx/result>
#include <pqxx/transaction_base>

#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/validation.hpp"

namespace wfa {

const char* const user_columns =
    "u.email, u.first_name, u.last_name, u.telegram_id,"
    " EXISTS (SELECT 1 FROM super_admins s WHERE s.user_id = u.id) AS super_admin, u.created_at, u.deleted_at";

UserRow find_any_user(pqxx::transaction_base& tx, const std::string& email_or_id, bool lock) {
  std::string tail = lock ? " FOR UPDATE" : "";
  pqxx::result rows;
  if (is_uuid(email_or_id))
    rows = tx.exec_params("SELECT id, email FROM users WHERE id = $1::uuid AND deleted_at IS NULL" + tail, email_or_id);
  else
    rows = tx.exec_params("SELECT id, email FROM users WHERE email = $1 AND deleted_at IS NULL" + tail,
                          check_email("USER", email_or_id));
  if (rows.empty())
    throw NotFoundError("user '" + email_or_id + "' not found", "list users with `wfa user list --search TEXT`");
  return {rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
}

std::vector<std::pair<std::string, Cell>> user_fields(pqxx::transaction_base& tx, const std::string& id) {
  return to_fields(tx.exec_params(
      std::string("SELECT u.id, ") + user_columns + ", u.updated_at FROM users u WHERE u.id = $1::uuid", id));
}

pqxx::result memberships(pqxx::transaction_base& tx, const std::string& user_id) {
  return tx.exec_params(
      "SELECT 'partner' AS scope, p.slug AS reference, m.role, m.created_at AS since FROM partner_members m"
      " JOIN partners p ON p.id = m.partner_id WHERE m.user_id = $1::uuid AND m.removed_at IS NULL"
      " UNION ALL SELECT 'workspace', p.slug || '/' || w.slug, m.role, m.created_at FROM workspace_members m"
      " JOIN workspaces w ON w.id = m.workspace_id JOIN partners p ON p.id = w.partner_id"
      " WHERE m.user_id = $1::uuid AND m.removed_at IS NULL ORDER BY 1, 2",
      user_id);
}

std::int64_t check_telegram_id(std::string_view field, const std::string& text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
    throw InvalidInputError(std::string(field) + " '" + text + "' is not a Telegram user id",
                            "give the numeric id Telegram reports, e.g. 123456789");
  return id;
}

}  // namespace wfa
