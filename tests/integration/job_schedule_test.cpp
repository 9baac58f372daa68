// Periodic jobs: three `wfa worker` processes with an every-second schedule enqueue each tick once; ticks missed while
// no worker ran make one job; a first sight or a changed expression fires nothing; a bad expression stops the worker
// with one line naming the setting and its source; `wfa job schedules` shows them.
#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>

#include "tests/integration/job_fixture.hpp"

namespace wfa {
namespace {

class JobSchedules : public ::testing::Test, protected test::JobFixture {
 protected:
  /// scheduled counts the jobs schedule NAME enqueued.
  long scheduled(const std::string& name) {
    return std::stol(value("SELECT count(*) FROM jobs WHERE actor = 'schedule:" + name + "'"));
  }
  /// enqueue_lines counts the lines of worker N's log that say a schedule enqueued a job.
  long enqueue_lines(std::size_t n) {
    auto text = log(n);
    long lines = 0;
    for (auto at = text.find("enqueued job"); at != std::string::npos; at = text.find("enqueued job", at + 1)) ++lines;
    return lines;
  }
};

TEST_F(JobSchedules, ThreeWorkersEnqueueAnEverySecondScheduleOncePerTick) {
  env["WFA_SCHEDULE_NOTIFY_FLUSH"] = "* * * * * *";
  std::vector<pid_t> three;
  for (int i = 0; i < 3; ++i) three.push_back(worker({"--concurrency", "2"}));
  ASSERT_TRUE(test::eventually([&] { return scheduled("notify_flush") >= 1; }, 20)) << log(0) << log(1) << log(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(4500));
  // No tick after this one is newer than the last claimed: the workers finish what they enqueued, then stop idle.
  exec("UPDATE job_schedules SET last_tick = '2100-01-01T00:00:00Z'");
  ASSERT_TRUE(test::eventually(
      [&] { return value("SELECT count(*) FROM jobs WHERE status IN ('available', 'running')") == "0"; }, 30))
      << log(0) << log(1) << log(2);
  for (std::size_t i = 0; i < three.size(); ++i) EXPECT_EQ(stop(three[i]), 0) << log(i);

  auto jobs = scheduled("notify_flush");
  EXPECT_GE(jobs, 3) << "a job a second for about 4.5 s";
  EXPECT_LE(jobs, 8);
  EXPECT_EQ(value("SELECT count(DISTINCT unique_key) FROM jobs WHERE actor = 'schedule:notify_flush'"),
            std::to_string(jobs))
      << "no tick twice";
  EXPECT_EQ(value("SELECT count(*) FROM jobs WHERE actor = 'schedule:notify_flush' AND (kind <> 'notify.flush' OR"
                  " status <> 'completed' OR attempts <> 1 OR payload <> '{\"max_seconds\": 1}')"),
            "0")
      << "each a notify.flush bounded to a second, completed at its first attempt";
  EXPECT_EQ(enqueue_lines(0) + enqueue_lines(1) + enqueue_lines(2), jobs) << "each enqueue said once, by its worker";
  EXPECT_EQ(value("SELECT last_job_id = (SELECT max(id) FROM jobs WHERE actor = 'schedule:notify_flush') FROM"
                  " job_schedules WHERE name = 'notify_flush'"),
            "t");
}

TEST_F(JobSchedules, TicksMissedWhileNoWorkerRanMakeOneJobAndAFirstSightOrAChangeMakesNone) {
  // First sight: the schedule starts at its latest tick, no job for the past.
  env["WFA_SCHEDULE_CLEANUP"] = "0 * * * *";
  auto first = worker({});
  ASSERT_TRUE(test::eventually([&] { return count("job_schedules") == 1; }, 20)) << log(0);
  EXPECT_EQ(stop(first), 0) << log(0);
  EXPECT_EQ(scheduled("cleanup"), 0);
  EXPECT_EQ(value("SELECT last_tick = date_trunc('hour', now()) FROM job_schedules"), "t");

  // Five hourly ticks missed: one job, for the latest.
  exec("UPDATE job_schedules SET last_tick = date_trunc('hour', now()) - interval '5 hours'");
  worker({});
  ASSERT_TRUE(test::eventually([&] { return jobs("completed") == 1; }, 30)) << log(0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(stop(workers.back()), 0) << log(0);
  EXPECT_EQ(scheduled("cleanup"), 1);
  EXPECT_EQ(value("SELECT kind || ' ' || payload::text FROM jobs"), "cleanup {}");
  EXPECT_EQ(value("SELECT unique_key = 'schedule:cleanup:' || extract(epoch FROM date_trunc('hour', now()))::bigint"
                  " FROM jobs"),
            "t");

  // A changed expression starts again from its own latest tick, without a burst.
  exec("UPDATE job_schedules SET last_tick = last_tick - interval '3 days'");
  env["WFA_SCHEDULE_CLEANUP"] = "30 * * * *";
  auto changed = worker({});
  ASSERT_TRUE(test::eventually([&] { return value("SELECT cron FROM job_schedules") == "30 * * * *"; }, 20)) << log(0);
  EXPECT_EQ(stop(changed), 0) << log(0);
  EXPECT_EQ(scheduled("cleanup"), 1);
  EXPECT_EQ(value("SELECT last_tick > now() - interval '1 hour' AND last_job_id IS NULL FROM job_schedules"), "t");
}

TEST_F(JobSchedules, ABadExpressionStopsTheWorkerWithOneLineNamingTheSettingAndItsSource) {
  auto config = file("config.toml", "output = \"plain\"\n[schedule]\nnotify_flush = \"* * * 13 *\"\n");
  env["WFA_CONFIG"] = config;
  auto r = run({"worker"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("schedule.notify_flush '* * * 13 *' (file " + config +
                       ":3): cron field 4 (month) '13': 13 is out of range 1-12"),
            std::string::npos)
      << r.err;

  env.erase("WFA_CONFIG");
  env["WFA_SCHEDULE_USAGE_RESET"] = "5 0 1 *";
  r = run({"worker", "--drain"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("schedule.usage_reset '5 0 1 *' (env WFA_SCHEDULE_USAGE_RESET): cron expression '5 0 1 *' has 4"
                       " field(s)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(count("job_schedules"), 0);
}

TEST_F(JobSchedules, SchedulesShowsEachSettingOnOrOffWithItsTicks) {
  env["WFA_SCHEDULE_NOTIFY_FLUSH"] = "*/5 * * * *";
  exec(
      "INSERT INTO job_schedules (name, cron, last_tick, last_job_id) VALUES ('notify_flush', '*/5 * * * *',"
      " '2026-12-07T16:05:00Z', 42)");
  auto r = run_json({"job", "schedules"})["schedules"];
  ASSERT_EQ(r.size(), 3u) << r.dump();
  EXPECT_EQ(r[0]["name"], "usage_reset");
  EXPECT_EQ(r[0]["cron"], "off");
  EXPECT_TRUE(r[0]["next_tick"].is_null()) << r.dump();
  EXPECT_EQ(r[2]["name"], "notify_flush");
  EXPECT_EQ(r[2]["kind"], "notify.flush");
  EXPECT_EQ(r[2]["cron"], "*/5 * * * *");
  EXPECT_EQ(r[2]["last_tick"], "2026-12-07T16:05:00Z");
  EXPECT_EQ(r[2]["last_job_id"], 42);
  EXPECT_EQ(r[2]["source"], "env WFA_SCHEDULE_NOTIFY_FLUSH");
  EXPECT_TRUE(std::regex_match(r[2]["next_tick"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d[05]:00Z)")))
      << r.dump();

  add_user("ana@acme.test");
  auto denied = run({"job", "schedules", "--as", "ana@acme.test"});
  EXPECT_EQ(denied.exit_code, 5) << denied.err;
}

}  // namespace
}  // namespace wfa
