#pragma once
/// JobBoard is what a worker's threads share: the jobs it holds (claimed, not yet recorded), the ones waiting for a
/// handler thread, the outcomes waiting to be recorded, cancellation requests, and the wake-up of the claiming thread.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "commands/job/job_queue.hpp"

namespace wfa {

class CancelToken;

class JobBoard {
 public:
  /// hold records JOB as this worker's until its outcome is recorded (heartbeats name it).
  void hold(const ClaimedJob& job);
  /// submit queues held JOB for a handler thread.
  void submit(const ClaimedJob& job);
  /// next waits for a queued job and marks it started; nullopt once closed.
  std::optional<ClaimedJob> next();
  /// attach makes TOKEN the started job ID's cancellation (cancelled at once if that was asked for already).
  void attach(std::int64_t id, CancelToken& token);
  /// finished forgets the started job ID's token (its Session is about to go) and queues OUTCOME to be recorded.
  void finished(std::int64_t id, JobOutcome outcome);
  /// take_unstarted removes the queued jobs no handler has started (shutdown releases them).
  std::vector<ClaimedJob> take_unstarted();
  /// close makes next return nullopt once the queue is empty.
  void close();

  /// take_outcomes moves the outcomes waiting to be recorded into OUT.
  void take_outcomes(std::vector<JobOutcome>& out);
  /// recorded forgets the jobs of OUTCOMES, now recorded.
  void recorded(const std::vector<JobOutcome>& outcomes);
  /// held_ids are the jobs this worker holds.
  std::vector<std::int64_t> held_ids() const;
  /// busy counts the held jobs that a handler runs or will run.
  int busy() const;

  /// cancel asks the held jobs IDS to stop: a started one's token is cancelled, a queued one ends at its start.
  void cancel(const std::vector<std::int64_t>& ids);
  /// wake tells the claiming thread that jobs may be waiting (a NOTIFY, a reconnect).
  void wake();
  /// take_wake says whether wake was called since the last take_wake.
  bool take_wake();
  /// wait blocks the claiming thread until a wake, an outcome, or FOR has passed.
  void wait(std::chrono::milliseconds for_);

 private:
  struct Held {
    ClaimedJob job;
    bool queued = false;
    bool cancel = false;
    CancelToken* token = nullptr;
  };
  mutable std::mutex mutex_;
  std::condition_variable claimer_, handlers_;
  std::map<std::int64_t, Held> held_;
  std::deque<std::int64_t> queue_;
  std::vector<JobOutcome> outcomes_;
  int busy_ = 0;
  bool wake_ = false, closed_ = false;
};

}  // namespace wfa
