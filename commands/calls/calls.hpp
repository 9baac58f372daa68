#pragma once
/// `wfa calls`: call logs of the voice providers, ingested at COPY speed with usage counted exactly once.
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"
#include "core/validation.hpp"

namespace wfa {

class Session;

struct CallsIngestOptions {
  std::string provider;                    ///< vapi, retell or synthflow
  std::optional<std::string> file;         ///< NDJSON or a JSON array of the provider's call objects
  bool from_api = false;                   ///< list the calls with each workspace's integration, from its checkpoint
  std::optional<std::string> since;        ///< with from_api: start here (RFC 3339 or YYYY-MM-DD) instead
  std::optional<std::string> workspace;    ///< only this workspace's agents; default: every workspace (super admins)
  std::optional<std::string> reject_file;  ///< CSV of line,reason for calls not loaded
  bool dry_run = false;
  /// enqueue: one calls.ingest job per workspace (from_api) or for the file, kept in the file store so every worker
  /// machine reads it; returns at once with the batch.
  bool enqueue = false;
  std::optional<std::string> source;  ///< the name the file's calls are recorded from (default: its file name)
};

/// CallsStartOptions is one outbound call through an agent's provider (calls start), or a test call (agent test-call:
/// TEST set).
struct CallsStartOptions {
  std::string agent;  ///< name or id
  std::string workspace;
  std::string to;                   ///< E.164
  std::optional<std::string> from;  ///< a number the workspace owns at the agent's provider (E.164, id or provider id)
  std::vector<std::string> vars;    ///< KEY=VALUE dynamic variables
  bool test = false;
  bool dry_run = false;
};

inline const Choices call_statuses = {"initiated", "ringing",   "in_progress", "completed",
                                      "failed",    "no_answer", "busy",        "canceled"};
inline const Choices call_directions = {"inbound", "outbound", "web"};
inline const Choices call_stats_keys = {"day", "agent", "status"};
inline const Choices call_export_formats = {"csv", "ndjson"};

/// CallsFilter picks a workspace's calls; every filter is optional but the workspace.
struct CallsFilter {
  std::string workspace;
  std::optional<std::string> agent;  ///< name or id
  std::optional<std::string> status;
  std::optional<std::string> direction;
  std::optional<std::string> from;  ///< started at or after (RFC 3339 or a date)
  std::optional<std::string> to;    ///< started before
  bool follow_up = false;           ///< only calls that need a follow-up
};

struct CallsListOptions {
  CallsFilter filter;
  Paging paging;
};

struct CallsShowOptions {
  std::string workspace;
  std::string call;  ///< wfa's id or the provider's call id
};

struct CallsSearchOptions {
  CallsFilter filter;
  std::string text;  ///< words, "quoted phrases", -excluded (websearch syntax)
  Paging paging;
};

struct CallsStatsOptions {
  CallsFilter filter;
  std::string by = "day";
};

struct CallsExportOptions {
  CallsFilter filter;
  std::string format = "csv";
  std::optional<std::string> out;
};

struct CallsUnmatchedOptions {
  std::optional<std::string> provider;
  bool link = false;  ///< merge the quarantined calls whose agent now exists
  Paging paging;
};

/// run_calls_ingest loads FILE's calls in one transaction, or the provider's (from_api) one page per transaction with
/// the workspace's checkpoint: the summary counts read, inserted, updated, unchanged, quarantined and rejected; exit 8
/// (batch_partial) when some were rejected, 7 when the provider failed (what was ingested stays; the next run resumes).
/// With enqueue it returns at once with the batch of calls.ingest jobs (commands/calls/calls_jobs).
Result run_calls_ingest(const CallsIngestOptions& options, Session& session);
/// run_calls_start places one call: the attempt is committed before the provider is asked, then the provider's call id
/// and the conversation (initiated) are recorded together; a provider failure ends the attempt as failed and is thrown
/// with the provider's words (its category decides the exit code). Refused before any dial: a number on a do-not-call
/// list, a caller id the workspace does not own at the agent's provider, an agent not synced.
Result run_calls_start(const CallsStartOptions& options, Session& session);
/// run_calls_list lists calls newest first; run_calls_search ranks them by the full-text index over transcript and
/// summary; run_calls_stats counts, minutes, cost and p50/p95 duration per day, agent or status; run_calls_export
/// streams every matching call as CSV or NDJSON.
Result run_calls_list(const CallsListOptions& options, Session& session);
Result run_calls_show(const CallsShowOptions& options, Session& session);
Result run_calls_search(const CallsSearchOptions& options, Session& session);
Result run_calls_stats(const CallsStatsOptions& options, Session& session);
Result run_calls_export(const CallsExportOptions& options, Session& session);
/// run_calls_unmatched lists the quarantined calls, or with LINK merges those whose agent has appeared.
Result run_calls_unmatched(const CallsUnmatchedOptions& options, Session& session);

}  // namespace wfa
