#pragma once
/// The one way calls enter conversations: normalised rows are COPYed into a temporary stage, then merged set-based
/// under the ingest lock, with usage, workspace counters, credits and agent totals moved by exact deltas in the same
/// transaction, and the ends of wfa's own dials settled (commands/campaign/attempt_outcomes). File ingest uses it now;
/// API ingest and the webhooks use it too.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "pipelines/calls/call_row.hpp"

namespace pqxx {
class stream_to;
}

namespace wfa {

/// create_call_stage makes the temporary table call_stage (dropped at commit); its columns after `line` are
/// call_column_names in order.
void create_call_stage(pqxx::dbtransaction& tx);

/// stage_columns are call_stage's columns in COPY order: line, then call_column_names.
std::vector<std::string> stage_columns();
/// copy_calls streams BATCH's rows (with their lines) into COPY, an open stream into call_stage.
void copy_calls(pqxx::stream_to& copy, const CallBatch& batch);
/// stage_calls COPYs BATCH into call_stage in one stream.
void stage_calls(pqxx::transaction_base& tx, const CallBatch& batch);

/// MergeScope says whose calls a merge may write: one workspace (calls of other workspaces' agents are refused), or
/// every workspace. Calls of agents wfa does not know are quarantined in unmatched_calls, marked with the workspace
/// when there is one, and link only to an agent there.
struct MergeScope {
  std::optional<std::string> workspace_id;  ///< nullopt: platform-wide
  std::string source;                       ///< e.g. the file's name; quarantined calls record SOURCE:LINE
};

/// RefusedCall is a staged call the scope does not allow, with its line and the reason.
struct RefusedCall {
  std::int64_t line = 0;
  std::string reason;
};

struct MergeCounts {
  std::int64_t staged = 0;  ///< distinct calls in the stage (later lines of the same call win)
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t quarantined = 0;
  std::int64_t linked = 0;          ///< quarantined calls whose agent now exists, merged by this run
  std::int64_t attempts_ended = 0;  ///< dials of wfa's whose end this merge brought (settle_call_attempts)
  std::vector<RefusedCall> refused;
};

/// lock_call_merge takes the transaction-level lock every writer of conversations holds (the merge below, and the
/// calls started in commands/calls/call_started), so a merge's new calls are new.
void lock_call_merge(pqxx::transaction_base& tx);

/// merge_staged_calls merges call_stage (STAGED_ROWS rows) inside TX, which it locks against every other merge for
/// its duration. Platform-wide merges also take in the quarantined calls whose agent has appeared since.
MergeCounts merge_staged_calls(pqxx::transaction_base& tx, const MergeScope& scope, std::int64_t staged_rows);

}  // namespace wfa
