// Flags of `wfa job`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/job/job.hpp"
#include "commands/job/job_rules.hpp"

namespace wfa {

void register_job(CLI::App& root, Dispatch& dispatch) {
  auto* noun = root.add_subcommand("job", "The job queue `wfa worker` drains: enqueue, inspect, cancel, retry, purge");
  noun->require_subcommand(1);

  auto enqueue_o = std::make_shared<JobEnqueueOptions>();
  auto* enqueue = noun->add_subcommand("enqueue", "Add a job, or one job per line of a payloads file as a batch");
  enqueue->add_option("KIND", enqueue_o->kind, "The job kind, e.g. noop or usage.reset")->required();
  enqueue->add_option("--payload", enqueue_o->payload, "The job's payload, a JSON object (default {})");
  enqueue->add_option("--payloads", enqueue_o->payloads,
                      "File of JSON objects, one a line: one job each, all one batch; - reads standard input");
  enqueue->add_option("--queue", enqueue_o->queue, "Queue name (default: default)");
  enqueue->add_option("--priority", enqueue_o->priority, "-100 to 100, higher runs first (default 0)");
  enqueue->add_option("--max-attempts", enqueue_o->max_attempts, "Attempts before it is discarded (default 20)");
  enqueue->add_option("--run-after", enqueue_o->run_after, "Not before this instant, e.g. 2026-12-01T06:00:00Z");
  enqueue->add_option("--delay", enqueue_o->delay, "Not before this long from now: 90s, 10m, 2h, 1d");
  enqueue->add_option("--unique-key", enqueue_o->unique_key,
                      "At most one unfinished job of the kind holds KEY; a second enqueue adds nothing");
  enqueue->add_flag("--dry-run", enqueue_o->dry_run, "Check the jobs; enqueue nothing");
  on_run(enqueue, dispatch, [enqueue_o](Session& session) { return run_job_enqueue(*enqueue_o, session); });

  auto list_o = std::make_shared<JobListOptions>();
  auto* list = noun->add_subcommand("list", "Jobs newest first, with their status, attempts and last error");
  list->add_option("--status", list_o->status, "Only jobs in this status")->check(CLI::IsMember(job_statuses));
  list->add_option("--kind", list_o->kind, "Only jobs of this kind");
  list->add_option("--queue", list_o->queue, "Only jobs of this queue");
  list->add_option("--batch", list_o->batch, "Only jobs of this batch (the id an enqueue printed)");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_job_list(*list_o, session); });

  auto show_o = std::make_shared<JobShowOptions>();
  auto* show = noun->add_subcommand("show", "One job whole: payload, attempts, worker, result or last error");
  show->add_option("ID", show_o->id, "The job's id")->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_job_show(*show_o, session); });

  auto cancel_o = std::make_shared<JobCancelOptions>();
  auto* cancel = noun->add_subcommand("cancel", "Cancel waiting jobs; ask running ones to stop");
  cancel->add_option("ID", cancel_o->ids, "The jobs' ids")->required();
  cancel->add_flag("--dry-run", cancel_o->dry_run, "Check; cancel nothing");
  on_run(cancel, dispatch, [cancel_o](Session& session) { return run_job_cancel(*cancel_o, session); });

  auto retry_o = std::make_shared<JobRetryOptions>();
  auto* retry = noun->add_subcommand("retry", "Queue failed, discarded or cancelled jobs again, attempts reset");
  retry->add_option("ID", retry_o->ids, "The jobs' ids")->required();
  retry->add_flag("--dry-run", retry_o->dry_run, "Check; queue nothing");
  on_run(retry, dispatch, [retry_o](Session& session) { return run_job_retry(*retry_o, session); });

  auto purge_o = std::make_shared<JobPurgeOptions>();
  auto* purge = noun->add_subcommand("purge", "Remove finished jobs older than the retention");
  purge->add_option("--older-than", purge_o->older_than, "Finished longer ago than this: 12h, 7d, 2w (default 7d)");
  purge
      ->add_option("--status", purge_o->statuses,
                   "Remove jobs in this finished status (repeatable; default completed and cancelled)")
      ->check(CLI::IsMember(job_finished_statuses))
      ->allow_extra_args(false);
  purge->add_flag("--dry-run", purge_o->dry_run, "Count what would go; remove nothing");
  on_run(purge, dispatch, [purge_o](Session& session) { return run_job_purge(*purge_o, session); });

  auto stats_o = std::make_shared<JobStatsOptions>();
  auto* stats = noun->add_subcommand("stats", "Queue depth per queue and kind, and the last hour's outcomes and times");
  on_run(stats, dispatch, [stats_o](Session& session) { return run_job_stats(*stats_o, session); });

  auto status_o = std::make_shared<JobStatusOptions>();
  auto* status = noun->add_subcommand("status", "A batch's progress by status, its output directory and its failures");
  status->add_option("BATCH", status_o->batch, "The batch id an enqueue printed")->required();
  status->add_flag("--wait", status_o->wait, "Wait until no job of the batch is left to run, then answer");
  on_run(status, dispatch, [status_o](Session& session) { return run_job_status(*status_o, session); });

  auto schedules_o = std::make_shared<JobSchedulesOptions>();
  auto* schedules = noun->add_subcommand(
      "schedules", "The periodic jobs workers enqueue (schedule settings): cron, next tick, last tick and its job");
  on_run(schedules, dispatch, [schedules_o](Session& session) { return run_job_schedules(*schedules_o, session); });
}

}  // namespace wfa
