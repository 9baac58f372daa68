#include "pipelines/worker_pool.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace wfa {

ErrorCategory BatchSummary::exit_category() const {
  if (cancelled) return ErrorCategory::interrupted;
  return failed > 0 ? ErrorCategory::batch_partial : ErrorCategory::ok;
}

namespace detail {

namespace {

using NextTask = std::function<std::unique_ptr<BatchTask>()>;

/// How often the calling thread polls the cancel token: a signal handler cannot notify a condition variable.
constexpr std::chrono::milliseconds cancel_poll_interval{20};

/// Pool is one batch's queue and worker threads; the calling thread pulls, queues and delivers, so the
/// producer and the callbacks never run concurrently and their exceptions surface on the caller's stack.
class Pool {
 public:
  explicit Pool(const PoolOptions& options);
  /// Drops queued tasks and joins the workers; running tasks finish first.
  ~Pool() { shutdown(); }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Runs the batch until the producer is exhausted, or cancellation is seen, and all pulled tasks are settled.
  BatchSummary run(const NextTask& next_task);

 private:
  struct Finished {
    bool ok;
    std::unique_ptr<BatchTask> task;
  };

  bool cancel_requested() const { return cancel_ != nullptr && cancel_->cancelled(); }
  void work_loop();
  void shutdown() noexcept;

  const unsigned workers_;
  const std::size_t capacity_;
  const CancelToken* const cancel_;
  const std::function<void(const BatchProgress&)>& on_progress_;
  std::mutex mutex_;
  std::condition_variable task_queued_;           ///< workers wait here for a task or for closing_
  std::condition_variable state_changed_;         ///< the calling thread waits here for room or a finished task
  std::deque<std::unique_ptr<BatchTask>> queue_;  ///< pulled, not started; at most capacity_
  std::deque<Finished> finished_;                 ///< run, not yet delivered
  bool closing_ = false;
  std::vector<std::thread> threads_;
};

Pool::Pool(const PoolOptions& options)
    : workers_(std::max(1u, options.workers)),
      capacity_(options.queue_capacity > 0 ? options.queue_capacity : 2 * std::size_t{workers_}),
      cancel_(options.cancel),
      on_progress_(options.on_progress) {
  threads_.reserve(workers_);
  try {
    for (unsigned i = 0; i < workers_; ++i) threads_.emplace_back([this] { work_loop(); });
  } catch (...) {
    shutdown();
    throw;
  }
}

void Pool::shutdown() noexcept {
  {
    std::lock_guard lock(mutex_);
    queue_.clear();
    closing_ = true;
  }
  task_queued_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

void Pool::work_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // A cancelled pool starts nothing: queued tasks stay put until the calling thread drops them.
    task_queued_.wait(lock, [this] { return closing_ || (!queue_.empty() && !cancel_requested()); });
    if (closing_) return;
    std::unique_ptr<BatchTask> task = std::move(queue_.front());
    queue_.pop_front();
    state_changed_.notify_one();
    lock.unlock();
    bool ok = task->run();
    lock.lock();
    finished_.push_back({ok, std::move(task)});
    state_changed_.notify_one();
  }
}

BatchSummary Pool::run(const NextTask& next_task) {
  BatchSummary summary;
  std::size_t outstanding = 0;  // pulled and neither delivered nor dropped: bounds results held, too
  bool exhausted = false;       // the producer must not be asked again
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!summary.cancelled && cancel_requested()) {
      summary.cancelled = true;
      exhausted = true;
      outstanding -= queue_.size();
      queue_.clear();
    }
    if (!exhausted && queue_.size() < capacity_ && outstanding < capacity_ + workers_) {
      lock.unlock();
      std::unique_ptr<BatchTask> task = next_task();
      lock.lock();
      if (task) {
        queue_.push_back(std::move(task));
        ++outstanding;
        ++summary.submitted;
        task_queued_.notify_one();
      } else {
        exhausted = true;
      }
      continue;
    }
    if (!finished_.empty()) {
      std::deque<Finished> finished = std::exchange(finished_, {});
      lock.unlock();
      for (Finished& item : finished) {
        --outstanding;
        ++(item.ok ? summary.succeeded : summary.failed);
        item.task->deliver();
        if (on_progress_) on_progress_({summary.succeeded + summary.failed, summary.failed, summary.submitted});
      }
      lock.lock();
      continue;
    }
    if (exhausted && outstanding == 0) return summary;
    if (cancel_ != nullptr && !summary.cancelled) {
      state_changed_.wait_for(lock, cancel_poll_interval);
    } else {
      state_changed_.wait(lock);
    }
  }
}

}  // namespace

BatchSummary run_tasks(const NextTask& next_task, const PoolOptions& options) {
  Pool pool(options);
  return pool.run(next_task);
}

}  // namespace detail

}  // namespace wfa
