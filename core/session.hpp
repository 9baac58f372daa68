#pragma once
/// Session is what a verb needs from whichever front end runs it (CLI, serve, worker, a test): the database
/// connection (opened lazily), the actor, the settings, a clock, cancellation, and hooks for messages,
/// progress and confirmation. Every verb is `Result run_NOUN_VERB(const Options&, Session&)`.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/cancellation.hpp"
#include "core/config.hpp"
#include "core/progress.hpp"

namespace wfa {

class Database;

/// SessionHooks are the front end's answers; an empty hook takes the default noted on it.
struct SessionHooks {
  /// A line for the person running the verb (the CLI's stderr); default: dropped.
  std::function<void(std::string_view message)> info;
  /// A progress display for long work; default: SilentProgress.
  std::function<std::unique_ptr<Progress>()> progress;
  /// Asks whether a destructive verb may go on (true) or not (false); default: refuses with a usage error.
  std::function<bool(const std::string& question)> confirm;
  /// How the front end spells an option in messages: the CLI "--time-of-day", serve the field "time_of_day".
  std::function<std::string(std::string_view option)> option_name;
  /// Called around work that may be interrupted: returns a guard that links the token to the front end's
  /// interruptions (the CLI: SIGINT/SIGTERM) while it lives; default: nothing beyond the session's token.
  std::function<std::shared_ptr<void>(CancelToken& token)> interruptible;
};

class Session {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// clock is injectable for tests; empty means the system clock (UTC).
  explicit Session(Config settings, SessionHooks hooks = {}, Clock clock = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// The database handle; the connection opens on first use.
  Database& database();
  /// read_database is where read-only verbs read: the replica (WFA_DATABASE_REPLICA_URL) when set and usable,
  /// else the primary; a replica that cannot be reached or is behind in schema is said once and skipped.
  Database& read_database();
  const Config& settings() const { return settings_; }
  /// actor is the name mutations are audited as: the impersonated user's e-mail (--as), else the operator's
  /// name (WFA_ACTOR, default cli:$USER). commands/tenancy/actor.hpp decides what the actor may do.
  const std::string& actor() const { return actor_; }
  /// impersonating: --as EMAIL was given (or act_as_user); the verb acts with that user's rights, not the operator's.
  bool impersonating() const { return impersonating_; }
  /// act_as_user makes USER_ID the acting user (serve's Telegram users, who may have no e-mail); NAME is how the
  /// audit log names them.
  void act_as_user(std::string user_id, std::string name);
  /// acting_user_id is act_as_user's user, or empty.
  const std::string& acting_user_id() const { return acting_user_id_; }
  /// borrow makes DATABASE (owned elsewhere, e.g. serve's pool, and outliving this session) the one database() and
  /// read_database() return.
  void borrow(Database& database) { borrowed_ = &database; }
  std::chrono::system_clock::time_point now() const;

  /// The token long work polls; the front end (or another thread) may cancel it.
  CancelToken& cancellation() { return cancel_; }
  /// interruptible links the token to the front end's interruptions while the returned guard lives.
  std::shared_ptr<void> interruptible();
  /// stop_if_interrupted throws InterruptedError (exit 130) "interrupted: WHAT; nothing changed" once the token is
  /// cancelled: an all-or-nothing verb calls it before it commits.
  void stop_if_interrupted(std::string_view what) const;

  /// info passes a message line to the front end.
  void info(std::string_view message) const;
  /// progress returns the front end's progress display, never null.
  std::unique_ptr<Progress> progress() const;
  /// confirm guards a destructive verb: yes proceeds; otherwise the front end asks, and a refusal ends the verb.
  void confirm(bool yes, const std::string& question) const;
  /// option spells option NAME (its CLI flag without dashes) the way the front end's users know it.
  std::string option(std::string_view name) const;

 private:
  Config settings_;
  std::string actor_;
  bool impersonating_ = false;
  SessionHooks hooks_;
  Clock clock_;
  CancelToken cancel_;
  std::string acting_user_id_;
  Database* borrowed_ = nullptr;
  std::unique_ptr<Database> database_;
  std::unique_ptr<Database> replica_;
  bool replica_unusable_ = false;
};

}  // namespace wfa
