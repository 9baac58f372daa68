#include "core/session.hpp"
#include "core/image_limits.hpp"

#include <algorithm>
#include <cctype>

#include "core/database.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"

namespace wfa {

Session::Session(Config settings, SessionHooks hooks, Clock clock)
    : settings_(std::move(settings)), hooks_(std::move(hooks)), clock_(std::move(clock)) {
  impersonating_ = settings_.get("as").is_set;
  actor_ = impersonating_ ? settings_.value("as") : settings_.value("actor");
  if (impersonating_)
    std::transform(actor_.begin(), actor_.end(), actor_.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  set_group_readable_outputs(settings_.flag("group_readable_outputs"));
  allow_shared_output_dirs(settings_.flag("allow_shared_output_dirs"));
  const auto& pixels = settings_.value("max_image_pixels");
  set_max_image_pixels(pixels.empty() ? 0 : parse_max_image_pixels(pixels));
  const auto& shift = settings_.value("test_clock_shift");
  if (!shift.empty() && (shift.size() > 12 || shift.find_first_not_of("-0123456789", 0) != std::string::npos ||
                         shift.find('-', 1) != std::string::npos || shift == "-"))
    throw UsageError("test_clock_shift '" + shift + "' is not a whole number of seconds",
                     "e.g. WFA_TEST_CLOCK_SHIFT=-3600");
}

Session::~Session() = default;

void Session::act_as_user(std::string user_id, std::string name) {
  acting_user_id_ = std::move(user_id);
  actor_ = std::move(name);
  impersonating_ = true;
}

Database& Session::database() {
  if (borrowed_) return *borrowed_;
  if (!database_) database_ = std::make_unique<Database>(DatabaseTarget::from_config(settings_));
  return *database_;
}

Database& Session::read_database() {
  const auto& url = settings_.value("database_replica_url");
  if (borrowed_ || url.empty() || replica_unusable_) return database();
  if (!replica_) {
    auto target = DatabaseTarget::from_config(settings_);
    target.url = url;
    target.owner_url.clear();
    replica_ = std::make_unique<Database>(target);
    try {
      replica_->ready();
    } catch (const Error& e) {
      replica_unusable_ = true;
      info(std::string("reading from the primary: the replica is not usable (") + e.what() + ")");
      return database();
    }
  }
  return *replica_;
}

std::chrono::system_clock::time_point Session::now() const {
  if (clock_) return clock_();
  auto real = std::chrono::system_clock::now();
  const auto& shift = settings_.value("test_clock_shift");
  if (shift.empty() || !settings_.flag("test_mode")) return real;
  return real + std::chrono::seconds(std::stoll(shift));
}

std::shared_ptr<void> Session::interruptible() {
  return hooks_.interruptible ? hooks_.interruptible(cancel_) : nullptr;
}

void Session::stop_if_interrupted(std::string_view what) const {
  if (cancel_.cancelled()) throw InterruptedError("interrupted: " + std::string(what) + "; nothing changed");
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
