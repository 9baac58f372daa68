#pragma once
/// What `wfa user` and `wfa super-admin` share: finding users, their fields and memberships.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "core/result.hpp"

namespace wfa {

/// user_columns are the fields users are listed and shown with, over users u.
extern const char* const user_columns;

/// UserRow is a user found by e-mail or id.
struct UserRow {
  std::string id;
  std::string email;
};

/// find_any_user finds the live user with this e-mail or id (exit 3 when there is none; 6 when it is neither); LOCK
/// takes the row FOR UPDATE.
UserRow find_any_user(pqxx::transaction_base& tx, const std::string& email_or_id, bool lock = false);
/// user_fields is the user ID's fields, with super_admin.
std::vector<std::pair<std::string, Cell>> user_fields(pqxx::transaction_base& tx, const std::string& id);
/// memberships lists the user's live partner and workspace memberships, partners first.
pqxx::result memberships(pqxx::transaction_base& tx, const std::string& user_id);
/// check_telegram_id accepts a positive 64-bit Telegram user id (exit 6 naming FIELD otherwise).
std::int64_t check_telegram_id(std::string_view field, const std::string& text);

}  // namespace wfa
