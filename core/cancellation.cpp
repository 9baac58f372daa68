#include "core/cancellation.hpp"

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace wfa {

namespace {

static_assert(std::atomic<int>::is_always_lock_free, "the signal handler may only touch lock-free atomics");

/// The first signal received while a SignalCancellation is alive, or 0: written by the handler.
std::atomic<int> received_signal{0};
/// Whether a SignalCancellation is alive: the handlers and received_signal are process-wide.
std::atomic<bool> instance_alive{false};

/// on_signal keeps the first signal only; compare_exchange on a lock-free atomic is async-signal-safe.
extern "C" void on_signal(int number) {
  int none = 0;
  received_signal.compare_exchange_strong(none, number, std::memory_order_relaxed);
}

/// install sets on_signal for number and saves the action it replaces in previous.
void install(int number, struct sigaction& previous) {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART | SA_RESETHAND;
  if (sigaction(number, &action, &previous) != 0) {
    throw std::system_error(errno, std::generic_category(), "cannot install signal handler");
  }
}

}  // namespace

SignalCancellation::SignalCancellation() {
  if (instance_alive.exchange(true)) {
    throw std::logic_error("only one SignalCancellation may be alive at a time");
  }
  received_signal.store(0);
  try {
    install(SIGINT, previous_int_);
    try {
      install(SIGTERM, previous_term_);
    } catch (...) {
      sigaction(SIGINT, &previous_int_, nullptr);
      throw;
    }
  } catch (...) {
    instance_alive.store(false);
    throw;
  }
}

SignalCancellation::~SignalCancellation() {
  sigaction(SIGTERM, &previous_term_, nullptr);
  sigaction(SIGINT, &previous_int_, nullptr);
  instance_alive.store(false);
}

bool SignalCancellation::requested() const noexcept { return signal_number() != 0; }

int SignalCancellation::signal_number() const noexcept { return received_signal.load(std::memory_order_relaxed); }

bool CancelToken::cancelled() const noexcept {
  return cancelled_.load(std::memory_order_acquire) || [this] {
    const SignalCancellation* signals = signals_.load(std::memory_order_acquire);
    return signals != nullptr && signals->requested();
  }();
}

}  // namespace wfa
