#pragma once
/// `wfa member`: partner and workspace memberships by user e-mail, with roles from the `roles`
/// table, soft removal, last-owner protection and the max_users limit.
#include <optional>
#include <string>

#include "core/listing.hpp"
#include "commands/member/member_scope.hpp"

namespace wfa {

class Session;

struct MemberAddOptions {
  std::string email;
  ScopeFlags scope;
  std::string role;
  bool create_user = false;    ///< create the user when no user has EMAIL
  bool if_not_exists = false;  ///< an existing live membership is success, unchanged (whatever its role)
  bool dry_run = false;
};

struct MemberListOptions {
  ScopeFlags scope;
  bool include_removed = false;
  Paging paging;
};

struct MemberRoleOptions {
  std::string email;
  ScopeFlags scope;
  std::string role;
  bool dry_run = false;
};

struct MemberRemoveOptions {
  std::string email;
  ScopeFlags scope;
  bool yes = false;
  bool dry_run = false;
};

Result run_member_add(const MemberAddOptions& options, Session& session);
Result run_member_list(const MemberListOptions& options, Session& session);
Result run_member_role(const MemberRoleOptions& options, Session& session);
Result run_member_remove(const MemberRemoveOptions& options, Session& session);

}  // namespace wfa
