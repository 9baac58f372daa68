// campaign.dispatch: the campaign runner in a worker, for as long as the campaign runs.
#include "commands/campaign/campaign_jobs.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/campaign/campaign_dispatch.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "commands/job/job_queue.hpp"
#include "commands/job/job_rules.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

void check_dispatch(const nlohmann::json& payload) {
  refuse_unknown_fields(payload, {"campaign", "slot"});
  payload_uuid(payload, "campaign");
  if (payload.contains("slot") && !payload["slot"].is_number_integer())
    throw InvalidInputError("payload field slot is not a whole number");
}

/// run_dispatch_job dispatches as the enqueuer (rights checked again) until the campaign stops running.
Result run_dispatch_job(const JobInput& job, Session& session) {
  check_dispatch(job.payload);
  auto id = payload_uuid(job.payload, "campaign");
  {
    pqxx::read_transaction tx(session.database().ready());
    campaign_for(tx, session, id, "workspace:campaigns:update");
  }
  DispatchSettings settings;
  auto summary = dispatch_campaign(session, id, settings);
  Result r;
  r.fields = {{"campaign", Cell(id)},
              {"ended", Cell(summary.ended)},
              {"dialed", Cell(summary.tally.dialed)},
              {"refused", Cell(summary.tally.refused)},
              {"failed", Cell(summary.tally.failed)}};
  if (summary.ended == "interrupted") throw InterruptedError("campaign dispatch interrupted; the campaign runs on");
  return r;
}

}  // namespace

std::vector<JobKind> campaign_job_kinds() {
  return {{"campaign.dispatch",
           "every attempt is committed before its call is asked for and a recipient with a live attempt is never "
           "dialed, so a rerun (after a crash: once reconciled) only dials who is still due",
           "{\"campaign\": \"UUID\", \"slot\": N}", false, check_dispatch, run_dispatch_job}};
}

void queue_dispatchers(pqxx::dbtransaction& tx, const Session& session, const std::string& campaign_id, int count) {
  auto start =
      tx.exec_params("SELECT COALESCE(greatest(starts_at, now()), now())::text FROM campaigns WHERE id = $1::uuid",
                     campaign_id)[0][0]
          .as<std::string>();
  std::vector<JobSpec> jobs;
  for (int slot = 1; slot <= count; ++slot) {
    JobSpec job;
    job.kind = "campaign.dispatch";
    job.payload = nlohmann::json{{"campaign", campaign_id}, {"slot", slot}}.dump();
    job.run_after = start;
    job.unique_key = "campaign/" + campaign_id + "/" + std::to_string(slot);
    jobs.push_back(std::move(job));
  }
  enqueue_jobs(tx, jobs, job_origin(tx, session));
}

}  // namespace wfa
