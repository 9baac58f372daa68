#pragma once
/// A one-line progress display on stderr for long work; silent unless stderr is an interactive terminal.
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/progress.hpp"

namespace wfa {

/// format_progress renders one progress line, e.g. "proposals  120/300  40%  85.3/s  ETA 2s  (3 failed)".
/// Percentage and ETA need a total; the rate is "-" until time has passed; "(N failed)" only when N > 0.
std::string format_progress(std::string_view label, std::size_t done, std::optional<std::size_t> total,
                            double elapsed_seconds, std::size_t failed);

/// format_eta writes a duration as "2s", "1m05s" or "1h02m"; work still left never shows as "0s".
std::string format_eta(double seconds);

/// ProgressReporter redraws one stderr line in place; when disabled it writes nothing at all.
class ProgressReporter final : public Progress {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  /// clock is injectable for tests; empty means std::chrono::steady_clock::now.
  ProgressReporter(std::ostream& err, bool enabled, Clock clock = {});
  /// Clears a line left by an unfinished run (e.g. an exception) so the error message starts clean.
  ~ProgressReporter() override;
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// Whether progress should be shown: stderr is a terminal and TERM is not "dumb".
  static bool stderr_is_terminal();

  /// Begins a run and draws its zero state; total is nullopt when the amount of work is unknown.
  void start(std::string label, std::optional<std::size_t> total) override;
  /// Replaces the expected total, e.g. an estimate that improves as the work proceeds; drawn with the next update.
  void set_total(std::optional<std::size_t> total) override;
  /// Records progress from any thread; draws at most every 100 ms, but always when done reaches total.
  void update(std::size_t done, std::size_t failed = 0) override;
  /// Draws the last state if a throttled update was not yet shown, then clears the line ("\r\x1b[K").
  void finish() override;

 private:
  void draw_locked(std::chrono::steady_clock::time_point now);

  std::ostream& err_;
  bool enabled_;
  Clock clock_;
  std::mutex mutex_;
  bool active_ = false;
  bool pending_ = false;
  std::string label_;
  std::optional<std::size_t> total_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::chrono::steady_clock::time_point started_{};
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace wfa
