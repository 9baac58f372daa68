#pragma once
/// What to generate: one ProposalRequest per proposal, read from a batch file (CSV or JSON) or built
/// from `proposal generate` flags. Malformed rows are kept with their error, to be reported per row.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "pipelines/csv_reader.hpp"

namespace wfa {

struct ProposalRequest {
  std::size_t row = 0;  ///< 1-based data row of a batch file; 0 for `generate`
  std::string where;    ///< "batch.csv:12" or "generate", the prefix of messages
  std::string id;
  std::string client;
  std::vector<std::string> locations;  ///< several: one combined proposal
  std::string start;                   ///< as given; checked when the proposal is built
  std::optional<std::string> currency;
  std::optional<int> weeks;
  std::string file;           ///< output path relative to --out
  std::string error;          ///< set for a row that cannot be read
  bool numbered = false;      ///< no proposal_id given: the batch numbers it from the workspace's sequence
  bool default_file = false;  ///< no file given: named after its id
};

/// read_proposal_batch reads PATH (.json: an array of objects; otherwise CSV with a header). Columns
/// or keys: client_name|client, location_key|locations (several separated by ';' or '|'),
/// start_date|start, currency, weeks, proposal_id|id, file. A row without an id has PR-<start year>-<row, 5 digits>
/// until the batch numbers it (numbered is set).
std::vector<ProposalRequest> read_proposal_batch(const std::string& path, const CsvOptions& csv);

/// default_file is the output name of a proposal: its id with unsafe characters replaced, plus ".pdf".
std::string default_file(const std::string& id);

}  // namespace wfa
