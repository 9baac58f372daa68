#include "core/session.hpp"

#include "core/database.hpp"
#include "core/error.hpp"

namespace wfa {

Session::Session(Config settings, SessionHooks hooks, Clock clock)
    : settings_(std::move(settings)), hooks_(std::move(hooks)), clock_(std::move(clock)) {}

Session::~Session() = default;

Database& Session::database() {
  if (!database_) database_ = std::make_unique<Database>(DatabaseTarget::from_config(settings_));
  return *database_;
}

std::chrono::system_clock::time_point Session::now() const {
  return clock_ ? clock_() : std::chrono::system_clock::now();
}

std::shared_ptr<void> Session::interruptible() {
  return hooks_.interruptible ? hooks_.interruptible(cancel_) : nullptr;
}

void Session::info(std::string_view message) const {
  if (hooks_.info && !message.empty()) hooks_.info(message);
}

std::unique_ptr<Progress> Session::progress() const {
  if (hooks_.progress)
    if (auto shown = hooks_.progress()) return shown;
  return std::make_unique<SilentProgress>();
}

void Session::confirm(bool yes, const std::string& question) const {
  if (yes) return;
  if (!hooks_.confirm) throw UsageError(question + ": confirmation required");
  if (!hooks_.confirm(question)) throw InterruptedError("cancelled at the prompt; nothing changed");
}

std::string Session::option(std::string_view name) const {
  if (hooks_.option_name) return hooks_.option_name(name);
  std::string field(name);
  for (char& c : field)
    if (c == '-') c = '_';
  return field;
}

}  // namespace wfa
