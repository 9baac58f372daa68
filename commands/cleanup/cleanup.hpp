#pragma once
/// `wfa cleanup`: cron verbs that retire what has expired. Each takes a transaction-scoped
/// advisory lock, so a second concurrent run exits 9; re-running finds nothing left to do.
#include <optional>
#include <string>

#include "core/result.hpp"

namespace wfa {

class Session;

struct CleanupOptions {
  bool dry_run = false;
  std::optional<std::string> older_than;  ///< retention of webhooks and notifications, e.g. 30d (default 30 days)
};

/// run_cleanup_campaigns marks scheduled, running and paused campaigns whose window has ended expired.
Result run_cleanup_campaigns(const CleanupOptions& options, Session& session);
/// run_cleanup_files removes the temporary files that killed runs left in the file store ($WFA_DATA_DIR/files).
Result run_cleanup_files(const CleanupOptions& options, Session& session);
/// run_cleanup_kind runs KIND: invitations (pending past expiry become expired), grants and shares (expired ones
/// removed), webhooks and notifications (processed or sent ones older than the retention removed); audited.
Result run_cleanup_kind(const std::string& kind, const CleanupOptions& options, Session& session);
/// run_cleanup_all runs every kind in turn, each under its own lock, with a summary line per kind.
Result run_cleanup_all(const CleanupOptions& options, Session& session);

}  // namespace wfa
