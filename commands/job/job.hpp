#pragma once
/// `wfa job`: the PostgreSQL job queue `wfa worker` drains. Jobs are enqueued (one, or a file of payloads as one
/// batch), listed, shown, cancelled, retried and purged; `stats` is the queue's depth and recent durations per kind,
/// `status` one batch's progress and failures, `schedules` the periodic jobs workers enqueue. Every verb is a super
/// admin's.
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"
#include "core/result.hpp"

namespace wfa {

class Session;

struct JobEnqueueOptions {
  std::string kind;
  std::optional<std::string> payload;   ///< one job's payload, a JSON object (default {})
  std::optional<std::string> payloads;  ///< a file of JSON objects, one a line: one job each, one batch (- is stdin)
  std::string queue = "default";
  int priority = 0;                       ///< higher runs first
  std::optional<int> max_attempts;        ///< default job_default_max_attempts
  std::optional<std::string> run_after;   ///< RFC 3339 instant; default now
  std::optional<std::string> delay;       ///< or a duration from now: 90s, 10m, 2h, 1d
  std::optional<std::string> unique_key;  ///< at most one unfinished job of the kind holds it
  bool dry_run = false;
};

struct JobListOptions {
  std::optional<std::string> status;
  std::optional<std::string> kind;
  std::optional<std::string> queue;
  std::optional<std::string> batch;
  Paging paging;
};

struct JobShowOptions {
  std::string id;
};

struct JobCancelOptions {
  std::vector<std::string> ids;
  bool dry_run = false;
};

struct JobRetryOptions {
  std::vector<std::string> ids;
  bool dry_run = false;
};

struct JobPurgeOptions {
  std::string older_than = "7d";      ///< finished longer ago than this
  std::vector<std::string> statuses;  ///< finished statuses to remove; default completed and cancelled
  bool dry_run = false;
};

struct JobStatsOptions {};

struct JobStatusOptions {
  std::string batch;
  bool wait = false;  ///< until no job of the batch is available or running (Ctrl-C: exit 130)
};

struct JobSchedulesOptions {};

/// run_job_enqueue adds one job, or one per line of a payloads file as a batch, in one statement.
Result run_job_enqueue(const JobEnqueueOptions& options, Session& session);
/// run_job_list lists jobs newest first.
Result run_job_list(const JobListOptions& options, Session& session);
/// run_job_show shows one job whole: payload, attempts, worker, result or last error.
Result run_job_show(const JobShowOptions& options, Session& session);
/// run_job_cancel cancels available jobs at once and asks running ones to stop (their handler sees its Session
/// cancelled); finished jobs are a conflict (exit 4).
Result run_job_cancel(const JobCancelOptions& options, Session& session);
/// run_job_retry makes failed, discarded and cancelled jobs available again with their attempts reset.
Result run_job_retry(const JobRetryOptions& options, Session& session);
/// run_job_purge removes finished jobs older than the retention.
Result run_job_purge(const JobPurgeOptions& options, Session& session);
/// run_job_stats is the queue's depth per queue and kind (available, due, running, the oldest due one's wait) and the
/// last hour's outcomes and durations.
Result run_job_stats(const JobStatsOptions& options, Session& session);
/// run_job_status is one batch's progress by status and its failed jobs; a finished batch with failures is
/// batch_partial (exit 8), as the local run would be.
Result run_job_status(const JobStatusOptions& options, Session& session);
/// run_job_schedules lists the schedule settings: the kind each enqueues, its cron expression (or off), its next tick,
/// and the last tick a worker claimed with the job it enqueued.
Result run_job_schedules(const JobSchedulesOptions& options, Session& session);

}  // namespace wfa
