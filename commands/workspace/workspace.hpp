#pragma once
/// `wfa workspace`: a partner's client workspaces, their limits (inherited from the partner,
/// overridable), usage fields, and soft deletion.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct WorkspaceCreateOptions {
  std::string slug;
  std::string partner;  ///< id or slug
  std::string name;
  std::vector<std::string> limits;  ///< KEY=N overrides of the partner's limits
  std::optional<std::int64_t> per_minute_rate_cents;
  bool billing_exempt = false;
  bool if_not_exists = false;  ///< an existing live workspace is success, unchanged
  bool dry_run = false;
};

struct WorkspaceListOptions {
  std::optional<std::string> partner;  ///< id or slug
  bool include_deleted = false;
  Paging paging;
};

struct WorkspaceShowOptions {
  std::string workspace;  ///< id or PARTNER/SLUG; deleted workspaces are shown too
};

struct WorkspaceUpdateOptions {
  std::string workspace;  ///< id or PARTNER/SLUG
  std::optional<std::string> name;
  std::optional<std::string> status;      ///< active | suspended
  std::vector<std::string> limits;        ///< KEY=N overrides to set
  std::vector<std::string> clear_limits;  ///< KEYs whose override goes: the partner's value applies again
  std::optional<std::int64_t> per_minute_rate_cents;
  std::optional<std::string> billing_exempt;  ///< true | false
  bool dry_run = false;
};

struct WorkspaceDeleteOptions {
  std::string workspace;
  bool yes = false;
  bool dry_run = false;
};

struct WorkspaceRestoreOptions {
  std::string workspace;
  bool dry_run = false;
};

Result run_workspace_create(const WorkspaceCreateOptions& options, Session& session);
Result run_workspace_list(const WorkspaceListOptions& options, Session& session);
Result run_workspace_show(const WorkspaceShowOptions& options, Session& session);
Result run_workspace_update(const WorkspaceUpdateOptions& options, Session& session);
Result run_workspace_delete(const WorkspaceDeleteOptions& options, Session& session);
Result run_workspace_restore(const WorkspaceRestoreOptions& options, Session& session);

}  // namespace wfa
