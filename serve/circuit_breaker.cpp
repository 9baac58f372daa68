// Circuit states: closed → open after N failures in a row → half-open after the wait → closed on one success.
#include "serve/circuit_breaker.hpp"

#include <sstream>

namespace wfa::serve {

bool CircuitBreakers::admit(const std::string& name, std::chrono::seconds& retry_after) {
  std::lock_guard lock(mutex_);
  auto& c = circuits_[name];
  if (c.state == State::closed) return true;
  auto now = std::chrono::steady_clock::now();
  if (c.state == State::open && now - c.opened >= open_for_) c.state = State::half_open;
  if (c.state == State::half_open && !c.trial) {
    c.trial = true;
    return true;
  }
  auto left = std::chrono::duration_cast<std::chrono::seconds>(open_for_ - (now - c.opened));
  retry_after = std::max(left, std::chrono::seconds(1));
  return false;
}

void CircuitBreakers::done(const std::string& name, bool failed) {
  std::lock_guard lock(mutex_);
  auto& c = circuits_[name];
  c.trial = false;
  if (!failed) {
    c = Circuit{};
    return;
  }
  ++c.consecutive;
  if (c.state == State::half_open || c.consecutive >= failures_) {
    c.state = State::open;
    c.opened = std::chrono::steady_clock::now();
  }
}

std::string CircuitBreakers::render() {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# TYPE wfa_serve_circuit_state gauge\n";
  for (const auto& [name, c] : circuits_)
    out << "wfa_serve_circuit_state{module=\"" << name << "\"} " << static_cast<int>(c.state) << '\n';
  return out.str();
}

}  // namespace wfa::serve
