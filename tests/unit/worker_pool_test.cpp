#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/cancellation.hpp"
#include "pipelines/worker_pool.hpp"

namespace wfa {
namespace {

using namespace std::chrono_literals;

/// wait_until polls pred so a broken pool fails the test instead of hanging it.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 2s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

/// counting_producer yields 0..count-1 and counts the items it handed out in pulled.
std::function<std::optional<int>()> counting_producer(int count, std::atomic<int>& pulled) {
  return [count, &pulled]() -> std::optional<int> {
    if (pulled.load() >= count) return std::nullopt;
    return pulled.fetch_add(1);
  };
}

/// HighWater tracks how many things are active at once and the most ever seen.
struct HighWater {
  std::atomic<int> active{0};
  std::atomic<int> peak{0};

  void enter() {
    int now = ++active;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
  }
  void leave() { --active; }
};

class WorkerCountTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(WorkerCountTest, ProcessesEveryItemWithBoundedConcurrency) {
  const unsigned workers = GetParam();
  const int count = 200;
  std::atomic<int> pulled{0};
  HighWater running;
  std::atomic<int> met{0};
  std::vector<std::optional<long>> results(count);
  std::vector<std::size_t> delivered;
  PoolOptions options;
  options.workers = workers;

  BatchSummary summary = run_batch<int, long>(
      counting_producer(count, pulled),
      [&](int& item, std::size_t) -> long {
        running.enter();
        // The first `workers` items meet, which proves that many really run at once.
        if (item < static_cast<int>(workers)) {
          ++met;
          EXPECT_TRUE(wait_until([&] { return met.load() == static_cast<int>(workers); }));
        }
        if (item % 7 == 0) std::this_thread::sleep_for(100us);
        running.leave();
        return static_cast<long>(item) * item;
      },
      [&](ItemOutcome<long>&& outcome) {
        ASSERT_TRUE(outcome.ok());
        results[outcome.index] = outcome.value;
        delivered.push_back(outcome.index);
      },
      options);

