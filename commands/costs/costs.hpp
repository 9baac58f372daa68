#pragma once
/// `wfa costs report` and `wfa export costs`: what the voice providers charged for ingested calls, split into model,
/// transcriber, voice, transport and platform (migrations/0037_call_costs.sql) and grouped by model, provider, agent,
/// workspace or day, in integer micro-dollars.
#include <optional>
#include <string>

#include "commands/export/export.hpp"
#include "core/result.hpp"

namespace wfa {

class Session;

/// cost_groupings are the ways `--by` groups calls.
extern const std::vector<std::string> cost_groupings;

struct CostsReportOptions {
  std::string by = "workspace";
  std::optional<std::string> workspace;  ///< id or PARTNER/SLUG
  std::optional<std::string> partner;    ///< id or slug: its workspaces
  std::optional<std::string> since;      ///< calls started at or after (RFC 3339 or YYYY-MM-DD, UTC)
  std::optional<std::string> until;      ///< calls started before
};

struct ExportCostsOptions : ExportOptions {
  std::string by = "workspace";
  std::optional<std::string> partner;
};

/// run_costs_report is one row per group with its calls, total and parts; the totals equal the calls' costs (what the
/// parts leave is "other"). A workspace needs workspace:calls:read there, a partner partner:billing:read; without
/// either, the workspaces the actor may read (every one for super admins).
Result run_costs_report(const CostsReportOptions& options, Session& session);
/// run_export_costs writes the report's rows as `wfa export` writes any rows.
Result run_export_costs(const ExportCostsOptions& options, Session& session);

}  // namespace wfa
