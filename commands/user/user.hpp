#pragma once
/// `wfa user` and `wfa super-admin`: the people behind memberships, their names and Telegram ids (so Telegram admin
/// sync can match them), and who holds platform-wide rights. Users are global; super admins manage them, and a user
/// may read and rename themselves.
#include <cstdint>
#include <optional>
#include <string>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct UserListOptions {
  std::optional<std::string> search;  ///< part of the e-mail or name, any case
  bool include_deleted = false;
  Paging paging;
};

struct UserShowOptions {
  std::string user;  ///< e-mail or id
};

struct UserUpdateOptions {
  std::string user;  ///< e-mail or id
  std::optional<std::string> first_name, last_name;
  std::optional<std::string> email;  ///< a new address (super admins only)
  bool dry_run = false;
};

struct UserSetTelegramOptions {
  std::string user;                        ///< e-mail or id
  std::optional<std::string> telegram_id;  ///< the numeric Telegram user id; unset with clear
  bool clear = false;
  bool dry_run = false;
};

struct SuperAdminChangeOptions {
  std::string email;
  bool create_user = false;  ///< add: create the user when there is none
  bool yes = false;          ///< remove: no question
  bool dry_run = false;
};

struct SuperAdminListOptions {
  Paging paging;
};

Result run_user_list(const UserListOptions& options, Session& session);
Result run_user_show(const UserShowOptions& options, Session& session);
Result run_user_update(const UserUpdateOptions& options, Session& session);
Result run_user_set_telegram(const UserSetTelegramOptions& options, Session& session);
Result run_super_admin_add(const SuperAdminChangeOptions& options, Session& session);
Result run_super_admin_remove(const SuperAdminChangeOptions& options, Session& session);
Result run_super_admin_list(const SuperAdminListOptions& options, Session& session);

}  // namespace wfa
