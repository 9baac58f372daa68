// `wfa worker` as processes: four drain 10,000 jobs with each effect once, a kill -9 mid-job is rescued and completed
// once, workers outlive a PostgreSQL restart, SIGTERM lets a running job finish, drain and once stop on their own.
#include <fstream>

#include <pqxx/pqxx>

#include "core/embedded_cluster.hpp"
#include "tests/integration/job_fixture.hpp"

namespace wfa {
namespace {

class JobWorker : public ::testing::Test, protected test::JobFixture {};

TEST_F(JobWorker, FourWorkersDrainTenThousandJobsWithEachEffectOnce) {
  auto batch = run_json({"job", "enqueue", "test.effect", "--payloads", payloads(10000)});
  ASSERT_EQ(batch["jobs"], 10000) << batch.dump();
  std::vector<pid_t> four;
  for (int i = 0; i < 4; ++i) four.push_back(worker({"--drain", "--concurrency", "4"}));
  for (std::size_t i = 0; i < four.size(); ++i) EXPECT_EQ(test::exited(four[i], 90), 0) << log(i);
  workers.clear();
  EXPECT_EQ(jobs("completed"), 10000);
  EXPECT_EQ(value("SELECT count(*) FROM job_test_effects"), "10000") << "every job's effect is there";
  EXPECT_EQ(value("SELECT sum(runs) FROM job_test_effects"), "10000") << "and no handler ran twice";
  EXPECT_EQ(value("SELECT count(*) FROM jobs WHERE attempts <> 1"), "0");
  EXPECT_GE(std::stoi(value("SELECT count(DISTINCT claimed_by) FROM jobs")), 2) << "the work was shared";
  auto status = run_json({"job", "status", batch["batch_id"]});
  EXPECT_EQ(status["completed"], 10000) << status.dump();
  EXPECT_TRUE(status["failures"].empty());
}

TEST_F(JobWorker, AJobOfAWorkerKilledMidJobIsRescuedWithinTheTimeoutAndCompletedOnce) {
  auto id = enqueue("test.effect", R"({"sleep_ms": 3000})");
  auto first = worker({"--rescue-after", "2"});
  ASSERT_TRUE(test::eventually([&] { return jobs("running") == 1; }, 15)) << log(0);
  auto victim = value("SELECT claimed_by FROM jobs");
  ::kill(first, SIGKILL);
  ASSERT_EQ(test::exited(first, 5), 128 + SIGKILL);
  auto killed_at = std::chrono::steady_clock::now();
  worker({"--rescue-after", "2"});
  ASSERT_TRUE(test::eventually([&] { return value("SELECT claimed_by FROM jobs") != victim; }, 10)) << log(1);
  auto rescued_in = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed_at).count();
  EXPECT_LT(rescued_in, 2 + 1 + 2.5) << "the heartbeat's age (2 s), the rescue's interval (1 s) and a start's slack";
  ASSERT_TRUE(test::eventually([&] { return jobs("completed") == 1; }, 15)) << log(1);
  EXPECT_EQ(value("SELECT runs FROM job_test_effects WHERE job_id = " + id), "1") << "the effect applied once";
  EXPECT_EQ(value("SELECT attempts FROM jobs"), "2") << "the lost attempt counted";
  EXPECT_NE(value("SELECT last_error FROM jobs").find("stopped heartbeating"), std::string::npos);
  EXPECT_NE(log(1).find("rescued 1 job(s)"), std::string::npos) << log(1);
  EXPECT_EQ(stop(workers.back()), 0);
}

TEST_F(JobWorker, WorkersOutliveAPostgresRestartAndFinishTheQueue) {
  // A cluster of the test's own: the shared one serves every other test.
  test::TempDir data;
  std::map<std::string, std::string> own = {{"WFA_DATA_DIR", data.path().string()}};
  ASSERT_EQ(test::run_wfa({"db", "status"}, own).exit_code, 0);
  EmbeddedCluster cluster(ClusterSettings{data.path() / "pg", "", "wfa-postgres", true});
  {
    pqxx::connection owner(cluster.conninfo("wfa"));
    pqxx::nontransaction tx(owner);
    tx.exec(test::effects_table_sql);
    // Commits without waiting for the disk, as the shared test cluster's: the test is about the restart, not fsync.
    tx.exec("ALTER SYSTEM SET synchronous_commit = off");
    tx.exec("SELECT pg_reload_conf()");
  }
  env = {{"WFA_DATABASE_URL", cluster.conninfo("wfa", "wfa_app")},
         {"WFA_DATA_DIR", dir.path().string()},
         {"WFA_TEST_MODE", "1"}};
  ASSERT_EQ(run({"job", "enqueue", "test.effect", "--payloads", payloads(1000, R"({"sleep_ms": 5})")}).exit_code, 0);
  auto a = worker({"--concurrency", "2", "--rescue-after", "30"});
  auto b = worker({"--concurrency", "2", "--rescue-after", "30"});
  auto completed = [&]() -> long {
    try {
      pqxx::connection c(cluster.conninfo("wfa"));
      return pqxx::nontransaction(c).exec("SELECT count(*) FROM jobs WHERE status = 'completed'")[0][0].as<long>();
    } catch (const std::exception&) {
      return -1;  // still starting
    }
  };
  ASSERT_TRUE(test::eventually([&] { return completed() >= 100; }, 60)) << log(0);
  ASSERT_TRUE(cluster.stop());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(test::exited(a, 0), -1) << "a worker outlives the database: " << log(0);
  EXPECT_EQ(test::exited(b, 0), -1) << log(1);
  cluster.start();
  ASSERT_TRUE(test::eventually([&] { return completed() == 1000; }, 90)) << log(0) << log(1);
  EXPECT_EQ(stop(a), 0) << log(0);
  EXPECT_EQ(stop(b), 0) << log(1);
  EXPECT_NE(log(0).find("cannot use the database"), std::string::npos) << log(0);
  EXPECT_NE(log(0).find("the database is back"), std::string::npos) << log(0);
  pqxx::connection c(cluster.conninfo("wfa"));
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM job_test_effects")[0][0].as<long>(), 1000);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM job_test_effects e JOIN jobs j ON j.id = e.job_id WHERE e.runs > 1 AND"
                    " j.attempts = 1")[0][0]
                .as<long>(),
            0)
      << "a handler ran twice only when its first attempt failed";
  EXPECT_EQ(tx.exec("SELECT count(*) FROM jobs WHERE status <> 'completed'")[0][0].as<long>(), 0);
}

