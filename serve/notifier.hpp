#pragma once
/// serve's notifier: a thread that runs the notification engine (commands/notify/notify_delivery) continuously,
/// waking at least every second, and stops when serve does.
#include <memory>
#include <string>

namespace wfa {
class Config;
}

namespace wfa::serve {

class Notifier {
 public:
  explicit Notifier(const Config& settings);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;
  /// render is the notifier's lines for /metrics.
  std::string render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wfa::serve
