#pragma once
/// `wfa audit`: read the append-only audit log (list), keep its monthly partitions ahead (partitions) and retire
/// closed months to files (archive).
#include <optional>
#include <string>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct AuditListOptions {
  std::optional<std::string> partner;    ///< id or slug (deleted partners included)
  std::optional<std::string> workspace;  ///< id or PARTNER/SLUG
  std::optional<std::string> action;     ///< exact, or a prefix ending in ".*" (e.g. partner.*)
  std::optional<std::string> actor;
  std::optional<std::string> entity;  ///< TYPE or TYPE:ID
  std::optional<std::string> since;   ///< ISO 8601, inclusive
  std::optional<std::string> until;   ///< ISO 8601, exclusive
  Paging paging;
};

struct AuditShowOptions {
  std::string id;  ///< the entry's id, as audit list shows it
};

struct AuditArchiveOptions {
  std::string before;  ///< YYYY-MM: every closed month before it is archived
  std::string out;     ///< file per month: "{month}" is replaced by YYYY-MM, else it goes before the extension
  bool dry_run = false;
};

struct AuditPartitionsOptions {
  int ahead = 3;  ///< months after this one that get their partition now
  bool dry_run = false;
};

/// change_summary_sql says in one line what an audit_log entry changed: "created", "deleted", or the fields whose
/// values differ ("name, status"), updated_at left out (audit list and show, export audit).
extern const char* const change_summary_sql;

/// run_audit_list shows one line per entry (who, what, and a summary of the change: the fields that changed); the
/// full old and new values are in -o json and in `audit show`.
Result run_audit_list(const AuditListOptions& options, Session& session);
/// run_audit_show is one entry whole: old and new values, metadata and origin. Super admins, or readers of its
/// partner or workspace.
Result run_audit_show(const AuditShowOptions& options, Session& session);
/// run_audit_archive writes each closed month before --before to a CSV file, checks its SHA-256 by reading it back,
/// records it in audit_archives, and only then detaches and drops the month. Only the audit log's owner may.
Result run_audit_archive(const AuditArchiveOptions& options, Session& session);
/// run_audit_partitions makes the monthly partitions of this month and AHEAD more (the periodic job).
Result run_audit_partitions(const AuditPartitionsOptions& options, Session& session);

}  // namespace wfa
