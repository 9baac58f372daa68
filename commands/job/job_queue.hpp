#pragma once
/// The job queue's SQL (migrations/0033_jobs.sql): enqueueing, for any verb inside its own transaction, and what a
/// worker does with the jobs it holds: claim in batches (FOR UPDATE SKIP LOCKED), record how attempts ended in
/// batches, heartbeat, rescue the jobs of workers that stopped heartbeating, release what it will not run.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/pqxx_fwd.hpp"

namespace wfa {

class Session;

/// job_default_max_attempts is how often a job whose attempts keep failing for passing reasons runs.
inline constexpr int job_default_max_attempts = 20;
/// job_notify_channel is what an enqueue NOTIFYs (once per statement) and workers LISTEN on.
inline constexpr const char* job_notify_channel = "wfa_jobs";
/// job_cancel_channel carries the id of a running job whose cancellation was asked for.
inline constexpr const char* job_cancel_channel = "wfa_job_cancel";

/// JobSpec is one job to enqueue.
struct JobSpec {
  std::string kind;
  std::string payload = "{}";  ///< a JSON object as text, already checked
  std::string queue = "default";
  int priority = 0;  ///< higher runs first
  int max_attempts = job_default_max_attempts;
  std::optional<std::string> run_after;   ///< a timestamptz; default now
  std::optional<std::string> unique_key;  ///< at most one unfinished job of the kind holds it
};

/// JobOrigin is who enqueues: the audit name the job's Session acts under, the user it acts for (empty: the
/// operator), and the batch its jobs belong to (empty: none).
struct JobOrigin {
  std::string actor;
  std::string acting_user_id;
  std::string batch_id;
};

/// job_origin is SESSION's actor as a job's origin (the impersonated user's id when there is one).
JobOrigin job_origin(pqxx::transaction_base& tx, const Session& session);

/// Enqueued says what an enqueue did: rows inserted, jobs skipped because an unfinished job holds their key, and the
/// new jobs' ids in order when they were few enough to be inserted with RETURNING (one job whose key is held: the
/// holder's).
struct Enqueued {
  long inserted = 0;
  long duplicates = 0;
  std::vector<std::int64_t> ids;
};

/// enqueue_jobs inserts JOBS in TX in one statement (COPY for large batches without unique keys, else INSERT from
/// arrays skipping keys an unfinished job holds); the statement NOTIFYs the workers once, when TX commits.
Enqueued enqueue_jobs(pqxx::dbtransaction& tx, const std::vector<JobSpec>& jobs, const JobOrigin& origin);

/// ClaimedJob is a job a worker holds, as it was claimed.
struct ClaimedJob {
  std::int64_t id = 0;
  std::string kind;
  std::string payload;
  int attempt = 0;  ///< this attempt's number, from 1
  int max_attempts = 0;
  std::string actor;
  std::string acting_user_id;
};

/// JobOutcome is how one held attempt ended.
struct JobOutcome {
  enum class End { completed, failed, cancelled, released };
  JobOutcome() = default;
  JobOutcome(std::int64_t job, int job_attempt, End how) : id(job), attempt(job_attempt), end(how) {}
  std::int64_t id = 0;
  int attempt = 0;
  End end = End::completed;
  std::optional<std::string> result;  ///< completed: the Result as JSON, if it said anything
  std::string error;                  ///< failed or cancelled: one line
  std::string category;               ///< failed: the error's category name
  bool retryable = false;             ///< failed: a later attempt may succeed (backoff, up to max_attempts)
};

/// Claimed is what one claim took: the jobs to run (running now), and how many of inline kinds it completed at once.
struct Claimed {
  std::vector<ClaimedJob> jobs;
  int completed = 0;
  int taken = 0;  ///< jobs.size() + completed
};

/// HeartbeatAnswer lists the held jobs whose cancellation was asked for, and those no longer this worker's (rescued).
struct HeartbeatAnswer {
  std::vector<std::int64_t> cancel, lost;
};

/// JobQueue is a worker's use of the queue on one connection (its statements prepared there).
class JobQueue {
 public:
  /// WORKER names this worker's run in claimed_by; jobs of INLINE_KINDS (no work of their own: noop) are completed by
  /// the claim itself.
  JobQueue(pqxx::connection_base& connection, std::string worker, std::vector<std::string> inline_kinds = {});
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  /// record_and_claim records DONE (attempts of other workers' or rescued jobs are left alone) and claims up to LIMIT
  /// due available jobs from QUEUES in that order, in one transaction.
  Claimed record_and_claim(const std::vector<JobOutcome>& done, const std::vector<std::string>& queues, int limit);
  /// heartbeat marks HELD alive.
  HeartbeatAnswer heartbeat(const std::vector<std::int64_t>& held);
  /// rescue ends the attempts of running jobs whose heartbeat is older than STALE: available again (the attempt
  /// counted), or discarded after their last attempt, or cancelled when that was asked; returns how many.
  long rescue(std::chrono::milliseconds stale);
  /// release_unheld makes available again this worker's running jobs that are not in HELD (claims whose commit it
  /// never saw), their attempt not counted; returns how many.
  long release_unheld(const std::vector<std::int64_t>& held);
  /// due_in is how long until the next job of QUEUES that waits for its run_after is due; nullopt when none waits.
  std::optional<std::chrono::milliseconds> due_in(const std::vector<std::string>& queues);

 private:
  pqxx::connection_base& connection_;
  std::string worker_;
  std::string inline_kinds_;  ///< as an array literal
};

/// job_worker_name is a worker run's claimed_by: host, pid and a random token.
std::string job_worker_name();

}  // namespace wfa
