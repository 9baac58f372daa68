// `wfa worker`: claim, run, record; the claiming thread, the handler threads and the watch.
#include "worker/worker.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "commands/job/job_kinds.hpp"
#include "commands/job/job_queue.hpp"
#include "commands/job/job_rules.hpp"
#include "commands/job/job_run.hpp"
#include "commands/job/job_schedule.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/config.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "core/utc_time.hpp"
#include "worker/job_board.hpp"
#include "worker/job_watch.hpp"
#include "worker/worker_log.hpp"

namespace wfa {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

/// give_up_recording is how long a stopping worker tries to record its last outcomes while the database is away;
/// what it cannot record is rescued by the other workers.
constexpr std::chrono::seconds give_up_recording{30};

/// job_hooks are a job's Session hooks: options named as payload fields, lines dropped, no confirmation (a job's
/// payload says yes itself).
SessionHooks job_hooks() {
  SessionHooks hooks;
  hooks.option_name = [](std::string_view option) {
    std::string field(option);
    std::replace(field.begin(), field.end(), '-', '_');
    return field;
  };
  return hooks;
}

/// operator_settings is SETTINGS with the operator named ACTOR: a job an operator enqueued acts as that operator, by
/// name in the audit log.
Config operator_settings(const Config& settings, const std::string& actor) {
  std::map<std::string, std::string> flags;
  for (const auto& info : Config::settings()) {
    const auto& s = settings.get(info.key);
    if (s.is_set && info.key != "as") flags[info.key] = s.value;
  }
  flags["actor"] = actor;
  return Config::load(flags, [](const std::string&) { return std::optional<std::string>(); });
}

class Worker {
 public:
  Worker(const WorkerOptions& o, Session& session, std::vector<JobSchedule> schedules)
      : o_(o),
        session_(session),
        settings_(session.settings()),
        name_(job_worker_name()),
        log_(session),
        schedules_(std::move(schedules)) {
    for (const auto& kind : job_kinds(settings_))
      if (kind.runs_inline) inline_kinds_.push_back(kind.name);
  }

  Result run();

 private:
  void handle();
  bool exchange(std::vector<JobOutcome>& pending, int limit, Claimed& claimed);
  void tally(const std::vector<JobOutcome>& recorded);
  void pause();
  /// schedule enqueues the schedules' due ticks and sets when to look again: at the next tick, or the poll interval.
  void schedule();
  /// settings_for is the settings a job enqueued by ACTOR runs with (made once per actor).
  const Config& settings_for(const ClaimedJob& job);

