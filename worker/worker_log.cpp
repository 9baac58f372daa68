// The worker's lines, serialised.
#include "worker/worker_log.hpp"

#include "core/session.hpp"

namespace wfa {

void WorkerLog::say(const std::string& line) {
  std::lock_guard lock(mutex_);
  session_.info(line);
}

void WorkerLog::say_once(const std::string& line) {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  auto [it, fresh] = said_.try_emplace(line, now);
  if (!fresh && now - it->second < std::chrono::minutes(1)) return;
  it->second = now;
  if (said_.size() > 100) said_.clear();
  session_.info(line);
}

}  // namespace wfa
