#pragma once
/// Per-module circuit breakers: a module whose requests keep failing (internal or temporary errors) is answered 503 at
/// once for a while instead of piling more work on what is broken; the other modules are untouched.
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace wfa::serve {

class CircuitBreakers {
 public:
  enum class State { closed = 0, open = 1, half_open = 2 };
  CircuitBreakers(int failures = 5, std::chrono::seconds open_for = std::chrono::seconds(30))
      : failures_(failures), open_for_(open_for) {}

  /// admit says whether NAME may run now; in half-open one trial at a time is admitted. RETRY_AFTER is set on refusal.
  bool admit(const std::string& name, std::chrono::seconds& retry_after);
  /// done reports how an admitted call of NAME ended: FAILED means the module broke (not the caller's mistake).
  void done(const std::string& name, bool failed);
  /// render is the breakers' lines for /metrics (0 closed, 1 open, 2 half-open).
  std::string render();

 private:
  struct Circuit {
    State state = State::closed;
    int consecutive = 0;
    bool trial = false;
    std::chrono::steady_clock::time_point opened;
  };
  int failures_;
  std::chrono::seconds open_for_;
  std::mutex mutex_;
  std::map<std::string, Circuit> circuits_;
};

}  // namespace wfa::serve
