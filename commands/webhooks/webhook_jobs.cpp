// webhook.process: one stored webhook event processed in a worker, exactly once beside serve's processor.
#include "commands/webhooks/webhook_jobs.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/transaction>

#include "commands/job/job_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/webhooks/webhooks.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

void check_webhook_process(const nlohmann::json& payload) {
  refuse_unknown_fields(payload, {"event"});
  payload_uuid(payload, "event");
}

/// run_webhook_process_job processes the payload's event with process_webhook_event, which takes it only while it is
/// received (row locked, status checked): an event serve's processor or an earlier run took is skipped. An event
/// that cannot be processed fails the job; one whose processing hit a passing fault is retried.
Result run_webhook_process_job(const JobInput& job, Session& session) {
  check_webhook_process(job.payload);
  require_super_admin(session, "process webhook deliveries");
  auto id = payload_uuid(job.payload, "event");
  std::string workspace;
  {
    pqxx::read_transaction tx(session.database().ready());
    workspace = webhook_event_workspace(tx, id);
  }
  auto outcome =
      process_webhook_event(session, id, workspace.empty() ? std::nullopt : std::optional<std::string>(workspace));
  if (outcome.status == "failed") throw InvalidInputError("webhook event " + id + " failed: " + outcome.detail);
  if (outcome.status == "received") throw TemporaryError("webhook event " + id + ": " + outcome.detail);
  Result r;
  r.fields = {{"event", Cell(id)}, {"outcome", Cell(outcome.status)}, {"detail", Cell(outcome.detail)}};
  r.message = "webhook event " + id + " " + outcome.status + ": " + outcome.detail;
  return r;
}

}  // namespace

std::vector<JobKind> webhook_job_kinds() {
  return {{"webhook.process",
           "the event is taken only while it is received, under its row lock, and its effect commits with its new "
           "status: a second run (or serve's processor) finds it processed and skips it",
           "{\"event\": ID} (a stored webhook event)", false, check_webhook_process, run_webhook_process_job}};
}

}  // namespace wfa
