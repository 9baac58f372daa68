#pragma once
/// Progress is how long work reports how far it got; each front end decides how (or whether) to show it.
#include <cstddef>
#include <optional>
#include <string>

namespace wfa {

class Progress {
 public:
  virtual ~Progress() = default;
  /// Begins a run; total is nullopt when the amount of work is unknown.
  virtual void start(std::string label, std::optional<std::size_t> total) = 0;
  /// Replaces the expected total, e.g. an estimate that improves as the work proceeds.
  virtual void set_total(std::optional<std::size_t> total) = 0;
  /// Records progress; callable from any thread.
  virtual void update(std::size_t done, std::size_t failed = 0) = 0;
  /// Ends the run; the display (if any) is cleared.
  virtual void finish() = 0;
};

/// SilentProgress shows nothing: the default where no front end asked for progress.
class SilentProgress final : public Progress {
 public:
  void start(std::string, std::optional<std::size_t>) override {}
  void set_total(std::optional<std::size_t>) override {}
  void update(std::size_t, std::size_t) override {}
  void finish() override {}
};

}  // namespace wfa
