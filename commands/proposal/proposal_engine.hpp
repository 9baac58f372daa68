#pragma once
/// The proposal engine behind `generate` and `batch`: reads the catalog once, renders and writes
/// each proposal on the bounded worker pool, logs every written proposal in proposals_log and, if
/// asked, writes all of them in order into one combined PDF (each photo stored once).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"
#include "commands/proposal/proposal_items.hpp"
#include "pipelines/worker_pool.hpp"

namespace wfa {

class Session;

struct ProposalRunOptions {
  std::string workspace;
  std::filesystem::path out_dir;
  unsigned workers = 3;
  std::optional<std::filesystem::path> combined_pdf;
  bool resume = false;
  std::string layout = "standard";
  std::string batch_file;  ///< recorded in proposals_log; empty for `generate`
};

/// ProposalRunItem is one row of the report: written, skipped (--resume) or failed with its message.
struct ProposalRunItem {
  std::size_t row = 0;
  std::string id;
  std::string status;
  std::string file;
  std::uint64_t bytes = 0;
  int pages = 0;
  std::string currency;
  std::int64_t total = 0;
  std::string error;
  std::string hint;
  ErrorCategory category = ErrorCategory::ok;
  std::string warning;  ///< characters no installed font has, drawn as boxes
};

struct ProposalRunReport {
  std::vector<ProposalRunItem> items;
  BatchSummary summary;
  double seconds = 0;
  std::size_t written = 0, skipped = 0;
  std::size_t combined_pages = 0;
  std::uint64_t combined_bytes = 0;
};

ProposalRunReport run_proposals(Session& session, const std::vector<ProposalRequest>& requests,
                                const ProposalRunOptions& options);

/// proposal_layout_path is LAYOUT's file: a name in templates/proposal, or a .json path as given.
std::filesystem::path proposal_layout_path(const std::string& layout);

/// proposal_conflicts says, per request, why it clashes with an earlier one of REQUESTS (its id, or its file under
/// OUT_DIR), or is empty: a batch split into jobs is checked whole before it is split.
std::vector<std::string> proposal_conflicts(const std::vector<ProposalRequest>& requests,
                                            const std::filesystem::path& out_dir);

/// proposal_report_result renders REPORT for any front end: the per-proposal table, the summary line (naming
/// COMBINED_PDF when one was written), each failed or warned row as a line of its own, exit 8 when some failed.
Result proposal_report_result(const ProposalRunReport& report, const std::optional<std::string>& combined_pdf,
                              const Session& session);

}  // namespace wfa
