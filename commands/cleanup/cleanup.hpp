#pragma once
/// `wfa cleanup`: cron verbs that retire what has expired. Each takes a transaction-scoped
/// advisory lock, so a second concurrent run exits 9; re-running finds nothing left to do.
#include "core/result.hpp"

namespace wfa {

class Session;

struct CleanupOptions {
  bool dry_run = false;
};

/// run_cleanup_campaigns marks scheduled, running and paused campaigns whose window has ended expired.
Result run_cleanup_campaigns(const CleanupOptions& options, Session& session);
/// run_cleanup_files removes the temporary files that killed runs left in the file store ($WFA_DATA_DIR/files).
Result run_cleanup_files(const CleanupOptions& options, Session& session);

}  // namespace wfa
