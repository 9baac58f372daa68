// Flags of `wfa worker`: the job queue's front end (worker/) started from the command line.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "worker/worker.hpp"

namespace wfa {

void register_worker(CLI::App& root, Dispatch& dispatch) {
  auto options = std::make_shared<WorkerOptions>();
  auto* worker = root.add_subcommand("worker", "Run jobs from the queue until stopped (SIGTERM), or until drained");
  worker->add_option("--queues", options->queues, "Queues to take jobs from, in this order (default: default)")
      ->delimiter(',');
  worker->add_option("--concurrency", options->concurrency, "Jobs run at once, each on its own connection (default 4)");
  worker->add_option("--batch", options->batch, "Most jobs claimed in one statement (default 500)");
  worker->add_flag("--once", options->once, "Claim one batch, run it, and stop");
  worker->add_flag("--drain", options->drain, "Stop once no job of the queues is due (exit 0)");
  worker->add_option("--rescue-after", options->rescue_after,
                     "Seconds without a heartbeat before another worker takes a running job back (default 60)");
  worker->add_option("--poll", options->poll, "Seconds between looks at the queue when no NOTIFY comes (default 5)");
  on_run(worker, dispatch, [options](Session& session) { return run_worker(*options, session); });
}

}  // namespace wfa
