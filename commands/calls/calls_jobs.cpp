// calls.ingest: `wfa calls ingest` of one workspace's API listing or one stored file, in a worker.
#include "commands/calls/calls_jobs.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "commands/calls/calls.hpp"
#include "commands/job/job_rules.hpp"
#include "core/error.hpp"
#include "core/file_store.hpp"
#include "pipelines/providers/provider.hpp"

namespace wfa {

namespace {

void check_calls_ingest(const nlohmann::json& payload) {
  refuse_unknown_fields(payload, {"provider", "workspace", "since", "file", "name"});
  auto provider = payload_string(payload, "provider");
  if (!provider) throw InvalidInputError("payload field provider is missing");
  if (std::find(voice_providers.begin(), voice_providers.end(), *provider) == voice_providers.end())
    throw InvalidInputError("payload field provider " + *provider + " is not a voice provider");
  auto file = payload_string(payload, "file");
  if (file) {
    if (file->rfind("inputs/", 0) != 0 || file->find("..") != std::string::npos)
      throw InvalidInputError("payload field file is not a file of the store's inputs");
    if (payload.contains("since")) throw InvalidInputError("payload field since goes with a listing, not a file");
    if (payload.contains("workspace")) payload_uuid(payload, "workspace");
    payload_string(payload, "name");
  } else {
    payload_uuid(payload, "workspace");
    if (payload.contains("name")) throw InvalidInputError("payload field name goes with a file");
    payload_string(payload, "since");
  }
}

/// run_calls_ingest_job runs run_calls_ingest on the payload as its enqueuer (rights checked again): the listing from
/// the workspace's checkpoint, or the stored file under the name it was given.
Result run_calls_ingest_job(const JobInput& job, Session& session) {
  check_calls_ingest(job.payload);
  CallsIngestOptions o;
  o.provider = *payload_string(job.payload, "provider");
  o.workspace = payload_string(job.payload, "workspace");
  if (auto file = payload_string(job.payload, "file")) {
    o.file = (file_store_root(session) / *file).string();
    o.source = payload_string(job.payload, "name");
  } else {
    o.from_api = true;
    o.since = payload_string(job.payload, "since");
  }
  return run_calls_ingest(o, session);
}

}  // namespace

std::vector<JobKind> calls_job_kinds() {
  return {{"calls.ingest",
           "calls are merged by (workspace, provider, provider call id) under the merge lock: a call already there "
           "unchanged is left alone and its usage is not counted again; a listing resumes from the workspace's "
           "checkpoint",
           "{\"provider\": P, \"workspace\": ID, \"since\": TIME} (from the API), or {\"provider\": P, \"file\": "
           "\"inputs/...\", \"name\": NAME, \"workspace\": ID} (a file in the file store)",
           false, check_calls_ingest, run_calls_ingest_job}};
}

}  // namespace wfa
