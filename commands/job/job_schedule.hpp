#pragma once
/// Periodic jobs: the schedule settings (cron expressions, UTC) and the claim of each due tick. Every `wfa worker` runs
/// run_due_schedules; it claims a tick with one UPDATE guarded by last_tick and enqueues the tick's job in the same
/// transaction, so a tick is enqueued once however many workers run (job_schedules, migrations/0034).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "pipelines/cron_schedule.hpp"

namespace wfa {

class Config;

/// JobSchedule is one schedule setting (schedule.NAME) and the job kind it enqueues.
struct JobSchedule {
  std::string name;  ///< usage_reset, cleanup or notify_flush
  std::string kind;  ///< usage.reset, cleanup or notify.flush
  std::string cron;  ///< the expression as set; empty: off
  std::string source;
  std::optional<CronSchedule> schedule;  ///< nullopt: off
};

/// job_schedules reads every schedule setting of SETTINGS, the ones off too; an expression that does not parse is
/// UsageError naming the setting, its source and the field.
std::vector<JobSchedule> job_schedules(const Config& settings);

/// schedule_payload is the payload of the job SCHEDULE enqueues at TICK: usage.reset and cleanup their defaults,
/// notify.flush bounded to end before the next tick.
std::string schedule_payload(const JobSchedule& schedule, CronSchedule::Time tick);

/// database_clock is the database's time in whole seconds: the one clock every worker's schedules follow.
CronSchedule::Time database_clock(pqxx::transaction_base& tx);

/// ScheduledJob is a tick a round claimed and the job it enqueued.
struct ScheduledJob {
  std::string name;
  CronSchedule::Time tick;
  std::int64_t job_id = 0;
};

/// ScheduleRound is what run_due_schedules did, and how long until the next tick of any schedule that is on.
struct ScheduleRound {
  std::vector<ScheduledJob> enqueued;
  std::optional<std::chrono::milliseconds> next_in;
};

/// run_due_schedules claims, for each schedule that is on, its latest tick at or before the database's clock if that is
/// newer than the last one claimed (so ticks missed while no worker ran make one job), and enqueues its job as actor
/// schedule:NAME in the same transaction. A schedule met for the first time, or whose expression changed, starts
/// from its latest tick without a job. WORKER names the claimant.
ScheduleRound run_due_schedules(pqxx::connection_base& connection, const std::vector<JobSchedule>& schedules,
                                const std::string& worker);

}  // namespace wfa
