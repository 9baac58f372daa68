// agent.sync: `wfa agent sync` of one agent in a worker, acting for whoever enqueued it.
#include "commands/agent/agent_jobs.hpp"

#include <nlohmann/json.hpp>

#include "commands/agent/agent.hpp"
#include "commands/job/job_rules.hpp"
#include "core/error.hpp"

namespace wfa {

namespace {

void check_agent_sync(const nlohmann::json& payload) {
  refuse_unknown_fields(payload, {"workspace", "agent", "force"});
  payload_uuid(payload, "workspace");
  payload_uuid(payload, "agent");
  if (payload.contains("force") && !payload["force"].is_boolean())
    throw InvalidInputError("payload field force is not true or false");
}

/// run_agent_sync_job syncs the payload's agent with run_agent_sync (rights checked again, as its enqueuer); the
/// agent's failure fails the job with the agent's error and the run's category (temporary ones are retried).
Result run_agent_sync_job(const JobInput& job, Session& session) {
  check_agent_sync(job.payload);
  AgentSyncOptions o;
  o.workspace = payload_uuid(job.payload, "workspace");
  o.agent = payload_uuid(job.payload, "agent");
  o.planned = !job.payload.value("force", false);
  o.concurrency = 1;
  auto r = run_agent_sync(o, session);
  if (r.category == ErrorCategory::ok) return r;
  std::string error = r.message;
  for (const auto& row : r.tables.front().rows)
    if (!row.back().as_string().empty()) error = row.back().as_string();
  throw Error(r.category, error);
}

}  // namespace

std::vector<JobKind> agent_job_kinds() {
  return {{"agent.sync",
           "sync plans against what the provider last acknowledged: a second run finds the agent unchanged and sends "
           "nothing; a create cut short by a crash left its marker, by which the rerun adopts the provider's object "
           "instead of making another, and every provider id is stored as it arrives",
           "{\"workspace\": ID, \"agent\": ID, \"force\": true|false} (force: push even when nothing changed)", false,
           check_agent_sync, run_agent_sync_job}};
}

}  // namespace wfa
