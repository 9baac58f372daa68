// The change feed: one connection that LISTENs, polled a few times a second so that stopping is prompt.
#include "serve/change_listener.hpp"

#include <chrono>

#include <pqxx/connection>
#include <pqxx/notification>

namespace wfa::serve {

struct ChangeListener::Receiver : pqxx::notification_receiver {
  Receiver(pqxx::connection& c, std::function<void(const std::string&)>& changed)
      : pqxx::notification_receiver(c, "wfa_changes"), changed_(changed) {}
  void operator()(const std::string& payload, int) override { changed_(payload.empty() ? "*" : payload); }
  std::function<void(const std::string&)>& changed_;
};

ChangeListener::ChangeListener(Connect connect, std::function<void(const std::string& table)> changed)
    : connect_(std::move(connect)), changed_(std::move(changed)) {
  listen();
  thread_ = std::thread([this] { run(); });
}

ChangeListener::~ChangeListener() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  receiver_.reset();
}

bool ChangeListener::listen() {
  try {
    receiver_.reset();
    connection_ = connect_();
    receiver_ = std::make_unique<Receiver>(*connection_, changed_);
    connection_->get_notifs();  // issues the LISTEN now
    connected_ = true;
    return true;
  } catch (const std::exception&) {
    receiver_.reset();
    connection_.reset();
    connected_ = false;
    return false;
  }
}

void ChangeListener::run() {
  while (!stop_) {
    if (!connected_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      if (stop_) break;
      if (!listen()) continue;
      ++reconnects_;
      changed_("*");  // whatever changed while the feed was down is unknown
      continue;
    }
    try {
      connection_->await_notification(0, 250000);
      if (!connection_->is_open()) throw std::runtime_error("closed");
    } catch (const std::exception&) {
      connected_ = false;
      changed_("*");
    }
  }
}

}  // namespace wfa::serve
