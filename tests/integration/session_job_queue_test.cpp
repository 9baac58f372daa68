// The job queue's SQL in process: enqueue (keys held among unfinished jobs only), claims that never overlap, outcomes
// recorded only while the attempt is still the recorder's, rescue, release, retries and discards.
#include <pqxx/pqxx>

#include "commands/job/job_queue.hpp"
#include "core/database.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

class SessionJobQueue : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  std::unique_ptr<pqxx::connection> other = session().database().open_another();
  pqxx::connection_base& mine = session().database().ready();
  JobOrigin origin{"tester", "", ""};

  Enqueued add(std::vector<JobSpec> jobs) {
    pqxx::work tx(mine);
    auto done = enqueue_jobs(tx, jobs, origin);
    tx.commit();
    return done;
  }
  static JobSpec spec(std::optional<std::string> key = std::nullopt, int max_attempts = 20) {
    JobSpec s;
    s.kind = "noop";
    s.unique_key = std::move(key);
    s.max_attempts = max_attempts;
    return s;
  }
};

TEST_F(SessionJobQueue, AKeyIsHeldOnlyWhileItsJobIsUnfinished) {
  auto first = add({spec("k")});
  ASSERT_EQ(first.inserted, 1);
  auto again = add({spec("k")});
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.duplicates, 1);
  EXPECT_EQ(again.ids, first.ids) << "the holder";
  exec("UPDATE jobs SET status = 'completed', finished_at = now()");
  EXPECT_EQ(add({spec("k")}).inserted, 1) << "a finished job holds no key";
  std::vector<JobSpec> many(1500, spec());
  auto copied = add(many);
  EXPECT_EQ(copied.inserted, 1500) << "COPY";
  EXPECT_EQ(value("SELECT count(*) FROM jobs WHERE status = 'available'"), "1501");
}

TEST_F(SessionJobQueue, ClaimsNeverOverlapAndARescuedAttemptIsNoLongerItsWorkers) {
  add(std::vector<JobSpec>(10, spec()));
  JobQueue a(mine, "a"), b(*other, "b");
  auto by_a = a.record_and_claim({}, {"default"}, 6).jobs;
  auto by_b = b.record_and_claim({}, {"default"}, 6).jobs;
  ASSERT_EQ(by_a.size(), 6u);
  ASSERT_EQ(by_b.size(), 4u) << "the rest";
  for (const auto& job : by_a)
    for (const auto& other_job : by_b) EXPECT_NE(job.id, other_job.id);
  EXPECT_EQ(by_a[0].attempt, 1);

  // a stops heartbeating: b rescues its jobs and claims them again.
  exec("UPDATE jobs SET heartbeat_at = now() - interval '1 hour' WHERE claimed_by = 'a'");
  EXPECT_EQ(b.rescue(std::chrono::seconds(60)), 6);
  EXPECT_EQ(value("SELECT count(*) FROM jobs WHERE status = 'available' AND attempts = 1"), "6")
      << "the lost attempt counted";
  auto again = b.record_and_claim({}, {"default"}, 10).jobs;
  ASSERT_EQ(again.size(), 6u);
  EXPECT_EQ(again[0].attempt, 2);
  std::vector<JobOutcome> late;
  for (const auto& job : by_a) late.emplace_back(job.id, job.attempt, JobOutcome::End::completed);
  a.record_and_claim(late, {"default"}, 0);
  EXPECT_EQ(value("SELECT count(*) FROM jobs WHERE status = 'running' AND claimed_by = 'b'"), "10")
      << "a's late outcomes changed nothing";
  std::vector<std::int64_t> held;
  for (const auto& job : by_a) held.push_back(job.id);
  EXPECT_EQ(a.heartbeat(held).lost.size(), 6u);
  std::vector<JobOutcome> done;
  for (const auto& job : again) done.emplace_back(job.id, job.attempt, JobOutcome::End::completed);
  for (const auto& job : by_b) done.emplace_back(job.id, job.attempt, JobOutcome::End::completed);
  b.record_and_claim(done, {"default"}, 0);
  EXPECT_EQ(value("SELECT count(*) FROM jobs WHERE status = 'completed'"), "10");
}

TEST_F(SessionJobQueue, InlineKindsAreCompletedByTheClaimItself) {
  add(std::vector<JobSpec>(5, spec()));
  JobQueue a(mine, "a", {"noop"});
  auto claimed = a.record_and_claim({}, {"default"}, 3);
  EXPECT_EQ(claimed.taken, 3);
  EXPECT_EQ(claimed.completed, 3);
  EXPECT_TRUE(claimed.jobs.empty());
  EXPECT_EQ(value("SELECT count(*) FROM jobs WHERE status = 'completed' AND attempts = 1 AND heartbeat_at IS NULL AND"
                  " finished_at IS NOT NULL"),
            "3");
}

TEST_F(SessionJobQueue, FailuresRetryDiscardOrFailAndUnheldClaimsGoBack) {
  add({spec(std::nullopt, 1), spec(std::nullopt, 5), spec(std::nullopt, 5), spec()});
  JobQueue a(mine, "a");
  auto jobs = a.record_and_claim({}, {"default"}, 3).jobs;
  ASSERT_EQ(jobs.size(), 3u);
  JobOutcome last(jobs[0].id, 1, JobOutcome::End::failed), passing(jobs[1].id, 1, JobOutcome::End::failed),
      hopeless(jobs[2].id, 1, JobOutcome::End::failed);
  last.retryable = passing.retryable = true;
  last.error = passing.error = hopeless.error = "boom";
  last.category = passing.category = "temporary";
  hopeless.category = "invalid_input";
  a.record_and_claim({last, passing, hopeless}, {"default"}, 0);
  auto status = [&](std::int64_t id) { return value("SELECT status FROM jobs WHERE id = " + std::to_string(id)); };
  EXPECT_EQ(status(jobs[0].id), "discarded") << "its one attempt used up";
  EXPECT_EQ(status(jobs[1].id), "available");
  EXPECT_EQ(value("SELECT run_after > now() + interval '1 second' FROM jobs WHERE id = " + std::to_string(jobs[1].id)),
            "t")
      << "after its backoff";
  EXPECT_EQ(status(jobs[2].id), "failed") << "invalid input is not retried";
  EXPECT_EQ(a.due_in({"default"}).value_or(std::chrono::milliseconds(-1)).count() >= 0, true);

  auto fourth = a.record_and_claim({}, {"default"}, 5).jobs;
  ASSERT_EQ(fourth.size(), 1u) << "the one due now";
  EXPECT_EQ(a.release_unheld({}), 1) << "a claim the worker does not know it holds";
  EXPECT_EQ(value("SELECT status || ' ' || attempts FROM jobs WHERE id = " + std::to_string(fourth[0].id)),
            "available 0");
}

}  // namespace
}  // namespace wfa
