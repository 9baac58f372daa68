// The notifier thread: NotificationSender::step in a loop, sleeping as the limits say (at most a second).
#include "serve/notifier.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands/notify/notify_delivery.hpp"
#include "core/config.hpp"
#include "core/database.hpp"
#include "core/session.hpp"

namespace wfa::serve {

namespace {

constexpr std::chrono::milliseconds poll{1000};

}  // namespace

struct Notifier::Impl {
  const Config& settings;
  std::atomic<long> sent{0}, failed{0}, retried{0};
  std::mutex mutex;
  std::condition_variable wake;
  bool stop = false;
  std::thread thread;

  explicit Impl(const Config& s) : settings(s) {
    thread = std::thread([this] { run(); });
  }
  ~Impl() {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    wake.notify_all();
    thread.join();
  }

  /// pause waits WAIT (at most poll), or until serve stops; false once it has.
  bool pause(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex);
    return !wake.wait_for(lock, std::min(wait, poll), [&] { return stop; });
  }

  void run() {
    // The verbs' role (wfa_app), not wfa_serve: the queue spans every partner and row-level security hides it.
    Database database(DatabaseTarget::from_config(settings));
    Session session(settings);
    session.borrow(database);
    std::unique_ptr<NotificationSender> sender;
    for (;;) {
      std::chrono::milliseconds wait = poll;
      try {
        if (!sender) sender = std::make_unique<NotificationSender>(session, notification_claimant("serve"));
        auto next = sender->step(std::nullopt);
        wait = next ? *next : poll;
        const auto& c = sender->counts();
        sent = c.sent;
        failed = c.failed;
        retried = c.retried;
      } catch (const std::exception& e) {
        database.reset_connection();
        auto line =
            nlohmann::json{{"notifier", "error"}, {"message", std::string(e.what()).substr(0, 200)}}.dump() + "\n";
        std::fwrite(line.data(), 1, line.size(), stderr);  // one write per line, as the access log
      }
      if (wait.count() == 0) {
        std::lock_guard lock(mutex);
        if (stop) return;
        continue;
      }
      if (!pause(wait)) return;
    }
  }
};

Notifier::Notifier(const Config& settings) : impl_(std::make_unique<Impl>(settings)) {}
Notifier::~Notifier() = default;

std::string Notifier::render() const {
  std::ostringstream out;
  out << "# TYPE wfa_serve_notifications_total counter\n";
  out << "wfa_serve_notifications_total{outcome=\"sent\"} " << impl_->sent << '\n';
  out << "wfa_serve_notifications_total{outcome=\"failed\"} " << impl_->failed << '\n';
  out << "wfa_serve_notifications_total{outcome=\"retried\"} " << impl_->retried << '\n';
  return out.str();
}

}  // namespace wfa::serve
