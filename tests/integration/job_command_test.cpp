// `wfa job` verbs and the job lifecycle they show: enqueue (one, keyed, a batch), list, show, stats, a batch's status,
// cancel (waiting and running), retry, purge, retries with backoff until discarded, the usage.reset kind, and bad
// input.
#include <fstream>

#include "tests/integration/job_fixture.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

class JobCommand : public ::testing::Test, protected test::JobFixture {};

TEST_F(JobCommand, EnqueueListShowStatsAndABatchsStatus) {
  auto first = run_json({"job", "enqueue", "noop", "--unique-key", "k1"});
  EXPECT_EQ(first["duplicate"], false) << first.dump();
  auto again = run_json({"job", "enqueue", "noop", "--unique-key", "k1"});
  EXPECT_EQ(again["duplicate"], true);
  EXPECT_EQ(again["id"], first["id"]) << "the holder of the key";
  EXPECT_EQ(count("jobs"), 1);
  auto shown = run_json({"job", "show", first["id"].dump()});
  EXPECT_EQ(shown["kind"], "noop");
  EXPECT_EQ(shown["status"], "available");
  EXPECT_EQ(shown["unique_key"], "k1");
  EXPECT_EQ(run_json({"job", "list"})["jobs"].size(), 1u);

  auto batch_file = file("mixed.ndjson", "{\"i\": 1}\n\n{\"i\": 2}\n{\"fail\": \"invalid_input\"}\n");
  auto batch = run_json({"job", "enqueue", "test.effect", "--payloads", batch_file});
  ASSERT_EQ(batch["jobs"], 3) << batch.dump();
  std::string batch_id = batch["batch_id"];
  EXPECT_EQ(run_json({"job", "list", "--batch", batch_id})["jobs"].size(), 3u);
  auto waiting = run({"-o", "json", "job", "status", batch_id});
  EXPECT_EQ(waiting.exit_code, 0) << "unfinished: no verdict yet";
  EXPECT_EQ(json::parse(waiting.out)["available"], 3);

  auto drained = run({"worker", "--drain"});
  ASSERT_EQ(drained.exit_code, 0) << drained.err;
  EXPECT_NE(drained.err.find("not retried"), std::string::npos) << "a failure is a line: " << drained.err;
  auto status = run({"-o", "json", "job", "status", batch_id});
  EXPECT_EQ(status.exit_code, 8) << "finished with a failure, as the local run would be: " << status.err;
  auto doc = json::parse(status.out);
  EXPECT_EQ(doc["completed"], 2);
  EXPECT_EQ(doc["failed"], 1);
  ASSERT_EQ(doc["failures"].size(), 1u);
  EXPECT_EQ(doc["failures"][0]["error_category"], "invalid_input");
  EXPECT_NE(doc["failures"][0]["error"].get<std::string>().find("failing as asked"), std::string::npos);
  auto failed = run_json({"job", "list", "--status", "failed"})["jobs"];
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]["attempts"], 1) << "invalid input is not retried";

  auto kinds = run_json({"job", "stats"})["kinds"];
  bool seen = false;
  for (const auto& k : kinds)
    if (k["kind"] == "test.effect") {
      seen = true;
      EXPECT_EQ(k["completed_1h"], 2) << k;
      EXPECT_EQ(k["failed_1h"], 1);
      EXPECT_EQ(k["available"], 0);
      EXPECT_TRUE(k["p95_ms"].is_number());
    }
  EXPECT_TRUE(seen) << kinds.dump();
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action IN ('job.enqueue', 'job.enqueue_batch')"), "2");
}

