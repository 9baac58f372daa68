#pragma once
/// JobWatch is a worker's second connection, on a thread of its own: it LISTENs for new jobs (waking the claiming
/// thread) and for cancellations, heartbeats the jobs the worker holds, and rescues the jobs of workers that stopped
/// heartbeating. When the connection is lost it reconnects, for as long as the worker runs.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace wfa {

class Config;
class JobBoard;
class WorkerLog;

class JobWatch {
 public:
  /// RESCUE_AFTER is the heartbeat age past which a running job is taken back; heartbeats go four times as often.
  JobWatch(const Config& settings, std::string worker, JobBoard& board, WorkerLog& log,
           std::chrono::milliseconds rescue_after);
  ~JobWatch();
  JobWatch(const JobWatch&) = delete;
  JobWatch& operator=(const JobWatch&) = delete;

 private:
  void run();

  const Config& settings_;
  std::string worker_;
  JobBoard& board_;
  WorkerLog& log_;
  std::chrono::milliseconds rescue_after_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace wfa
