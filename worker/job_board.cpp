// The worker's shared state, under one mutex.
#include "worker/job_board.hpp"

#include <utility>

#include "core/cancellation.hpp"

namespace wfa {

void JobBoard::hold(const ClaimedJob& job) {
  std::lock_guard lock(mutex_);
  held_[job.id].job = job;
}

void JobBoard::submit(const ClaimedJob& job) {
  {
    std::lock_guard lock(mutex_);
    auto& h = held_[job.id];
    h.job = job;
    h.queued = true;
    queue_.push_back(job.id);
    ++busy_;
  }
  handlers_.notify_one();
}

std::optional<ClaimedJob> JobBoard::next() {
  std::unique_lock lock(mutex_);
  handlers_.wait(lock, [&] { return !queue_.empty() || closed_; });
  if (queue_.empty()) return std::nullopt;
  auto& h = held_.at(queue_.front());
  queue_.pop_front();
  h.queued = false;
  return h.job;
}

void JobBoard::attach(std::int64_t id, CancelToken& token) {
  std::lock_guard lock(mutex_);
  auto& h = held_.at(id);
  h.token = &token;
  if (h.cancel) token.cancel();
}

void JobBoard::finished(std::int64_t id, JobOutcome outcome) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = held_.find(id); it != held_.end()) it->second.token = nullptr;
    outcomes_.push_back(std::move(outcome));
    --busy_;
  }
  claimer_.notify_one();
}

std::vector<ClaimedJob> JobBoard::take_unstarted() {
  std::lock_guard lock(mutex_);
  std::vector<ClaimedJob> jobs;
  for (auto id : queue_) {
    auto& h = held_.at(id);
    h.queued = false;
    jobs.push_back(h.job);
    --busy_;
  }
  queue_.clear();
  return jobs;
}

void JobBoard::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  handlers_.notify_all();
}

void JobBoard::take_outcomes(std::vector<JobOutcome>& out) {
  std::lock_guard lock(mutex_);
  out.insert(out.end(), std::make_move_iterator(outcomes_.begin()), std::make_move_iterator(outcomes_.end()));
  outcomes_.clear();
}

void JobBoard::recorded(const std::vector<JobOutcome>& outcomes) {
  std::lock_guard lock(mutex_);
  for (const auto& o : outcomes) held_.erase(o.id);
}

std::vector<std::int64_t> JobBoard::held_ids() const {
  std::lock_guard lock(mutex_);
  std::vector<std::int64_t> ids;
  ids.reserve(held_.size());
  for (const auto& [id, h] : held_) ids.push_back(id);
  return ids;
}

int JobBoard::busy() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

void JobBoard::cancel(const std::vector<std::int64_t>& ids) {
  std::lock_guard lock(mutex_);
  for (auto id : ids) {
    auto it = held_.find(id);
    if (it == held_.end()) continue;
    it->second.cancel = true;
    if (it->second.token) it->second.token->cancel();
  }
}

void JobBoard::wake() {
  {
    std::lock_guard lock(mutex_);
    wake_ = true;
  }
  claimer_.notify_one();
}

bool JobBoard::take_wake() {
  std::lock_guard lock(mutex_);
  return std::exchange(wake_, false);
}

void JobBoard::wait(std::chrono::milliseconds for_) {
  std::unique_lock lock(mutex_);
  claimer_.wait_for(lock, for_, [&] { return wake_ || !outcomes_.empty(); });
}

}  // namespace wfa