TEST_F(JobWorker, SigtermLetsTheRunningJobFinishAndReleasesTheRest) {
  // Noops first (they run where claimed, so the worker claims more than its one handler), then two slow jobs: the
  // second claim takes both, one runs and one waits for the handler.
  for (int i = 0; i < 8; ++i) enqueue("noop", "{}", {"--priority", "10"});
  auto started = (dir.path() / "started").string();
  auto slow = nlohmann::json{{"sleep_ms", 1500}, {"started_file", started}}.dump();
  enqueue("test.effect", slow);
  enqueue("test.effect", slow);
  auto pid = worker({"--concurrency", "1"});
  ASSERT_TRUE(test::eventually([&] { return jobs("running") == 2 && std::filesystem::exists(started); }, 15)) << log(0);
  EXPECT_EQ(stop(pid), 0) << log(0);
  EXPECT_EQ(value("SELECT count(*) FROM jobs WHERE kind = 'test.effect' AND status = 'completed'"), "1")
      << "the job in flight finished and its outcome was recorded: " << log(0);
  EXPECT_EQ(value("SELECT count(*) FROM jobs WHERE kind = 'test.effect' AND status = 'available' AND attempts = 0"),
            "1")
      << "the one claimed but not started went back, its attempt not counted";
  EXPECT_EQ(value("SELECT sum(runs) FROM job_test_effects"), "1");
  EXPECT_NE(log(0).find("1 released"), std::string::npos) << log(0);
}

TEST_F(JobWorker, DrainAndOnceStopOnTheirOwn) {
  auto empty = run({"worker", "--drain"});
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_NE(empty.err.find("0 completed"), std::string::npos) << empty.err;
  for (int i = 0; i < 3; ++i) enqueue("noop");
  enqueue("noop", "{}", {"--delay", "1h"});
  auto once = run_json({"worker", "--once", "--batch", "2"});
  EXPECT_EQ(once["completed"], 2) << once.dump();
  auto drained = run_json({"worker", "--drain"});
  EXPECT_EQ(drained["completed"], 1) << "the job due in an hour is left";
  EXPECT_EQ(jobs("available"), 1);
  EXPECT_EQ(jobs("completed"), 3);
}

}  // namespace
}  // namespace wfa
