// Periodic jobs: the schedule settings, and each due tick claimed and enqueued once, in one transaction.
#include "commands/job/job_schedule.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/job/job_queue.hpp"
#include "core/config.hpp"
#include "core/error.hpp"

namespace wfa {

namespace {

/// schedule_kinds pairs each schedule setting (schedule.NAME) with the kind it enqueues.
constexpr std::pair<const char*, const char*> schedule_kinds[] = {
    {"usage_reset", "usage.reset"}, {"cleanup", "cleanup"}, {"notify_flush", "notify.flush"}};

/// claim_tick claims TICK of SCHEDULE in TX; true when this transaction is to enqueue its job. A schedule without a
/// row, or with another expression, is (re)started at TICK with no job, so a first start or a change makes no burst.
bool claim_tick(pqxx::work& tx, const JobSchedule& schedule, std::int64_t tick, const std::string& worker) {
  auto started = tx.exec_params(
      "INSERT INTO job_schedules (name, cron, last_tick, claimed_by) VALUES ($1, $2, to_timestamp($3), $4) ON CONFLICT"
      " (name) DO NOTHING",
      schedule.name, schedule.cron, tick, worker);
  if (started.affected_rows() == 1) return false;
  // The claim: a concurrent worker's UPDATE waits for this one's commit, then finds last_tick no longer older.
  auto claimed = tx.exec_params(
      "UPDATE job_schedules SET last_tick = to_timestamp($3), claimed_by = $4, updated_at = now() WHERE name = $1 AND"
      " cron = $2 AND last_tick < to_timestamp($3)",
      schedule.name, schedule.cron, tick, worker);
  if (claimed.affected_rows() == 1) return true;
  tx.exec_params(
      "UPDATE job_schedules SET cron = $2, last_tick = to_timestamp($3), last_job_id = NULL, claimed_by = $4, "
      "updated_at"
      " = now() WHERE name = $1 AND cron <> $2",
      schedule.name, schedule.cron, tick, worker);
  return false;
}

}  // namespace

std::vector<JobSchedule> job_schedules(const Config& settings) {
  std::vector<JobSchedule> schedules;
  for (const auto& [name, kind] : schedule_kinds) {
    const auto key = std::string("schedule.") + name;
    const auto& setting = settings.get(key);
    JobSchedule s{name, kind, setting.value, setting.source, std::nullopt};
    if (s.cron.find_first_not_of(" \t") == std::string::npos) {
      s.cron.clear();  // blank: off
    } else {
      try {
        s.schedule = CronSchedule::parse(s.cron);
      } catch (const InvalidInputError& e) {
        throw UsageError(key + " '" + s.cron + "' (" + s.source + "): " + e.what(), e.hint());
      }
    }
    schedules.push_back(std::move(s));
  }
  return schedules;
}

std::string schedule_payload(const JobSchedule& schedule, CronSchedule::Time tick) {
  if (schedule.kind != "notify.flush" || !schedule.schedule) return "{}";
  // Done before the next tick's flush starts: its interval less a second, at least 1 and at most an hour.
  auto interval = (schedule.schedule->next_after(tick) - tick).count();
  return nlohmann::json{{"max_seconds", std::clamp<std::int64_t>(interval - 1, 1, 3600)}}.dump();
}

CronSchedule::Time database_clock(pqxx::transaction_base& tx) {
  return CronSchedule::Time(std::chrono::seconds(
      tx.exec("SELECT floor(extract(epoch FROM clock_timestamp()))::bigint")[0][0].as<std::int64_t>()));
}

ScheduleRound run_due_schedules(pqxx::connection_base& connection, const std::vector<JobSchedule>& schedules,
                                const std::string& worker) {
  ScheduleRound round;
  for (const auto& s : schedules) {
    if (!s.schedule) continue;
    pqxx::work tx(connection);
    auto now = database_clock(tx);
    auto tick = s.schedule->last_at_or_before(now);
    auto next_in = std::chrono::duration_cast<std::chrono::milliseconds>(s.schedule->next_after(now) - now);
    round.next_in = std::min(round.next_in.value_or(next_in), next_in);
    if (!tick) continue;
    auto epoch = tick->time_since_epoch().count();
    if (!claim_tick(tx, s, epoch, worker)) {
      tx.commit();
      continue;
    }
    JobSpec job;
    job.kind = s.kind;
    job.payload = schedule_payload(s, *tick);
    job.unique_key = "schedule:" + s.name + ":" + std::to_string(epoch);  // belt and braces: one job per tick
    auto enqueued = enqueue_jobs(tx, {job}, JobOrigin{"schedule:" + s.name, "", ""});
    std::int64_t id = enqueued.ids.empty() ? 0 : enqueued.ids.front();
    tx.exec_params("UPDATE job_schedules SET last_job_id = NULLIF($2::bigint, 0) WHERE name = $1", s.name, id);
    tx.commit();
    round.enqueued.push_back({s.name, *tick, id});
  }
  return round;
}

}  // namespace wfa
