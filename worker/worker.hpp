#pragma once
/// `wfa worker`: the job queue's front end. run_worker claims jobs of its queues in batches (FOR UPDATE SKIP LOCKED),
/// runs each in a Session acting for whoever enqueued it, and records the outcomes in batches, until SIGTERM or
/// SIGINT (jobs in flight finish, claimed ones not started are released), or with drain until its queues are empty.
/// It outlives PostgreSQL restarts: every connection is opened again until it works. Unless once or drain, it also
/// enqueues the periodic jobs of the schedule.* settings, each tick once across workers (commands/job/job_schedule).
#include <string>
#include <vector>

#include "core/result.hpp"

namespace wfa {

class Session;

struct WorkerOptions {
  std::vector<std::string> queues{"default"};  ///< taken in this order
  unsigned concurrency = 4;                    ///< jobs run at once (handler threads, each with its connection)
  unsigned batch = 500;                        ///< most jobs claimed in one statement
  bool once = false;                           ///< claim one batch, run it, and stop
  bool drain = false;                          ///< stop once no job of the queues is due or running here
  unsigned rescue_after = 60;                  ///< seconds without a heartbeat before a running job is taken back
  unsigned poll = 5;                           ///< seconds between looks when no NOTIFY came
};

Result run_worker(const WorkerOptions& options, Session& session);

}  // namespace wfa