TEST_F(JobCommand, CancelRetryAndPurge) {
  auto id = enqueue("noop");
  auto cancelled = run_json({"job", "cancel", id});
  EXPECT_EQ(cancelled["jobs"][0]["status"], "cancelled");
  test::expect_failure(run({"job", "cancel", id}), 4, "only available and running jobs are cancelled");
  auto dry = run({"job", "retry", id, "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(value("SELECT status FROM jobs"), "cancelled") << "a dry run changes nothing";
  EXPECT_EQ(run_json({"job", "retry", id})["jobs"][0]["status"], "available");
  test::expect_failure(run({"job", "retry", id}), 4, "only failed, discarded and cancelled jobs are retried");
  ASSERT_EQ(run({"worker", "--drain"}).exit_code, 0);
  EXPECT_EQ(value("SELECT status FROM jobs"), "completed");
  test::expect_failure(run({"job", "retry", id}), 4, "is completed");

  auto recent = run_json({"job", "purge"});
  EXPECT_EQ(recent["purged"], 0) << "finished just now: kept for the retention";
  exec("UPDATE jobs SET finished_at = now() - interval '8 days'");
  auto would = run({"job", "purge", "--dry-run"});
  EXPECT_EQ(would.exit_code, 0) << would.err;
  EXPECT_EQ(count("jobs"), 1);
  auto purged = run_json({"job", "purge"});
  EXPECT_EQ(purged["purged"], 1) << purged.dump();
  EXPECT_EQ(count("jobs"), 0);
  EXPECT_EQ(value("SELECT string_agg(action, ',' ORDER BY created_at, id) FROM audit_log WHERE action LIKE 'job.%'"),
            "job.enqueue,job.cancel,job.retry,job.purge");
}

TEST_F(JobCommand, CancellingARunningJobStopsItsHandler) {
  auto id = enqueue("test.effect", R"({"sleep_ms": 30000})");
  auto pid = worker({});
  ASSERT_TRUE(test::eventually([&] { return jobs("running") == 1; }, 15)) << log(0);
  auto asked = run_json({"job", "cancel", id});
  EXPECT_EQ(asked["jobs"][0]["status"], "cancelling");
  ASSERT_TRUE(test::eventually([&] { return jobs("cancelled") == 1; }, 5)) << "the handler saw its Session cancelled";
  EXPECT_EQ(count("job_test_effects"), 0);
  EXPECT_NE(value("SELECT last_error FROM jobs").find("cancelled while running"), std::string::npos);
  EXPECT_EQ(test::exited(pid, 0), -1) << "the worker goes on";
  EXPECT_EQ(stop(pid), 0) << log(0);
}

TEST_F(JobCommand, FailuresAreRetriedWithBackoffThenDiscarded) {
  auto hopeless = enqueue("test.effect", R"({"fail": "temporary"})", {"--max-attempts", "2"});
  auto flaky = enqueue("test.effect", R"({"fail": "temporary", "fail_attempts": 1})");
  auto pid = worker({"--poll", "1"});
  ASSERT_TRUE(test::eventually([&] { return jobs("discarded") == 1 && jobs("completed") == 1; }, 20)) << log(0);
  EXPECT_EQ(value("SELECT attempts || ' ' || error_category FROM jobs WHERE id = " + hopeless), "2 temporary");
  EXPECT_NE(value("SELECT last_error FROM jobs WHERE id = " + hopeless).find("attempt 2"), std::string::npos);
  EXPECT_EQ(value("SELECT attempts FROM jobs WHERE id = " + flaky), "2");
  EXPECT_EQ(value("SELECT runs FROM job_test_effects WHERE job_id = " + flaky), "1");
  // The retry waited its backoff: 2 s, a quarter more or less.
  EXPECT_GE(std::stod(value("SELECT extract(epoch FROM finished_at - created_at) FROM jobs WHERE id = " + flaky)), 1.5);
  EXPECT_EQ(stop(pid), 0) << log(0);
}

TEST_F(JobCommand, TheUsageResetKindClosesTheMonthOnce) {
  add_partner("acme", "Acme");
  add_workspace("acme", "main", "Main");
  exec("UPDATE workspaces SET current_month_minutes = 12");
  auto id = enqueue("usage.reset", R"({"period": "2026-11"})", {"--unique-key", "usage-2026-11"});
  ASSERT_EQ(run({"worker", "--drain"}).exit_code, 0);
  EXPECT_EQ(value("SELECT status FROM jobs"), "completed");
  EXPECT_EQ(value("SELECT result->>'workspaces_closed' FROM jobs"), "1");
  EXPECT_EQ(value("SELECT minutes FROM usage_periods"), "12");
  EXPECT_EQ(value("SELECT reset_by FROM usage_periods"), value("SELECT actor FROM jobs"))
      << "the job acted as whoever enqueued it";
  // Run again (a rescue would): nothing more is closed.
  exec("UPDATE jobs SET status = 'available', finished_at = NULL");
  ASSERT_EQ(run({"worker", "--drain"}).exit_code, 0);
  EXPECT_EQ(value("SELECT result->>'workspaces_closed' FROM jobs WHERE id = " + id), "0");
  EXPECT_EQ(value("SELECT count(*) FROM usage_periods"), "1");
}

TEST_F(JobCommand, BadInputIsOneLineAndItsExitCode) {
  add_user("ana@acme.example");
  auto batch_file = payloads(2);
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string says;
  };
  const Case cases[] = {
      {{"job", "show", "abc"}, 6, "is not a job id"},
      {{"job", "show", "999999"}, 3, "no job 999999"},
      {{"job", "cancel", "999999"}, 3, "no job 999999"},
      {{"job", "enqueue", "nope"}, 2, "is not a job kind"},
      {{"job", "enqueue", "noop", "--payload", "[1]"}, 6, "not a JSON object"},
      {{"job", "enqueue", "noop", "--payload", "{"}, 6, "payload"},
      {{"job", "enqueue", "usage.reset", "--payload", R"({"period": "2026-13"})"}, 6, "is not a month"},
      {{"job", "enqueue", "usage.reset", "--payload", R"({"perod": "2026-11"})"}, 6, "not one this kind takes"},
      {{"job", "enqueue", "noop", "--queue", "Bad Queue"}, 6, "is not a queue name"},
      {{"job", "enqueue", "noop", "--delay", "5x"}, 6, "is not a duration"},
      {{"job", "enqueue", "noop", "--run-after", "2026-02-30T00:00:00Z"}, 6, "is not a date and time"},
      {{"job", "enqueue", "noop", "--payload", "{}", "--payloads", batch_file}, 2, "not both"},
      {{"job", "enqueue", "noop", "--payloads", batch_file, "--unique-key", "k"}, 2, "for one job"},
      {{"job", "enqueue", "noop", "--max-attempts", "0"}, 6, "out of range"},
      {{"job", "enqueue", "noop", "--priority", "101"}, 6, "out of range"},
      {{"job", "list", "--status", "nope"}, 2, "status"},
      {{"job", "list", "--batch", "nope"}, 6, "is not a batch id"},
      {{"job", "status", "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"}, 3, "no batch"},
      {{"job", "purge", "--older-than", "3x"}, 6, "is not a duration"},
      {{"worker", "--concurrency", "0"}, 2, "out of range"},
      {{"worker", "--once", "--drain"}, 2, "not both"},
      {{"worker", "--queues", "a,B C"}, 6, "is not a queue name"},
      {{"job", "list", "--as", "ana@acme.example"}, 5, "super admin"},
      {{"job", "enqueue", "noop", "--as", "ana@acme.example"}, 5, "super admin"},
      {{"worker", "--drain", "--as", "ana@acme.example"}, 5, "--as"},
  };
  for (const auto& c : cases) {
    auto r = run(c.args);
    std::string shown;
    for (const auto& a : c.args) shown += a + " ";
    EXPECT_EQ(r.exit_code, c.code) << shown << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << shown << r.err;
    EXPECT_EQ(test::lines(r.err), 1u) << shown << r.err;
  }
  EXPECT_EQ(count("jobs"), 0) << "nothing was enqueued";
}

}  // namespace
}  // namespace wfa
