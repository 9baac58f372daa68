// `wfa job list|show|stats|status`: the queue read back, by job, by kind and by batch.
#include <chrono>
#include <filesystem>
#include <thread>

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/job/job.hpp"
#include "commands/job/job_batch.hpp"
#include "commands/job/job_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

Result run_job_list(const JobListOptions& o, Session& session) {
  if (o.status) check_choice("status", *o.status, job_statuses, "a job status");
  if (o.queue) check_queue_name(session.option("queue"), *o.queue);
  if (o.batch) check_batch_id(*o.batch);
  auto tx = list_transaction(session);
  require_super_admin(actor_of(*tx, session), "list jobs");
  ListQuery query("job list", "jobs");
  query
      .select("j.id, j.kind, j.queue, j.status, j.attempts, j.max_attempts, j.priority, " + utc_sql("j.run_after") +
              " AS run_after, " + utc_sql("j.created_at") + " AS created_at, " + utc_sql("j.finished_at") +
              " AS finished_at, left(j.last_error, 80) AS last_error, j.batch_id")
      .from("jobs j")
      .where("j.status = ?", o.status)
      .where("j.kind = ?", o.kind)
      .where("j.queue = ?", o.queue)
      .where("j.batch_id = ?::uuid", o.batch)
      .order_by({{"j.id", "bigint", true}})
      .machine_columns(1)
      .when_empty(o.batch ? "batch " + *o.batch + " has no jobs" : "no jobs");
  return list_rows(tx, query, o.paging, session);
}

Result run_job_show(const JobShowOptions& o, Session& session) {
  auto id = parse_job_id(o.id);
  pqxx::read_transaction tx(session.read_database().ready());
  require_super_admin(actor_of(tx, session), "show jobs");
  auto rows = tx.exec_params(
      "SELECT id, kind, queue, status, priority, attempts, max_attempts, payload, " + utc_sql("run_after") +
          " AS run_after, claimed_by, " + utc_sql("claimed_at") + " AS claimed_at, " + utc_sql("heartbeat_at") +
          " AS heartbeat_at, cancel_requested, last_error, error_category, result, unique_key, batch_id::text,"
          " actor, acting_user_id::text, " +
          utc_sql("created_at") + " AS created_at, " + utc_sql("finished_at") +
          " AS finished_at FROM jobs WHERE id = $1",
      id);
  if (rows.empty()) throw NotFoundError("no job " + o.id, "`wfa job list` shows the ids");
  Result r;
  r.fields = to_fields(rows);
  return r;
}

Result run_job_stats(const JobStatsOptions&, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  require_super_admin(actor_of(tx, session), "read the queue's statistics");
  auto rows = tx.exec("SELECT * FROM wfa_job_queue_stats()");  // migrations/0035_job_metrics.sql, as /metrics
  Result r;
  r.tables.push_back(to_table(rows, "kinds"));
  if (rows.empty()) r.message = "no jobs waiting, running or finished in the last hour";
  return r;
}

namespace {

/// wait_for_batch returns once no job of BATCH is available or running, looking twice a second.
void wait_for_batch(const std::string& batch, Session& session) {
  auto interruptible = session.interruptible();
  while (true) {
    {
      pqxx::read_transaction tx(session.database().ready());
      if (tx.exec_params("SELECT NOT EXISTS (SELECT 1 FROM jobs WHERE batch_id = $1::uuid AND status IN ('available',"
                         " 'running'))",
                         batch)[0][0]
              .as<bool>())
        return;
    }
    for (int i = 0; i < 10; ++i) {
      if (session.cancellation().cancelled()) throw InterruptedError("stopped waiting for batch " + batch);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

}  // namespace

Result run_job_status(const JobStatusOptions& o, Session& session) {
  check_batch_id(o.batch);
  if (o.wait) {
    {
      pqxx::read_transaction tx(session.database().ready());
      require_super_admin(actor_of(tx, session), "read a batch's progress");
    }
    wait_for_batch(o.batch, session);
  }
  pqxx::read_transaction tx(session.read_database().ready());
  require_super_admin(actor_of(tx, session), "read a batch's progress");
  auto counts = tx.exec_params(
      "SELECT count(*) AS total, count(*) FILTER (WHERE status = 'available') AS available, count(*) FILTER (WHERE"
      " status = 'running') AS running, count(*) FILTER (WHERE status = 'completed') AS completed, count(*) FILTER"
      " (WHERE status = 'failed') AS failed, count(*) FILTER (WHERE status = 'discarded') AS discarded, count(*)"
      " FILTER (WHERE status = 'cancelled') AS cancelled, min(kind) AS kind FROM jobs WHERE batch_id = $1::uuid",
      o.batch)[0];
  auto total = counts["total"].as<std::int64_t>();
  if (total == 0) throw NotFoundError("no batch " + o.batch, "`wfa job list` shows the batch of each job");
  Result r;
  r.fields.emplace_back("batch_id", Cell(o.batch));
  r.fields.emplace_back("kind", Cell(counts["kind"].as<std::string>()));
  for (const char* status : {"total", "available", "running", "completed", "failed", "discarded", "cancelled"})
    r.fields.emplace_back(status, Cell(counts[status].as<std::int64_t>()));
  auto output = batch_output_dir(session, o.batch);
  std::error_code missing;
  r.fields.emplace_back("output",
                        std::filesystem::is_directory(output, missing) ? Cell(output.string()) : Cell::null());
  // A job that failed whole, and each failed item of a job that finished partly (a table row of its result with
  // status failed: the rows the local run reports as failed), in job order.
  auto failures = tx.exec_params(
      "SELECT id AS job, status, attempts, error_category, NULL::text AS item, last_error AS error FROM jobs WHERE"
      " batch_id = $1::uuid AND status IN ('failed', 'discarded') UNION ALL SELECT j.id, 'item failed', j.attempts,"
      " coalesce(e->>'category', 'batch_partial'), coalesce(e->>'row', e->>'id'), e->>'error' FROM jobs j CROSS JOIN"
      " LATERAL jsonb_each(j.result) t(name, rows) CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN"
      " jsonb_typeof(rows) = 'array' THEN rows ELSE '[]' END) e WHERE j.batch_id = $1::uuid AND j.status ="
      " 'completed' AND j.result->>'category' = 'batch_partial' AND e->>'status' = 'failed' ORDER BY 1,"
      " 5 LIMIT 1000",
      o.batch);
  std::int64_t items_failed = 0;
  for (const auto& row : failures) items_failed += row["status"].as<std::string>() == "item failed";
  r.tables.push_back(to_table(failures, "failures"));
  auto unfinished = counts["available"].as<std::int64_t>() + counts["running"].as<std::int64_t>();
  auto failed = counts["failed"].as<std::int64_t>() + counts["discarded"].as<std::int64_t>();
  r.message = "batch " + o.batch + ": " + std::to_string(total - unfinished) + " of " + std::to_string(total) +
              " jobs finished, " + std::to_string(failed) + " failed";
  if (items_failed > 0) r.message += "; " + std::to_string(items_failed) + " item(s) failed";
  if (unfinished == 0 && failed + items_failed > 0) r.category = ErrorCategory::batch_partial;
  return r;
}

}  // namespace wfa
