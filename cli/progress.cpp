#include "cli/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>

namespace wfa {

namespace {

constexpr auto redraw_interval = std::chrono::milliseconds(100);

}  // namespace

std::string format_eta(double seconds) {
  if (!(seconds > 0)) return "0s";
  auto total = std::max(1LL, static_cast<long long>(std::llround(std::min(seconds, 1e12))));
  if (total < 60) return fmt::format("{}s", total);
  if (total < 3600) return fmt::format("{}m{:02}s", total / 60, total % 60);
  return fmt::format("{}h{:02}m", total / 3600, total % 3600 / 60);
}

std::string format_progress(std::string_view label, std::size_t done, std::optional<std::size_t> total,
                            double elapsed_seconds, std::size_t failed) {
  std::string line(label);
  auto part = [&line](std::string_view text) {
    if (!line.empty()) line += "  ";
    line += text;
  };
  part(total ? fmt::format("{}/{}", done, *total) : fmt::format("{}", done));
  if (total) {
    std::size_t percent = *total == 0 || done >= *total ? 100 : done * 100 / *total;
    part(fmt::format("{}%", percent));
  }
  bool timed = elapsed_seconds > 0;
  double rate = timed ? static_cast<double>(done) / elapsed_seconds : 0;
  part(timed ? fmt::format("{:.1f}/s", rate) : std::string("-"));
  if (total) {
    if (done >= *total)
      part("ETA 0s");
    else if (rate > 0)
      part("ETA " + format_eta(static_cast<double>(*total - done) / rate));
    else
      part("ETA -");
  }
  if (failed > 0) part(fmt::format("({} failed)", failed));
  return line;
}

ProgressReporter::ProgressReporter(std::ostream& err, bool enabled, Clock clock)
    : err_(err), enabled_(enabled), clock_(clock ? std::move(clock) : Clock(std::chrono::steady_clock::now)) {}

/// A destructor must not throw; losing the clear-line on a failing stream is harmless.
ProgressReporter::~ProgressReporter() {
  try {
    finish();
  } catch (...) {
  }
}

bool ProgressReporter::stderr_is_terminal() {
  if (::isatty(STDERR_FILENO) != 1) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::string_view(term) != "dumb";
}

void ProgressReporter::start(std::string label, std::optional<std::size_t> total) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  label_ = std::move(label);
  total_ = total;
  done_ = 0;
  failed_ = 0;
  active_ = true;
  started_ = clock_();
  draw_locked(started_);
}

void ProgressReporter::set_total(std::optional<std::size_t> total) {
  std::lock_guard lock(mutex_);
  total_ = total;
}

void ProgressReporter::update(std::size_t done, std::size_t failed) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  if (!active_) return;
  done_ = done;
  failed_ = failed;
  pending_ = true;
  auto now = clock_();
  bool complete = total_ && done_ >= *total_;
  if (complete || now - last_draw_ >= redraw_interval) draw_locked(now);
}

void ProgressReporter::finish() {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  if (!active_) return;
  if (pending_) draw_locked(clock_());
  err_ << "\r\x1b[K" << std::flush;
  active_ = false;
}

void ProgressReporter::draw_locked(std::chrono::steady_clock::time_point now) {
  double elapsed = std::chrono::duration<double>(now - started_).count();
  err_ << '\r' << format_progress(label_, done_, total_, elapsed, failed_) << "\x1b[K" << std::flush;
  last_draw_ = now;
  pending_ = false;
}

}  // namespace wfa
