// mockup.chunk: a part of an enqueued mockup batch, made by a worker from creatives kept in the file store.
#include "commands/mockup/mockup_jobs.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>
#include <pqxx/transaction>

#include "commands/job/job_batch.hpp"
#include "commands/job/job_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/file_store.hpp"
#include "core/input_file.hpp"
#include "core/session.hpp"
#include "pipelines/image_info.hpp"

namespace wfa {

namespace fs = std::filesystem;

namespace {

nlohmann::json spec_json(const MockupSpec& s) {
  return {{"row", s.row},
          {"where", s.where},
          {"location", s.location},
          {"creative", s.creative},
          {"creative_name", s.creative_name},
          {"time_of_day", s.time_of_day},
          {"finish", s.finish},
          {"out", s.out},
          {"error", s.error}};
}

MockupSpec spec_of(const nlohmann::json& j) {
  MockupSpec s;
  s.row = j.at("row").get<std::size_t>();
  for (auto [field, name] :
       std::initializer_list<std::pair<std::string*, const char*>>{{&s.where, "where"},
                                                                   {&s.location, "location"},
                                                                   {&s.creative, "creative"},
                                                                   {&s.creative_name, "creative_name"},
                                                                   {&s.time_of_day, "time_of_day"},
                                                                   {&s.finish, "finish"},
                                                                   {&s.out, "out"},
                                                                   {&s.error, "error"}})
    *field = j.at(name).get<std::string>();
  return s;
}

void check_chunk(const nlohmann::json& payload) {
  refuse_unknown_fields(payload, {"workspace", "batch", "manifest", "quality", "no_cache", "rows"});
  try {
    for (const char* key : {"workspace", "batch", "manifest"}) payload.at(key).get<std::string>();
    payload.at("quality").get<int>();
    payload.at("no_cache").get<bool>();
    if (!payload.at("rows").is_array() || payload["rows"].empty()) throw std::invalid_argument("no rows");
    for (const auto& row : payload["rows"]) {
      auto spec = spec_of(row);
      // A creative is read from the store only: a path out of it would read the worker's own files.
      if (spec.error.empty() &&
          (fs::path(spec.creative).is_absolute() || spec.creative.find("..") != std::string::npos))
        throw std::invalid_argument("creative outside the store");
    }
  } catch (const std::exception&) {
    throw InvalidInputError("the payload is not a mockup chunk", "enqueue it with `wfa mockup batch --enqueue`");
  }
}

/// run_chunk makes the chunk's rows as the local batch does, one at a time, into the batch's output directory.
Result run_chunk(const JobInput& job, Session& session) {
  check_chunk(job.payload);
  const auto& p = job.payload;
  std::vector<MockupSpec> specs;
  for (const auto& row : p["rows"]) specs.push_back(spec_of(row));
  MockupBatchOptions o;
  o.manifest = p["manifest"].get<std::string>();
  o.workspace = p["workspace"].get<std::string>();
  o.workers = 1;
  o.quality = p["quality"].get<int>();
  o.no_cache = p["no_cache"].get<bool>();
  WorkspaceRef ws;
  {
    pqxx::read_transaction tx(session.database().ready());
    ws = workspace_for(tx, session, o.workspace, "workspace:mockups:create");
  }
  return make_mockups(specs, {ws, file_store_root(session), batch_output_dir(session, p["batch"].get<std::string>())},
                      o, session);
}

/// extension_of is PATH's extension, lowercase, for the stored copy of a creative.
std::string extension_of(const std::string& path) {
  auto ext = fs::path(path).extension().string();
  if (ext.size() < 2 || ext.size() > 6) return "bin";
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext.substr(1);
}

}  // namespace

void refuse_local_only_options(const MockupBatchOptions& o, const Session& session) {
  if (!o.out_dir.empty())
    throw UsageError(session.option("out") + " is for a local run; with " + session.option("enqueue") +
                         " the mockups land in the file store (`wfa job status BATCH` names the directory)",
                     "leave out " + session.option("out") + " or " + session.option("enqueue"));
  if (o.chunk_size < 1 || o.chunk_size > 1000)
    throw UsageError(session.option("chunk-size") + " must be from 1 to 1000");
}

Result enqueue_mockup_batch(const MockupBatchOptions& o, std::vector<MockupSpec> specs, const fs::path& base,
                            Session& session) {
  auto root = file_store_root(session);
  std::map<std::string, std::string> stored;  // creative as read -> its path in the store
  for (auto& spec : specs) {
    if (!spec.error.empty() || spec.creative.empty()) continue;
    auto path = fs::path(spec.creative).is_relative() ? (base / spec.creative).string() : spec.creative;
    auto it = stored.find(path);
    if (it == stored.end()) {
      try {
        auto blob = store_blob(root, "inputs", read_input_file(path, "creative", max_image_bytes), extension_of(path));
        it = stored.emplace(path, blob.relative_path).first;
      } catch (const Error& e) {
        spec.error = e.what();  // the row fails in its job, as it would locally
        continue;
      }
    }
    spec.creative = it->second;
  }
  auto batch = enqueue_batch(session, "mockup.batch", "mockup.chunk", [&](const std::string& batch_id) {
    std::vector<std::string> payloads;
    for (std::size_t first = 0; first < specs.size(); first += o.chunk_size) {
      nlohmann::json rows = nlohmann::json::array();
      for (auto i = first; i < std::min(specs.size(), first + o.chunk_size); ++i) rows.push_back(spec_json(specs[i]));
      payloads.push_back(nlohmann::json{
          {"workspace", o.workspace},
          {"batch", batch_id},
          {"manifest", o.manifest},
          {"quality", o.quality},
          {"no_cache", o.no_cache},
          {"rows",
           std::move(rows)}}.dump());
    }
    return payloads;
  });
  return enqueued_result(batch);
}

std::vector<JobKind> mockup_job_kinds() {
  return {{"mockup.chunk",
           "a mockup is content-addressed (its cache key) and logged once per key; a second run copies the same "
           "stored mockup to the same file of the batch's directory",
           "written by `wfa mockup batch --enqueue`: {\"workspace\", \"batch\", \"manifest\", \"quality\", "
           "\"no_cache\", \"rows\": [...]}",
           false, check_chunk, run_chunk}};
}

}  // namespace wfa