  const WorkerOptions& o_;
  Session& session_;
  const Config& settings_;
  std::string name_;
  WorkerLog log_;
  JobBoard board_;
  std::mutex operators_mutex_;
  std::map<std::string, Config> operators_;
  std::vector<std::string> inline_kinds_;
  std::unique_ptr<JobQueue> queue_;
  std::vector<JobSchedule> schedules_;  ///< empty: this worker enqueues no periodic jobs
  Clock::time_point next_tick_ = Clock::time_point::max();
  bool lost_ = false;
  milliseconds backoff_{250};
  Clock::time_point next_poll_;
  long completed_ = 0, failed_ = 0, cancelled_ = 0, released_ = 0;
};

void Worker::handle() {
  Database database(DatabaseTarget::from_config(settings_));
  while (true) {
    auto job = board_.next();
    if (!job) return;
    auto session = std::make_unique<Session>(settings_for(*job), job_hooks());
    board_.attach(job->id, session->cancellation());
    session->borrow(database);
    if (!job->acting_user_id.empty()) session->act_as_user(job->acting_user_id, job->actor);
    const auto* kind = find_job_kind(job->kind, settings_);
    auto outcome = kind ? run_job(*kind, *job, *session) : unknown_kind_outcome(*job);
    // A failure that may come again may have left the connection broken: the next job opens a new one.
    if (outcome.end == JobOutcome::End::failed && outcome.retryable) database.reset_connection();
    board_.finished(job->id, std::move(outcome));  // first: the watch may cancel the job's token until then
    session.reset();
  }
}

const Config& Worker::settings_for(const ClaimedJob& job) {
  if (!job.acting_user_id.empty()) return settings_;
  std::lock_guard lock(operators_mutex_);
  auto it = operators_.find(job.actor);
  if (it == operators_.end()) {
    if (operators_.size() > 1000) operators_.clear();
    try {
      it = operators_.emplace(job.actor, operator_settings(settings_, job.actor)).first;
    } catch (const Error&) {
      return settings_;  // a name the settings refuse (none that enqueue wrote): the worker's own operator
    }
  }
  return it->second;
}

void Worker::pause() {
  for (auto until = Clock::now() + backoff_; Clock::now() < until;)
    std::this_thread::sleep_for(std::min<Clock::duration>(until - Clock::now(), milliseconds(100)));
  backoff_ = std::min(backoff_ * 2, milliseconds(5000));
}

bool Worker::exchange(std::vector<JobOutcome>& pending, int limit, Claimed& claimed) {
  try {
    if (!queue_) {
      queue_ = std::make_unique<JobQueue>(session_.database().connect(), name_, inline_kinds_);
      auto held = board_.held_ids();
      for (const auto& o : pending) held.push_back(o.id);
      if (auto n = queue_->release_unheld(held))
        log_.say("worker: released " + std::to_string(n) + " job(s) claimed while the database was failing");
      if (std::exchange(lost_, false)) log_.say("worker: the database is back");
    }
    claimed = queue_->record_and_claim(pending, o_.queues, limit);
    if (limit > 0 && claimed.taken < limit) {
      next_poll_ = Clock::now() + std::chrono::seconds(o_.poll);
      if (auto due = queue_->due_in(o_.queues)) next_poll_ = std::min(next_poll_, Clock::now() + *due);
    }
  } catch (const std::exception&) {
    auto c = classify(std::current_exception());
    log_.say_once("worker: cannot use the database (" + c.message + "); trying again");
    lost_ = true;
    queue_.reset();
    session_.database().reset_connection();
    pause();
    return false;
  }
  backoff_ = milliseconds(250);
  completed_ += claimed.completed;
  tally(pending);
  board_.recorded(pending);
  pending.clear();
  return true;
}

void Worker::schedule() {
  next_tick_ = Clock::now() + std::chrono::seconds(o_.poll);
  try {
    auto round = run_due_schedules(session_.database().connect(), schedules_, name_);
    for (const auto& job : round.enqueued)
      log_.say("worker: schedule " + job.name + " enqueued job " + std::to_string(job.job_id) + " for its tick at " +
               utc_text(job.tick.time_since_epoch().count() * 1000));
    // A few milliseconds past the tick, so that the database's clock has reached it too.
    if (round.next_in) next_tick_ = std::min(next_tick_, Clock::now() + *round.next_in + milliseconds(5));
  } catch (const std::exception&) {
    log_.say_once("worker: cannot enqueue the scheduled jobs (" + classify(std::current_exception()).message +
                  "); trying again");
  }
}

void Worker::tally(const std::vector<JobOutcome>& recorded) {
  for (const auto& o : recorded) {
    switch (o.end) {
      case JobOutcome::End::completed:
        ++completed_;
        break;
      case JobOutcome::End::failed:
        ++failed_;
        log_.say("worker: job " + std::to_string(o.id) + " failed (attempt " + std::to_string(o.attempt) +
                 (o.retryable ? ", tried again later" : ", not retried") + "): " + o.error);
        break;
      case JobOutcome::End::cancelled:
        ++cancelled_;
        break;
      case JobOutcome::End::released:
        ++released_;
        break;
    }
  }
}

Result Worker::run() {
  std::string queues;
  for (const auto& q : o_.queues) queues += (queues.empty() ? "" : ",") + q;
  log_.say("worker " + name_ + ": queues " + queues + ", concurrency " + std::to_string(o_.concurrency));
  std::vector<std::thread> handlers;
  for (unsigned i = 0; i < o_.concurrency; ++i) handlers.emplace_back([this] { handle(); });
  JobWatch watch(settings_, name_, board_, log_, std::chrono::seconds(o_.rescue_after));
  auto& stop = session_.cancellation();
  std::vector<JobOutcome> pending;
  Claimed claimed;
  // Jobs claimed beyond the free handlers, for kinds the claim completes: doubled while batches come back full of them.
  int extra = 0;
  bool look = true, dry = false, claimed_once = false;
  next_poll_ = Clock::now();
  if (!schedules_.empty()) next_tick_ = Clock::now();
  while (!stop.cancelled()) {
    if (Clock::now() >= next_tick_) schedule();
    board_.take_outcomes(pending);
    look = look || board_.take_wake() || Clock::now() >= next_poll_;
    int limit = 0;
    if (look && !(o_.once && claimed_once))
      limit =
          o_.once ? static_cast<int>(o_.batch) : std::max(0, static_cast<int>(o_.concurrency) - board_.busy()) + extra;
    if (pending.empty() && limit == 0) {
      if (board_.busy() == 0 && ((o_.drain && dry) || (o_.once && claimed_once))) break;
      // A poll that is due while every handler is busy waits for a handler's outcome, not the poll time (long past).
      auto until = look ? next_tick_ : std::min(next_poll_, next_tick_);
      board_.wait(std::clamp(std::chrono::duration_cast<milliseconds>(until - Clock::now()), milliseconds(1),
                             milliseconds(200)));
      continue;
    }
    if (!exchange(pending, limit, claimed) || limit == 0) continue;
    claimed_once = true;
    dry = claimed.taken < limit;
    look = !dry;
    for (const auto& job : claimed.jobs) board_.submit(job);
    extra = !claimed.jobs.empty() ? 0 : dry ? extra : std::min(static_cast<int>(o_.batch), std::max(2 * extra, 8));
  }
  // Stopping: claimed jobs no handler started go back at once; those running finish and are recorded.
  for (const auto& job : board_.take_unstarted()) pending.push_back({job.id, job.attempt, JobOutcome::End::released});
  board_.close();
  auto give_up = Clock::time_point::max();
  while (true) {
    // Busy first: a handler that finishes in between has its outcome on the board before busy reads 0.
    bool running = board_.busy() > 0;
    board_.take_outcomes(pending);
    if (pending.empty()) {
      if (!running) break;
      board_.wait(milliseconds(200));
      continue;
    }
    if (exchange(pending, 0, claimed)) continue;
    if (board_.busy() > 0) continue;
    if (give_up == Clock::time_point::max()) give_up = Clock::now() + give_up_recording;
    if (Clock::now() >= give_up) {
      log_.say("worker: " + std::to_string(pending.size()) +
               " outcome(s) not recorded: the database stayed away; other workers will rescue those jobs");
      break;
    }
  }
  for (auto& t : handlers) t.join();
  Result r;
  r.fields = {{"worker", Cell(name_)},
              {"completed", Cell(static_cast<std::int64_t>(completed_))},
              {"failed", Cell(static_cast<std::int64_t>(failed_))},
              {"cancelled", Cell(static_cast<std::int64_t>(cancelled_))},
              {"released", Cell(static_cast<std::int64_t>(released_))}};
  r.message = "worker " + name_ + " stopped: " + std::to_string(completed_) + " completed, " + std::to_string(failed_) +
              " failed, " + std::to_string(cancelled_) + " cancelled, " + std::to_string(released_) + " released";
  return r;
}

}  // namespace

