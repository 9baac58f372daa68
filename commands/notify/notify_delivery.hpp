#pragma once
/// The one delivery engine of notifications, shared by `wfa notify flush` and serve's notifier. Exactly once: a sender
/// claims a row (status sending, claimed_by, claimed_at) and commits that before it calls Telegram, then records the
/// outcome and a telegram_health_events row in one transaction. A chat's messages go in order, one in flight at a time
/// across every sender (a per-chat advisory lock orders the claims); the rates (pipelines/telegram/send_limits) are
/// kept per sender.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace wfa {

class Session;

/// NotifyCounts are a sender's outcomes so far.
struct NotifyCounts {
  long sent = 0, failed = 0, retried = 0;
};

class NotificationSender {
 public:
  /// lease is how long a claimed row may stay sending: past it, its sender is taken to have stopped mid-send.
  static constexpr std::chrono::seconds lease{60};
  /// max_attempts ends a notification that keeps failing for passing reasons (a 429 alone never ends one).
  static constexpr int max_attempts = 10;

  /// SESSION's database holds the queue (the verbs' role: it sees every partner's rows); CLAIMANT names this sender in
  /// claimed_by.
  NotificationSender(Session& session, std::string claimant);
  ~NotificationSender();
  NotificationSender(const NotificationSender&) = delete;
  NotificationSender& operator=(const NotificationSender&) = delete;

  /// step ends rows stopped senders left sending, then sends at most one message of PARTNER_ID (every partner's when
  /// unset) that the limits allow now. nullopt: nothing is queued; zero: call again; else how long until one may go.
  std::optional<std::chrono::milliseconds> step(const std::optional<std::string>& partner_id);
  const NotifyCounts& counts() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// notification_claimant names this process in claimed_by: FRONT_END, host and pid.
std::string notification_claimant(const std::string& front_end);

}  // namespace wfa