  EXPECT_EQ(summary.submitted, static_cast<std::size_t>(count));
  EXPECT_EQ(summary.succeeded, static_cast<std::size_t>(count));
  EXPECT_EQ(summary.failed, 0u);
  EXPECT_FALSE(summary.cancelled);
  EXPECT_EQ(summary.exit_category(), ErrorCategory::ok);
  for (int i = 0; i < count; ++i) EXPECT_EQ(results[i], static_cast<long>(i) * i) << "index " << i;
  std::sort(delivered.begin(), delivered.end());
  EXPECT_EQ(std::unique(delivered.begin(), delivered.end()), delivered.end()) << "an item was delivered twice";
  EXPECT_EQ(running.peak.load(), static_cast<int>(workers));
}

INSTANTIATE_TEST_SUITE_P(Workers, WorkerCountTest, ::testing::Values(1u, 2u, 4u, 8u));

TEST(WorkerPoolTest, ZeroWorkersMeansOne) {
  std::atomic<int> pulled{0};
  HighWater running;
  PoolOptions options;
  options.workers = 0;
  BatchSummary summary = run_batch<int, int>(
      counting_producer(20, pulled),
      [&](int& item, std::size_t) {
        running.enter();
        running.leave();
        return item;
      },
      {}, options);
  EXPECT_EQ(summary.succeeded, 20u);
  EXPECT_EQ(running.peak.load(), 1);
}

TEST(WorkerPoolTest, FailedItemsAreReportedAndTheOthersSucceed) {
  std::atomic<int> pulled{0};
  std::vector<ItemOutcome<std::string>> failures;
  std::size_t successes = 0;
  PoolOptions options;
  options.workers = 3;

  BatchSummary summary = run_batch<int, std::string>(
      counting_producer(10, pulled),
      [](int& item, std::size_t index) -> std::string {
        if (item == 3) throw NotFoundError("item 3 missing");
        if (item == 7) throw std::runtime_error("boom\nsecond line");
        return std::to_string(index);
      },
      [&](ItemOutcome<std::string>&& outcome) {
        if (outcome.ok()) {
          EXPECT_EQ(*outcome.value, std::to_string(outcome.index));
          ++successes;
        } else {
          failures.push_back(std::move(outcome));
        }
      },
      options);

  EXPECT_EQ(summary.submitted, 10u);
  EXPECT_EQ(summary.succeeded, 8u);
  EXPECT_EQ(summary.failed, 2u);
  EXPECT_EQ(successes, 8u);
  EXPECT_EQ(summary.exit_category(), ErrorCategory::batch_partial);
  ASSERT_EQ(failures.size(), 2u);
  std::sort(failures.begin(), failures.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  EXPECT_EQ(failures[0].index, 3u);
  EXPECT_EQ(failures[0].error_category, ErrorCategory::not_found);
  EXPECT_EQ(failures[0].error, "item 3 missing");
  EXPECT_FALSE(failures[0].value.has_value());
  EXPECT_EQ(failures[1].index, 7u);
  EXPECT_EQ(failures[1].error_category, ErrorCategory::unexpected);
  EXPECT_EQ(failures[1].error, "unexpected internal failure") << "a library's words stay out of messages";
}

TEST(WorkerPoolTest, PulledButUndeliveredNeverExceedsWorkersPlusCapacity) {
  const unsigned workers = 3;
  const std::size_t capacity = 4;
  std::atomic<int> outstanding{0};
  std::atomic<int> peak{0};
  int next = 0;
  PoolOptions options;
  options.workers = workers;
  options.queue_capacity = capacity;

  BatchSummary summary = run_batch<int, int>(
      [&]() -> std::optional<int> {
        if (next == 300) return std::nullopt;
        peak = std::max(peak.load(), ++outstanding);
        return next++;
      },
      [](int& item, std::size_t) {
        if (item % 5 == 0) std::this_thread::sleep_for(200us);
        return item;
      },
      [&](ItemOutcome<int>&&) {
        if (next % 3 == 0) std::this_thread::sleep_for(50us);
        --outstanding;
      },
      options);

  EXPECT_EQ(summary.succeeded, 300u);
  EXPECT_LE(peak.load(), static_cast<int>(workers + capacity));
  EXPECT_GE(peak.load(), static_cast<int>(workers));
}

TEST(WorkerPoolTest, ProducerIsNotAskedWhileWorkersAndQueueAreFull) {
  std::atomic<int> pulled{0};
  std::atomic<int> pulled_while_blocked{-1};
  std::atomic<bool> released{false};
  PoolOptions options;
  options.workers = 2;
  options.queue_capacity = 3;

  BatchSummary summary = run_batch<int, int>(
      counting_producer(100, pulled),
      [&](int& item, std::size_t) {
        if (item == 0) {
          // Both workers are busy and the queue is full: nothing may be pulled until an item ends.
          EXPECT_TRUE(wait_until([&] { return pulled.load() >= 5; }));
          std::this_thread::sleep_for(50ms);
          pulled_while_blocked = pulled.load();
          released = true;
        } else if (item == 1) {
          EXPECT_TRUE(wait_until([&] { return released.load(); }));
        }
        return item;
      },
      {}, options);

  EXPECT_EQ(pulled_while_blocked.load(), 5);
  EXPECT_EQ(summary.succeeded, 100u);
}

TEST(WorkerPoolTest, EmptyBatch) {
  int calls = 0;
  bool delivered = false;
  BatchSummary summary = run_batch<int, int>(
      [&]() -> std::optional<int> {
        ++calls;
        return std::nullopt;
      },
      [](int& item, std::size_t) { return item; }, [&](ItemOutcome<int>&&) { delivered = true; }, PoolOptions{});
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(delivered);
  EXPECT_EQ(summary.submitted, 0u);
  EXPECT_EQ(summary.succeeded, 0u);
  EXPECT_EQ(summary.failed, 0u);
  EXPECT_FALSE(summary.cancelled);
  EXPECT_EQ(summary.exit_category(), ErrorCategory::ok);
}

TEST(WorkerPoolTest, ProgressIsSerialisedAndReachesTheTotal) {
  std::atomic<int> pulled{0};
  std::atomic<int> inside{0};
  std::vector<BatchProgress> seen;
  PoolOptions options;
  options.workers = 4;
  options.on_progress = [&](const BatchProgress& progress) {
    EXPECT_EQ(++inside, 1) << "on_progress ran concurrently";
    seen.push_back(progress);
    --inside;
  };

  run_batch<int, int>(
      counting_producer(50, pulled),
      [](int& item, std::size_t) {
        if (item % 10 == 9) throw InvalidInputError("bad item");
        return item;
      },
      [&](ItemOutcome<int>&&) {
        EXPECT_EQ(++inside, 1) << "on_result ran concurrently";
        --inside;
      },
      options);

  ASSERT_EQ(seen.size(), 50u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i].done, i + 1);
  EXPECT_EQ(seen.back().failed, 5u);
  EXPECT_EQ(seen.back().submitted, 50u);
}

/// CancelRun drives the mid-batch cancellation scenario: items 0 and 1 run on the two workers while two
/// more wait in the full queue; item 0 triggers cancellation through `trigger`, item 1 waits to see it.
struct CancelRun {
  std::atomic<int> pulled{0};
  std::mutex mutex;
  std::set<std::size_t> started;
  std::set<std::size_t> delivered;

  BatchSummary run(const CancelToken& token, const std::function<void()>& trigger) {
    PoolOptions options;
    options.workers = 2;
    options.queue_capacity = 2;
    options.cancel = &token;
    return run_batch<int, int>(
        counting_producer(100, pulled),
        [&](int& item, std::size_t index) {
          {
            std::lock_guard lock(mutex);
            started.insert(index);
          }
          if (item == 0) {
            EXPECT_TRUE(wait_until([&] { return pulled.load() == 4; }));
            trigger();
          } else if (item == 1) {
            EXPECT_TRUE(wait_until([&] { return token.cancelled(); }));
          }
          std::this_thread::sleep_for(10ms);
          return item;
        },
        [&](ItemOutcome<int>&& outcome) {
          EXPECT_TRUE(outcome.ok());
          delivered.insert(outcome.index);
        },
        options);
  }