Result run_worker(const WorkerOptions& o, Session& session) {
  if (o.once && o.drain)
    throw UsageError("give " + session.option("once") + " or " + session.option("drain") + ", not both");
  WorkerOptions checked = o;
  checked.queues.clear();
  for (const auto& q : o.queues) {
    check_queue_name(session.option("queues"), q);
    if (std::find(checked.queues.begin(), checked.queues.end(), q) == checked.queues.end()) checked.queues.push_back(q);
  }
  if (checked.queues.empty()) checked.queues.emplace_back("default");
  auto range = [&](const char* option, unsigned value, unsigned low, unsigned high) {
    if (value < low || value > high)
      throw UsageError(session.option(option) + " " + std::to_string(value) + " is out of range",
                       "give " + std::to_string(low) + " to " + std::to_string(high));
  };
  range("concurrency", o.concurrency, 1, 256);
  range("batch", o.batch, 1, 10000);
  range("rescue-after", o.rescue_after, 1, 86400);
  range("poll", o.poll, 1, 3600);
  // A bad schedule is refused at start; a worker that stops by itself (once, drain) enqueues no periodic jobs.
  auto schedules = job_schedules(session.settings());
  std::erase_if(schedules, [&](const JobSchedule& s) { return !s.schedule || o.once || o.drain; });
  operator_only(session, "run a worker (its jobs act for whoever enqueued them)");
  session.database().ready();  // unreachable or behind in schema: said now, not retried
  auto interruptions = session.interruptible();
  return Worker(checked, session, std::move(schedules)).run();
}

}  // namespace wfa
