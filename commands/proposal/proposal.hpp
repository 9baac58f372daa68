#pragma once
/// `wfa proposal`: priced proposal PDFs for one client (generate) or a whole CSV/JSON batch, on the
/// bounded worker pool, each logged in proposals_log; plus the log itself (list).
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct ProposalGenerateOptions {
  std::string workspace;  ///< id or PARTNER/SLUG
  std::string client;
  std::vector<std::string> locations;   ///< location keys (comma-separated on the command line)
  std::string start;                    ///< YYYY-MM-DD
  bool combined = false;                ///< one proposal over all locations, with a summary page
  std::optional<std::string> currency;  ///< default: the rate card's
  std::optional<int> weeks;             ///< campaign length; default the longest duration option
  std::optional<std::string> id;        ///< default PR-YEAR-NNNNN, the workspace's next number
  bool overwrite = false;               ///< an id that is another client's logged proposal replaces it
  std::string out_dir;
  std::string layout = "standard";  ///< templates/proposal/NAME.json, or a .json path
};

struct ProposalBatchOptions {
  std::string workspace;
  std::string file;               ///< .csv or .json
  std::string encoding = "auto";  ///< of a CSV file: csv_encoding's names
  std::string out_dir;
  unsigned workers = 3;
  std::optional<std::string> combined_pdf;  ///< also write every proposal, in order, into this one PDF
  bool resume = false;                      ///< skip proposals already written and logged
  bool overwrite = false;                   ///< explicit ids that are other clients' logged proposals replace them
  std::string layout = "standard";
  bool enqueue = false;      ///< split into proposal.chunk jobs for `wfa worker`; outputs land in the file store
  unsigned chunk_size = 20;  ///< rows per job with enqueue
};

struct ProposalListOptions {
  std::string workspace;
  std::optional<std::string> client;  ///< substring, case-insensitive
  Paging paging;
};

Result run_proposal_generate(const ProposalGenerateOptions& options, Session& session);
/// run_proposal_batch returns the per-row report; a batch with failed rows ends with exit 8.
Result run_proposal_batch(const ProposalBatchOptions& options, Session& session);
Result run_proposal_list(const ProposalListOptions& options, Session& session);

}  // namespace wfa
