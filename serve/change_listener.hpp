#pragma once
/// ChangeListener follows the database's change feed (LISTEN wfa_changes, payload a table's name, sent by triggers on
/// the tables serve caches) on a thread of its own and tells its callback; when the feed is lost it reports "*" (what
/// was missed is unknown) and reconnects.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/pqxx_fwd.hpp"

namespace wfa::serve {

class ChangeListener {
 public:
  using Connect = std::function<std::unique_ptr<pqxx::connection>()>;
  /// Starts listening before it returns, so no change made after the constructor is missed.
  ChangeListener(Connect connect, std::function<void(const std::string& table)> changed);
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;
  bool connected() const { return connected_; }
  long reconnects() const { return reconnects_; }

 private:
  void run();
  bool listen();

  Connect connect_;
  std::function<void(const std::string&)> changed_;
  std::unique_ptr<pqxx::connection> connection_;
  struct Receiver;
  std::unique_ptr<Receiver> receiver_;
  std::atomic<bool> stop_{false}, connected_{false};
  std::atomic<long> reconnects_{0};
  std::thread thread_;
};

}  // namespace wfa::serve