  void expect_interrupted(const BatchSummary& summary) {
    EXPECT_TRUE(summary.cancelled);
    EXPECT_EQ(summary.exit_category(), ErrorCategory::interrupted);
    EXPECT_EQ(pulled.load(), 4) << "the producer was asked after cancellation";
    EXPECT_EQ(summary.submitted, 4u);
    EXPECT_EQ(summary.succeeded, 2u);
    EXPECT_EQ(summary.failed, 0u);
    EXPECT_EQ(started, (std::set<std::size_t>{0, 1})) << "a queued item started after cancellation";
    EXPECT_EQ(delivered, (std::set<std::size_t>{0, 1})) << "in-flight items must be delivered";
  }
};

TEST(WorkerPoolTest, CancelTokenStopsTheBatchAndDeliversInFlightItems) {
  CancelToken token;
  CancelRun run;
  BatchSummary summary = run.run(token, [&] { token.cancel(); });
  run.expect_interrupted(summary);
}

TEST(WorkerPoolTest, SignalStopsTheBatchAndHandlersAreRestored) {
  struct sigaction before {};
  ASSERT_EQ(sigaction(SIGINT, nullptr, &before), 0);
  CancelRun run;
  BatchSummary summary;
  {
    SignalCancellation signals;
    CancelToken token(signals);
    summary = run.run(token, [] { std::raise(SIGINT); });
    EXPECT_EQ(signals.signal_number(), SIGINT);
  }
  run.expect_interrupted(summary);
  struct sigaction after {};
  ASSERT_EQ(sigaction(SIGINT, nullptr, &after), 0);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
}

TEST(WorkerPoolTest, AlreadyCancelledTokenPullsNothing) {
  CancelToken token;
  token.cancel();
  std::atomic<int> pulled{0};
  PoolOptions options;
  options.cancel = &token;
  BatchSummary summary = run_batch<int, int>(
      counting_producer(10, pulled), [](int& item, std::size_t) { return item; }, {}, options);
  EXPECT_EQ(pulled.load(), 0);
  EXPECT_EQ(summary.submitted, 0u);
  EXPECT_TRUE(summary.cancelled);
  EXPECT_EQ(summary.exit_category(), ErrorCategory::interrupted);
}

struct CallbackFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

TEST(WorkerPoolTest, OnResultExceptionStopsTheBatchAndPropagatesAfterJoin) {
  std::atomic<int> pulled{0};
  std::atomic<int> running{0};
  PoolOptions options;
  options.workers = 3;
  options.queue_capacity = 2;

  auto batch = [&] {
    run_batch<int, int>(
        counting_producer(1000, pulled),
        [&](int& item, std::size_t) {
          ++running;
          std::this_thread::sleep_for(2ms);
          --running;
          return item;
        },
        [](ItemOutcome<int>&&) { throw CallbackFailure("on_result failed"); }, options);
  };
  EXPECT_THROW(batch(), CallbackFailure);
  EXPECT_EQ(running.load(), 0) << "run_batch returned before joining its workers";
  EXPECT_LE(pulled.load(), 5) << "the batch went on after on_result threw";
}

TEST(WorkerPoolTest, ProducerExceptionStopsTheBatchAndPropagatesAfterJoin) {
  std::atomic<int> pulled{0};
  std::atomic<int> running{0};
  std::atomic<int> delivered{0};
  PoolOptions options;
  options.workers = 2;

  auto batch = [&] {
    run_batch<int, int>(
        [&]() -> std::optional<int> {
          if (pulled.load() == 6) throw CallbackFailure("producer failed");
          return pulled++;
        },
        [&](int& item, std::size_t) {
          ++running;
          std::this_thread::sleep_for(5ms);
          --running;
          return item;
        },
        [&](ItemOutcome<int>&&) { ++delivered; }, options);
  };
  EXPECT_THROW(batch(), CallbackFailure);
  EXPECT_EQ(running.load(), 0) << "run_batch returned before joining its workers";
  EXPECT_EQ(pulled.load(), 6);
}

TEST(WorkerPoolTest, ProgressExceptionPropagates) {
  std::atomic<int> pulled{0};
  PoolOptions options;
  options.on_progress = [](const BatchProgress&) { throw CallbackFailure("progress failed"); };
  auto batch = [&] {
    run_batch<int, int>(
        counting_producer(100, pulled), [](int& item, std::size_t) { return item; }, {}, options);
  };
  EXPECT_THROW(batch(), CallbackFailure);
}

TEST(WorkerPoolTest, MoveOnlyItems) {
  int next = 0;
  int sum = 0;
  BatchSummary summary = run_batch<std::unique_ptr<int>, int>(
      [&]() -> std::optional<std::unique_ptr<int>> {
        if (next == 10) return std::nullopt;
        return std::make_unique<int>(next++);
      },
      [](std::unique_ptr<int>& item, std::size_t) { return *item; },
      [&](ItemOutcome<int>&& outcome) { sum += *outcome.value; }, PoolOptions{});
  EXPECT_EQ(summary.succeeded, 10u);
  EXPECT_EQ(sum, 45);
}

}  // namespace
}  // namespace wfa
