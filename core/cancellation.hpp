#pragma once
/// Cooperative cancellation: a flag that long work polls, optionally raised by SIGINT/SIGTERM.
#include <atomic>

#include <signal.h>

namespace wfa {

/// SignalCancellation turns the first SIGINT/SIGTERM into a cancellation request while it is alive.
/// The handler only stores the signal number in a lock-free atomic (async-signal-safe); it is installed
/// with SA_RESETHAND, so a second signal of the same kind gets the default action and ends the process.
/// At most one may be alive at a time because the handlers and the flag are process-wide.
class SignalCancellation {
 public:
  /// Installs the handlers and clears a request left by an earlier instance; throws std::logic_error if
  /// another instance is alive and std::system_error if sigaction fails.
  SignalCancellation();
  /// Restores the handlers that were installed before, so the caller's signal behaviour is unchanged.
  ~SignalCancellation();
  SignalCancellation(const SignalCancellation&) = delete;
  SignalCancellation& operator=(const SignalCancellation&) = delete;

  /// Whether a SIGINT or SIGTERM arrived since construction.
  bool requested() const noexcept;
  /// The first signal that arrived (SIGINT or SIGTERM), or 0 if none did.
  int signal_number() const noexcept;

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

/// CancelToken is a one-way flag that work polls between steps; cancel() may be called from any thread.
class CancelToken {
 public:
  CancelToken() = default;
  /// A linked token also reports cancellation once signals received one; signals must outlive the token.
  explicit CancelToken(const SignalCancellation& signals) : signals_(&signals) {}
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  /// link makes the token also report signals' cancellation (nullptr unlinks); signals must outlive the link.
  void link(const SignalCancellation* signals) noexcept { signals_.store(signals, std::memory_order_release); }
  /// Requests cancellation; idempotent.
  void cancel() noexcept { cancelled_.store(true, std::memory_order_release); }
  /// Whether cancel() was called or, for a linked token, a signal arrived.
  bool cancelled() const noexcept;

 private:
  std::atomic<bool> cancelled_{false};
  std::atomic<const SignalCancellation*> signals_{nullptr};
};

}  // namespace wfa
