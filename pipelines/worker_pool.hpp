#pragma once
/// The bounded worker pool every batch job runs on: a lazy producer, N worker threads, serialised results.
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/cancellation.hpp"

namespace wfa {

/// BatchProgress is a snapshot taken after an item's result was delivered; done counts failures too.
struct BatchProgress {
  std::size_t done = 0;
  std::size_t failed = 0;
  std::size_t submitted = 0;
};

/// PoolOptions bounds a batch: workers caps the items running at once, queue_capacity the items pulled
/// from the producer but not yet started, so memory stays flat however large the batch is.
struct PoolOptions {
  unsigned workers = 2;                                   ///< 0 is treated as 1
  std::size_t queue_capacity = 0;                         ///< 0 means 2 * workers
  const CancelToken* cancel = nullptr;                    ///< polled; may be linked to a SignalCancellation
  std::function<void(const BatchProgress&)> on_progress;  ///< optional; called like on_result, after it
};

/// ItemOutcome is one item's result: value on success, or a category and one-line message on failure.
template <class R>
struct ItemOutcome {
  std::size_t index = 0;  ///< position in the producer's order, from 0
  std::optional<R> value;
  ErrorCategory error_category = ErrorCategory::ok;
  std::string error;
  std::string hint;  ///< what to do about the error, when the failure said

  bool ok() const { return value.has_value(); }
};

/// BatchSummary counts a finished batch; submitted - succeeded - failed items were dropped by cancellation.
struct BatchSummary {
  std::size_t submitted = 0;
  std::size_t succeeded = 0;
  std::size_t failed = 0;
  bool cancelled = false;

  /// interrupted if cancelled, else batch_partial if any item failed, else ok.
  ErrorCategory exit_category() const;
};

namespace detail {

/// BatchTask is one item behind type erasure: run() on a worker thread, then deliver() on the calling thread.
class BatchTask {
 public:
  virtual ~BatchTask() = default;
  /// Does the item's work and reports whether it succeeded; failures are kept for deliver(), never thrown.
  virtual bool run() noexcept = 0;
  /// Hands the outcome to the caller; an exception stops the batch and leaves run_batch.
  virtual void deliver() = 0;
};

/// run_tasks is the untyped core of run_batch; next_task returns nullptr at the end of the batch.
BatchSummary run_tasks(const std::function<std::unique_ptr<BatchTask>()>& next_task, const PoolOptions& options);

/// TypedTask runs work on one item and turns an exception into a failed outcome via wfa::classify.
template <class Item, class R>
class TypedTask final : public BatchTask {
 public:
  TypedTask(Item item, std::size_t index, const std::function<R(Item&, std::size_t)>& work,
            const std::function<void(ItemOutcome<R>&&)>& on_result)
      : item_(std::move(item)), work_(work), on_result_(on_result) {
    outcome_.index = index;
  }

  bool run() noexcept override {
    try {
      outcome_.value.emplace(work_(item_, outcome_.index));
      return true;
    } catch (...) {
      Classified failure = classify(std::current_exception());
      outcome_.error_category = failure.category;
      outcome_.error = std::move(failure.message);
      outcome_.hint = std::move(failure.hint);
      return false;
    }
  }

  void deliver() override {
    if (on_result_) on_result_(std::move(outcome_));
  }

 private:
  Item item_;
  const std::function<R(Item&, std::size_t)>& work_;
  const std::function<void(ItemOutcome<R>&&)>& on_result_;
  ItemOutcome<R> outcome_;
};

}  // namespace detail

/// run_batch pulls items lazily from next_item (nullopt ends the batch) on the calling thread, only when
/// there is room, and runs work on at most options.workers threads. A throwing work item becomes a failed
/// outcome and the batch goes on. on_result (may be empty) and on_progress run on the calling thread, one
/// at a time, in completion order. On cancellation no item is pulled or started any more, queued items are
/// dropped and running ones finish and are delivered. An exception from next_item, on_result or on_progress
/// stops the batch and is rethrown; workers are always joined before run_batch returns or throws.
template <class Item, class R>
BatchSummary run_batch(std::function<std::optional<Item>()> next_item, std::function<R(Item&, std::size_t index)> work,
                       std::function<void(ItemOutcome<R>&&)> on_result, const PoolOptions& options) {
  std::size_t index = 0;
  auto next_task = [&]() -> std::unique_ptr<detail::BatchTask> {
    std::optional<Item> item = next_item();
    if (!item) return nullptr;
    return std::make_unique<detail::TypedTask<Item, R>>(std::move(*item), index++, work, on_result);
  };
  return detail::run_tasks(next_task, options);
}

}  // namespace wfa
