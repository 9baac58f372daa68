#pragma once
/// The one delivery engine of the mail outbox, shared by `wfa mail flush` and the mail.send job. Once per message
/// however many run: a sender claims due rows (status sending, claimed_by, claimed_at) with SKIP LOCKED and commits
/// that before it talks SMTP, then records each outcome as it comes. A row left sending past its lease (its sender
/// was killed) or cut off after DATA becomes unknown and goes again later, byte for byte (same Message-ID).
#include <chrono>
#include <memory>
#include <string>

#include "pipelines/smtp_client.hpp"

namespace wfa {

class Session;

/// MailCounts are a sender's outcomes so far.
struct MailCounts {
  long sent = 0, failed = 0, retried = 0, unknown = 0, suppressed = 0;
};

/// smtp_settings_of reads the smtp_* settings (the password from smtp_password or smtp_password_file); an unset
/// smtp_host or a value out of range is UsageError naming the setting.
SmtpSettings smtp_settings_of(const Session& session);

class OutboxSender {
 public:
  /// lease is how long a claimed row may stay sending: past it, its sender is taken to have stopped mid-send.
  static constexpr std::chrono::seconds lease{300};
  /// batch is how many rows one claim takes.
  static constexpr int batch = 50;

  /// SESSION's database holds the outbox; CLAIMANT names this sender in claimed_by.
  OutboxSender(Session& session, std::string claimant);
  ~OutboxSender();
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  /// step turns expired leases into unknown, marks suppressed recipients, claims up to batch due rows and sends
  /// them over one connection; returns how many it claimed (0: nothing is due).
  long step();
  const MailCounts& counts() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wfa
