#pragma once
/// `wfa calls`: call logs of the voice providers, ingested at COPY speed with usage counted exactly once.
#include <optional>
#include <string>

#include "core/listing.hpp"

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
};

struct CallsUnmatchedOptions {
  std::optional<std::string> provider;
  bool link = false;  ///< merge the quarantined calls whose agent now exists
  Paging paging;
};

/// run_calls_ingest loads FILE's calls in one transaction, or the provider's (from_api) one page per transaction with
/// the workspace's checkpoint: the summary counts read, inserted, updated, unchanged, quarantined and rejected; exit 8
/// (batch_partial) when some were rejected, 7 when the provider failed (what was ingested stays; the next run resumes).
Result run_calls_ingest(const CallsIngestOptions& options, Session& session);
/// run_calls_unmatched lists the quarantined calls, or with LINK merges those whose agent has appeared.
Result run_calls_unmatched(const CallsUnmatchedOptions& options, Session& session);

}  // namespace wfa
