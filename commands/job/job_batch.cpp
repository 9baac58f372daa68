// `--enqueue`: a batch verb's work as one batch of jobs, and where their outputs land.
#include "commands/job/job_batch.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/job/job_queue.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/file_store.hpp"
#include "core/session.hpp"

namespace wfa {

std::filesystem::path batch_output_dir(const Session& session, const std::string& batch_id) {
  return file_store_root(session) / "batches" / batch_id;
}

EnqueuedBatch enqueue_batch(Session& session, const std::string& verb, const std::string& kind,
                            const PayloadsFor& payloads, bool dry_run) {
  pqxx::work tx(session.database().ready());
  auto origin = job_origin(tx, session);
  origin.batch_id = tx.exec("SELECT gen_random_uuid()::text")[0][0].as<std::string>();
  std::vector<JobSpec> jobs;
  for (auto& payload : payloads(origin.batch_id)) {
    jobs.emplace_back();
    jobs.back().kind = kind;
    jobs.back().payload = std::move(payload);
  }
  auto done = enqueue_jobs(tx, jobs, origin);
  record_audit(tx, {session.actor(), "job.enqueue_batch", "job_batch", origin.batch_id, std::nullopt, std::nullopt, "",
                    "", nlohmann::json{{"verb", verb}, {"kind", kind}, {"jobs", done.inserted}}.dump()});
  if (!dry_run) tx.commit();
  return {origin.batch_id, kind, done.inserted, batch_output_dir(session, origin.batch_id)};
}

Result enqueued_result(const EnqueuedBatch& batch, bool dry_run) {
  Result r;
  r.fields = {{"batch_id", Cell(batch.batch_id)},
              {"kind", Cell(batch.kind)},
              {"jobs", Cell(static_cast<std::int64_t>(batch.jobs))},
              {"output", Cell(batch.output.string())}};
  r.message = (dry_run ? "would enqueue " : "enqueued ") + std::to_string(batch.jobs) + " " + batch.kind +
              " job(s) as batch " + batch.batch_id + "; `wfa job status " + batch.batch_id + "` follows it";
  return r;
}

}  // namespace wfa
