#pragma once
/// `wfa perm`: the four-level access model of a workspace (profiles, expiring permission sets,
/// the team hierarchy, record shares and owners) and the check that answers allowed or denied.
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"

namespace wfa {

class Session;

/// PermScope is what every perm verb names: the workspace (id or PARTNER/SLUG) and the dry-run flag.
struct PermScope {
  std::string workspace;
  bool dry_run = false;
};

struct PermCreateOptions : PermScope {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> parent;  ///< teams only: the parent team's name or id
  bool if_not_exists = false;         ///< an existing one is success, unchanged
};

/// PermGrantOptions grants or revokes PERMISSIONS on a profile or permission set named TARGET.
struct PermGrantOptions : PermScope {
  std::string target;
  std::vector<std::string> permissions;
};

/// PermAssignOptions gives TARGET (a profile, set or team) to USER (e-mail or id).
struct PermAssignOptions : PermScope {
  std::string target;
  std::string user;
  std::optional<std::string> expires;  ///< sets only: ISO 8601, in the future
  bool leader = false;                 ///< teams only
};

struct PermShowOptions {
  std::string workspace;
  std::optional<std::string> target;  ///< unset for list
  Paging paging;                      ///< list only
};

struct PermTeamMoveOptions : PermScope {
  std::string team;
  std::optional<std::string> parent;
  bool root = false;
};

struct PermShareOptions : PermScope {
  std::string record;  ///< TYPE:ID
  std::optional<std::string> user;
  std::optional<std::string> team;
  std::string level;  ///< read | read_write | full (share only)
  std::optional<std::string> expires;
};

struct PermOwnerOptions : PermScope {
  std::string record;  ///< TYPE:ID
  std::string user;    ///< set only
};

struct PermCheckOptions {
  std::string workspace;
  std::string user;
  std::string permission;
  std::optional<std::string> record;  ///< TYPE:ID
  std::optional<std::string> batch;   ///< a file (or - for stdin) of "USER PERMISSION [TYPE:ID]" lines
  bool explain = false;
};

Result run_perm_profile_create(const PermCreateOptions& options, Session& session);
Result run_perm_profile_grant(const PermGrantOptions& options, Session& session);
Result run_perm_profile_revoke(const PermGrantOptions& options, Session& session);
Result run_perm_profile_assign(const PermAssignOptions& options, Session& session);
Result run_perm_profile_unassign(const PermAssignOptions& options, Session& session);
Result run_perm_profile_list(const PermShowOptions& options, Session& session);
Result run_perm_profile_show(const PermShowOptions& options, Session& session);

Result run_perm_set_create(const PermCreateOptions& options, Session& session);
Result run_perm_set_grant(const PermGrantOptions& options, Session& session);
Result run_perm_set_revoke(const PermGrantOptions& options, Session& session);
Result run_perm_set_assign(const PermAssignOptions& options, Session& session);
Result run_perm_set_unassign(const PermAssignOptions& options, Session& session);
Result run_perm_set_list(const PermShowOptions& options, Session& session);
Result run_perm_set_show(const PermShowOptions& options, Session& session);

Result run_perm_team_create(const PermCreateOptions& options, Session& session);
Result run_perm_team_move(const PermTeamMoveOptions& options, Session& session);
Result run_perm_team_add(const PermAssignOptions& options, Session& session);
Result run_perm_team_remove(const PermAssignOptions& options, Session& session);
Result run_perm_team_list(const PermShowOptions& options, Session& session);
Result run_perm_team_show(const PermShowOptions& options, Session& session);

Result run_perm_share(const PermShareOptions& options, Session& session);
Result run_perm_unshare(const PermShareOptions& options, Session& session);
Result run_perm_shares(const PermShareOptions& options, Session& session);
Result run_perm_owner_set(const PermOwnerOptions& options, Session& session);
Result run_perm_owner_show(const PermOwnerOptions& options, Session& session);

/// run_perm_check answers with category ok when every check was allowed, permission (exit 5) when one was not.
Result run_perm_check(const PermCheckOptions& options, Session& session);

}  // namespace wfa
