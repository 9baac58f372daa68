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
  std::optional<std::string> older_than;  ///< retention (webhooks, notifications: 30d) or grace (files: 1d), e.g. 30d
};

/// older_than_seconds reads --older-than (30d, 12h, 90m, 2w); anything else is InvalidInputError (6).
std::int64_t older_than_seconds(const std::string& text);

/// run_cleanup_campaigns marks scheduled, running and paused campaigns whose window has ended expired.
Result run_cleanup_campaigns(const CleanupOptions& options, Session& session);
/// run_cleanup_files removes the temporary files that killed runs left in the file store ($WFA_DATA_DIR/files), and
/// the blobs no row names that nothing wrote or reused within the grace period (--older-than, default 1 day).
Result run_cleanup_files(const CleanupOptions& options, Session& session);
/// run_cleanup_kind runs KIND: invitations (pending past expiry become expired), grants and shares (expired ones
/// removed), webhooks and notifications (processed or sent ones older than the retention removed); audited.
Result run_cleanup_kind(const std::string& kind, const CleanupOptions& options, Session& session);
/// run_cleanup_all runs every kind in turn, each under its own lock, with a summary line per kind.
Result run_cleanup_all(const CleanupOptions& options, Session& session);

}  // namespace wfa
