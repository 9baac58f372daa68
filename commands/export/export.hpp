#pragma once
/// `wfa export`: calls, usage, campaign recipients, proposals, the audit log and invoices written whole to a file as
/// XLSX (typed cells), CSV, JSON or NDJSON, streamed from the database with memory flat whatever the row count.
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "pipelines/xlsx_table.hpp"

namespace wfa {

class Session;

/// ExportOptions are what every export takes.
struct ExportOptions {
  std::optional<std::string> format;     ///< xlsx, csv, json or ndjson; default: --out's extension
  std::string out;                       ///< the file, or "-" for standard output (not for xlsx)
  std::optional<std::string> workspace;  ///< id or PARTNER/SLUG
  std::optional<std::string> since;      ///< from this time on (RFC 3339 or YYYY-MM-DD; UTC when no offset)
  std::optional<std::string> until;      ///< before this time
  /// Rows per XLSX sheet, the header's included: Excel's limit; a test may make it small to see sheets split.
  std::uint32_t sheet_rows = XlsxTable::excel_rows;
  /// enqueue: check the rights and the window here, then enqueue an export job (a batch of one) whose file lands in
  /// the batch's output in the file store; no out.
  bool enqueue = false;
};

struct ExportCallsOptions : ExportOptions {};

struct ExportUsageOptions : ExportOptions {
  std::optional<std::string> partner;  ///< id or slug
};

struct ExportRecipientsOptions : ExportOptions {
  std::optional<std::string> campaign;  ///< id or PARTNER/WORKSPACE/NAME
};

struct ExportProposalsOptions : ExportOptions {};

struct ExportAuditOptions : ExportOptions {
  std::optional<std::string> partner;
};

struct ExportInvoicesOptions : ExportOptions {
  std::optional<std::string> partner;
};

/// Each run_export_* checks the actor's rights as the matching list verb does, then streams the rows to the file
/// (written to a temporary file and renamed into place) or to standard output; the summary counts rows, sheets and
/// bytes; with enqueue they return at once with the batch (commands/export/export_jobs). run_export_calls: calls in
/// start order (workspace:calls:export; every workspace: super admins).
Result run_export_calls(const ExportCallsOptions& options, Session& session);
/// run_export_usage: the closed months of `usage report` (partner:billing:read, workspace:billing:read, or the
/// workspaces the actor may read).
Result run_export_usage(const ExportUsageOptions& options, Session& session);
/// run_export_recipients: a campaign's or a workspace's recipients (workspace:campaigns:export).
Result run_export_recipients(const ExportRecipientsOptions& options, Session& session);
/// run_export_proposals: the proposals log of a workspace (workspace:proposals:export).
Result run_export_proposals(const ExportProposalsOptions& options, Session& session);
/// run_export_audit: audit entries as `audit list` finds them (partner:audit:read, workspace:audit:read, or all of
/// them for super admins).
Result run_export_audit(const ExportAuditOptions& options, Session& session);
/// run_export_invoices: invoices of a partner (partner:billing:read) or a workspace's (its partner's
/// partner:billing:read), every invoice for super admins.
Result run_export_invoices(const ExportInvoicesOptions& options, Session& session);

}  // namespace wfa
