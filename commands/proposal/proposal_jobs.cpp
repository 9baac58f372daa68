// proposal.chunk: a part of an enqueued proposal batch, rendered by a worker into the batch's output directory.
#include "commands/proposal/proposal_jobs.hpp"

#include <nlohmann/json.hpp>

#include "commands/job/job_batch.hpp"
#include "commands/job/job_rules.hpp"
#include "commands/proposal/proposal_engine.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/error.hpp"
#include "core/file_store.hpp"
#include "core/input_file.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

constexpr std::size_t max_layout_bytes = 1 << 20;

nlohmann::json request_json(const ProposalRequest& r) {
  nlohmann::json row = {{"row", r.row},       {"where", r.where},         {"id", r.id},
                        {"client", r.client}, {"locations", r.locations}, {"start", r.start},
                        {"file", r.file}};
  if (r.currency) row["currency"] = *r.currency;
  if (r.weeks) row["weeks"] = *r.weeks;
  if (!r.error.empty()) row["error"] = r.error;
  return row;
}

ProposalRequest request_of(const nlohmann::json& row) {
  ProposalRequest r;
  r.row = row.at("row").get<std::size_t>();
  r.where = row.at("where").get<std::string>();
  r.id = row.at("id").get<std::string>();
  r.client = row.at("client").get<std::string>();
  r.locations = row.at("locations").get<std::vector<std::string>>();
  r.start = row.at("start").get<std::string>();
  r.file = row.at("file").get<std::string>();
  if (row.contains("currency")) r.currency = row["currency"].get<std::string>();
  if (row.contains("weeks")) r.weeks = row["weeks"].get<int>();
  if (row.contains("error")) r.error = row["error"].get<std::string>();
  return r;
}

/// check_chunk refuses a payload that is not a chunk this version wrote.
void check_chunk(const nlohmann::json& payload) {
  refuse_unknown_fields(payload, {"workspace", "batch", "batch_file", "layout_file", "rows"});
  try {
    for (const char* key : {"workspace", "batch", "batch_file", "layout_file"}) payload.at(key).get<std::string>();
    if (!payload.at("rows").is_array() || payload["rows"].empty()) throw std::invalid_argument("no rows");
    for (const auto& row : payload["rows"]) request_of(row);
  } catch (const std::exception&) {
    throw InvalidInputError("the payload is not a proposal chunk", "enqueue it with `wfa proposal batch --enqueue`");
  }
}

/// run_chunk renders the chunk's rows as the local batch does, into the batch's output directory, one at a time
/// (the worker's --concurrency runs chunks side by side).
Result run_chunk(const JobInput& job, Session& session) {
  check_chunk(job.payload);
  const auto& p = job.payload;
  std::vector<ProposalRequest> requests;
  for (const auto& row : p["rows"]) requests.push_back(request_of(row));
  auto workspace = p["workspace"].get<std::string>();
  authorize_workspace(session, workspace, "workspace:proposals:create");
  auto layout = file_store_root(session) / p["layout_file"].get<std::string>();
  auto report = run_proposals(session, requests,
                              {workspace, batch_output_dir(session, p["batch"].get<std::string>()), 1, std::nullopt,
                               false, layout.string(), p["batch_file"].get<std::string>()});
  return proposal_report_result(report, std::nullopt, session);
}

}  // namespace

void refuse_local_only_options(const ProposalBatchOptions& o, const Session& session) {
  auto refuse = [&](const std::string& flag) {
    throw UsageError(session.option(flag) + " is for a local run; with " + session.option("enqueue") +
                         " the PDFs land in the file store (`wfa job status BATCH` names the directory)",
                     "leave out " + session.option(flag) + " or " + session.option("enqueue"));
  };
  if (!o.out_dir.empty()) refuse("out");
  if (o.combined_pdf) refuse("combined-pdf");
  if (o.resume) refuse("resume");
  if (o.chunk_size < 1 || o.chunk_size > 1000)
    throw UsageError(session.option("chunk-size") + " must be from 1 to 1000");
}

Result enqueue_proposal_batch(const ProposalBatchOptions& o, std::vector<ProposalRequest> requests, Session& session) {
  // Conflicts between rows of different chunks are found here, where the whole file is seen.
  auto conflicts = proposal_conflicts(requests, ".");
  for (std::size_t i = 0; i < requests.size(); ++i)
    if (requests[i].error.empty() && !conflicts[i].empty()) requests[i].error = conflicts[i];
  // The layout travels through the store, so every worker renders with the file this run read.
  auto layout_path = proposal_layout_path(o.layout).string();
  auto layout = store_blob(file_store_root(session), "inputs",
                           read_input_file(layout_path, session.option("layout"), max_layout_bytes), "json");
  auto batch = enqueue_batch(session, "proposal.batch", "proposal.chunk", [&](const std::string& batch_id) {
    std::vector<std::string> payloads;
    for (std::size_t first = 0; first < requests.size(); first += o.chunk_size) {
      nlohmann::json rows = nlohmann::json::array();
      for (auto i = first; i < std::min(requests.size(), first + o.chunk_size); ++i)
        rows.push_back(request_json(requests[i]));
      payloads.push_back(nlohmann::json{
          {"workspace", o.workspace},
          {"batch", batch_id},
          {"batch_file", o.file},
          {"layout_file", layout.relative_path},
          {"rows",
           std::move(rows)}}.dump());
    }
    return payloads;
  });
  return enqueued_result(batch);
}

std::vector<JobKind> proposal_job_kinds() {
  return {{"proposal.chunk",
           "it writes the same PDFs to the same files of the batch's directory (temporary file, then rename) and "
           "upserts proposals_log by workspace and proposal id",
           "written by `wfa proposal batch --enqueue`: {\"workspace\", \"batch\", \"batch_file\", \"layout_file\", "
           "\"rows\": [...]}",
           false, check_chunk, run_chunk}};
}

}  // namespace wfa
