// The worker's watch: LISTEN, heartbeats and rescues on a connection of their own.
#include "worker/job_watch.hpp"

#include <functional>
#include <memory>
#include <random>
#include <utility>

#include <pqxx/connection>
#include <pqxx/notification>

#include "commands/job/job_queue.hpp"
#include "core/config.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "worker/job_board.hpp"
#include "worker/worker_log.hpp"

namespace wfa {

namespace {

using Clock = std::chrono::steady_clock;

/// Receiver calls its callback with each notification's payload on CHANNEL.
struct Receiver : pqxx::notification_receiver {
  Receiver(pqxx::connection_base& c, const std::string& channel, std::function<void(const std::string&)> on)
      : pqxx::notification_receiver(c, channel), on_(std::move(on)) {}
  void operator()(const std::string& payload, int) override { on_(payload); }
  std::function<void(const std::string&)> on_;
};

/// cancel_request is the job id a cancellation's payload names, or 0.
std::int64_t cancel_request(const std::string& payload) {
  try {
    return std::stoll(payload);
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

JobWatch::JobWatch(const Config& settings, std::string worker, JobBoard& board, WorkerLog& log,
                   std::chrono::milliseconds rescue_after)
    : settings_(settings), worker_(std::move(worker)), board_(board), log_(log), rescue_after_(rescue_after) {
  thread_ = std::thread([this] { run(); });
}

JobWatch::~JobWatch() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void JobWatch::run() {
  Database database(DatabaseTarget::from_config(settings_));
  std::unique_ptr<Receiver> jobs, cancels;
  std::unique_ptr<JobQueue> queue;
  auto heartbeat = rescue_after_ / 4;
  std::mt19937 random(std::random_device{}());
  // Rescues start at a random point of their interval, so many workers do not all ask at once.
  auto next_beat = Clock::now() + heartbeat;
  auto next_rescue = Clock::now() + std::chrono::milliseconds(random() % (rescue_after_.count() / 2 + 1));
  bool lost = false;
  while (!stop_) {
    try {
      if (!queue) {
        auto& connection = database.connect();
        jobs =
            std::make_unique<Receiver>(connection, job_notify_channel, [this](const std::string&) { board_.wake(); });
        cancels = std::make_unique<Receiver>(connection, job_cancel_channel, [this](const std::string& payload) {
          if (auto id = cancel_request(payload)) board_.cancel({id});
        });
        connection.get_notifs();  // issues the LISTENs now
        queue = std::make_unique<JobQueue>(connection, worker_);
        board_.wake();  // what was enqueued while it did not listen
        if (std::exchange(lost, false)) log_.say("worker: listening again");
      }
      auto& connection = database.connect();
      connection.await_notification(0, 200000);
      if (!connection.is_open()) throw std::runtime_error("the connection closed");
      if (Clock::now() >= next_beat) {
        auto answer = queue->heartbeat(board_.held_ids());
        board_.cancel(answer.cancel);
        board_.cancel(answer.lost);  // rescued by another worker: it runs them now
        next_beat = Clock::now() + heartbeat;
      }
      if (Clock::now() >= next_rescue) {
        if (auto n = queue->rescue(rescue_after_))
          log_.say("worker: rescued " + std::to_string(n) + " job(s) whose worker stopped heartbeating");
        next_rescue = Clock::now() + rescue_after_ / 2;
      }
    } catch (const std::exception&) {
      auto c = classify(std::current_exception());
      log_.say_once("worker: lost the database (" + c.message + "); reconnecting");
      lost = true;
      cancels.reset();
      jobs.reset();
      queue.reset();
      database.reset_connection();
      for (int i = 0; i < 5 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace wfa
