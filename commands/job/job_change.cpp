// `wfa job cancel|retry|purge`: audited changes of the queue's rows, each waking the workers it concerns.
#include <algorithm>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/job/job.hpp"
#include "commands/job/job_queue.hpp"
#include "commands/job/job_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

/// parse_job_ids reads every id before anything is looked up, so a bad one changes nothing.
std::vector<std::int64_t> parse_job_ids(const std::vector<std::string>& texts) {
  if (texts.empty()) throw UsageError("which jobs? give their ids", "`wfa job list` shows the ids");
  std::vector<std::int64_t> ids;
  for (const auto& text : texts) ids.push_back(parse_job_id(text));
  return ids;
}

/// locked_status is job ID's status, its row locked for the change; a job that does not exist is NotFoundError.
std::string locked_status(pqxx::work& tx, std::int64_t id) {
  auto rows = tx.exec_params("SELECT status FROM jobs WHERE id = $1 FOR UPDATE", id);
  if (rows.empty()) throw NotFoundError("no job " + std::to_string(id), "`wfa job list` shows the ids");
  return rows[0][0].as<std::string>();
}

void audit_job(pqxx::work& tx, const Session& session, const std::string& action, std::int64_t id,
               const std::string& before, const std::string& after) {
  record_audit(tx, {session.actor(), action, "job", std::to_string(id), std::nullopt, std::nullopt,
                    nlohmann::json{{"status", before}}.dump(), nlohmann::json{{"status", after}}.dump(), ""});
}

}  // namespace

Result run_job_cancel(const JobCancelOptions& o, Session& session) {
  auto ids = parse_job_ids(o.ids);
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "cancel jobs");
  Table t("jobs", {"id", "status"});
  long stopping = 0;
  for (auto id : ids) {
    auto status = locked_status(tx, id);
    std::string now;
    if (status == "available") {
      tx.exec_params(
          "UPDATE jobs SET status = 'cancelled', finished_at = now(), last_error = 'cancelled before it ran',"
          " error_category = 'interrupted' WHERE id = $1",
          id);
      now = "cancelled";
    } else if (status == "running") {
      // The worker's handler sees its Session cancelled (NOTIFY now, its heartbeat as a safety net) and the job ends
      // cancelled; one that finishes first stays completed.
      tx.exec_params("UPDATE jobs SET cancel_requested = true WHERE id = $1", id);
      tx.exec_params("SELECT pg_notify($1, $2)", job_cancel_channel, std::to_string(id));
      now = "cancelling";
      ++stopping;
    } else {
      throw ConflictError(
          "job " + std::to_string(id) + " is " + status + "; only available and running jobs are cancelled",
          status == "completed" ? "nothing to do" : "retry it first if it should run again");
    }
    audit_job(tx, session, "job.cancel", id, status, now);
    t.rows.push_back({Cell(id), Cell(now)});
  }
  Result r;
  r.tables.push_back(std::move(t));
  auto n = std::to_string(ids.size());
  auto stopping_note = stopping ? " (" + std::to_string(stopping) + " running: asked to stop)" : std::string();
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "cancelled " + n + " job(s)" + stopping_note,
                             "would cancel " + n + " job(s)" + stopping_note);
}

Result run_job_retry(const JobRetryOptions& o, Session& session) {
  auto ids = parse_job_ids(o.ids);
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "retry jobs");
  Table t("jobs", {"id", "status"});
  for (auto id : ids) {
    auto status = locked_status(tx, id);
    if (status != "failed" && status != "discarded" && status != "cancelled")
      throw ConflictError(
          "job " + std::to_string(id) + " is " + status + "; only failed, discarded and cancelled jobs are retried",
          status == "completed" ? "enqueue a new job to run it again" : "it will run; nothing to do");
    auto held = tx.exec_params(
        "SELECT h.id FROM jobs j JOIN jobs h ON h.kind = j.kind AND h.unique_key = j.unique_key AND h.status IN"
        " ('available', 'running') WHERE j.id = $1",
        id);
    if (!held.empty())
      throw ConflictError("job " + std::to_string(id) + "'s unique key is held by job " + held[0][0].as<std::string>(),
                          "let that one finish, or cancel it first");
    tx.exec_params(
        "UPDATE jobs SET status = 'available', attempts = 0, run_after = now(), finished_at = NULL, cancel_requested ="
        " false, heartbeat_at = NULL WHERE id = $1",
        id);
    audit_job(tx, session, "job.retry", id, status, "available");
    t.rows.push_back({Cell(id), Cell("available")});
  }
  tx.exec_params("SELECT pg_notify($1, '')", job_notify_channel);
  Result r;
  r.tables.push_back(std::move(t));
  auto n = std::to_string(ids.size());
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "queued " + n + " job(s) again",
                             "would queue " + n + " job(s) again");
}

Result run_job_purge(const JobPurgeOptions& o, Session& session) {
  auto older = parse_duration(session.option("older-than"), o.older_than);
  Choices statuses = o.statuses.empty() ? Choices{"completed", "cancelled"} : o.statuses;
  for (const auto& s : statuses) check_choice("status", s, job_finished_statuses, "a finished job's status");
  std::string list = "{";
  for (std::size_t i = 0; i < statuses.size(); ++i) list += (i ? "," : "") + statuses[i];
  list += "}";
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "purge jobs");
  auto rows = tx.exec_params(
      "WITH gone AS (DELETE FROM jobs WHERE finished_at < now() - make_interval(secs => $1) AND status ="
      " ANY($2::text[]) RETURNING status) SELECT status, count(*) FROM gone GROUP BY status ORDER BY status",
      static_cast<double>(older.count()), list);
  Table t("by_status", {"status", "jobs"});
  std::int64_t total = 0;
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& row : rows) {
    t.rows.push_back({Cell(row[0].as<std::string>()), Cell(row[1].as<std::int64_t>())});
    total += row[1].as<std::int64_t>();
    counts[row[0].as<std::string>()] = row[1].as<std::int64_t>();
  }
  Result r;
  r.tables.push_back(std::move(t));
  r.fields = {{"purged", Cell(total)}, {"older_than", Cell(o.older_than)}};
  auto what = std::to_string(total) + " finished job(s) older than " + o.older_than;
  if (total == 0) {
    r.message = "no finished jobs older than " + o.older_than + "; nothing to do";
    return r;
  }
  record_audit(tx, {session.actor(), "job.purge", "job", "", std::nullopt, std::nullopt, "", "",
                    nlohmann::json{{"older_than", o.older_than}, {"purged", counts}}.dump()});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "purged " + what, "would purge " + what);
}

}  // namespace wfa
