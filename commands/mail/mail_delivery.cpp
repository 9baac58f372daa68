// The mail outbox's delivery engine (see mail_delivery.hpp).
#include "commands/mail/mail_delivery.hpp"
#include "commands/mail/mail_suppress.hpp"

#include <algorithm>
#include <pqxx/pqxx>
#include <tuple>
#include <vector>

#include "commands/integration/integration_access.hpp"
#include "commands/tenancy/mail_outbox.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

/// Claimed is one row a sender holds.
struct Claimed {
  std::string id, envelope_from, recipient, message;
  int attempts = 0;
  bool past_give_up = false;
  std::string created_at;
};

/// backoff is how long a message waits after its ATTEMPTS-th passing failure: a minute doubling up to six hours.
int backoff_seconds(int attempts) {
  long wait = 60L << std::min(attempts - 1, 9);
  return static_cast<int>(std::min(wait, 6L * 3600));
}

std::string password_of(const Session& session) {
  const auto& file = session.settings().get("smtp_password_file");
  if (!file.is_set) return session.settings().value("smtp_password");
  auto password = read_file(file.value, "smtp_password_file");
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  return password;
}

}  // namespace

SmtpSettings smtp_settings_of(const Session& session) {
  const auto& config = session.settings();
  SmtpSettings s;
  s.host = config.value("smtp_host");
  if (s.host.empty())
    throw UsageError("smtp_host is not set: mail has no relay to go through",
                     "set WFA_SMTP_HOST (and WFA_SMTP_PORT, WFA_SMTP_USER, WFA_SMTP_PASSWORD_FILE)");
  s.port = whole_setting(session, "smtp_port", 587, 1, 65535);
  s.user = config.value("smtp_user");
  s.password = password_of(session);
  const auto& tls = config.get("smtp_tls");
  auto mode = tls.value.empty() ? std::string("required") : tls.value;
  if (mode != "required" && mode != "implicit" && mode != "optional")
    throw UsageError(
        "smtp_tls from " + tls.source + " is " + mode.substr(0, 40) + ", not required, implicit or optional",
        "leave it unset: STARTTLS is required, and port 465 uses implicit TLS");
  s.implicit_tls = mode == "implicit" || (mode == "required" && s.port == 465);
  s.require_tls = mode != "optional";
  s.ca_file = config.value("smtp_ca_file");
  s.timeout = std::chrono::seconds(whole_setting(session, "smtp_timeout", 60, 1, 3600));
  s.connect_timeout = std::min(s.timeout, std::chrono::seconds(10));
  auto from = platform_mail_from(session);
  s.helo_domain = from.substr(from.rfind('@') + 1);
  return s;
}

struct OutboxSender::Impl {
  Session& session;
  std::string claimant;
  SmtpClient client;
  int unknown_delay;
  MailCounts counts;

  Impl(Session& s, std::string c)
      : session(s),
        claimant(std::move(c)),
        client(smtp_settings_of(s)),
        unknown_delay(whole_setting(s, "mail_unknown_delay", 600, 0, 7 * 86400)) {}

  pqxx::connection_base* conn = nullptr;

  /// db is the session's connection, its schema checked once (ready() reads the migrations: not once per message).
  pqxx::connection_base& db() {
    if (conn == nullptr) conn = &session.database().ready();
    return *conn;
  }

  std::vector<Claimed> claim() {
    pqxx::work tx(db());
    tx.exec_params(
        "UPDATE mail_outbox SET status = 'unknown', next_attempt_at = now() + make_interval(secs => $2),"
        " claimed_by = NULL, claimed_at = NULL, last_reply = 'its sender stopped while sending it (' || claimed_by"
        " || '): it may have been delivered' WHERE status = 'sending' AND claimed_at < now() - make_interval(secs => "
        "$1)",
        static_cast<int>(lease.count()), unknown_delay);
    counts.suppressed += tx.exec(
                               "UPDATE mail_outbox SET status = 'suppressed', last_reply = 'the address is suppressed'"
                               " WHERE status IN ('queued', 'unknown') AND next_attempt_at <= now()"
                               " AND recipient IN (SELECT address FROM mail_suppressions)")
                             .affected_rows();
    auto rows = tx.exec_params(
        "UPDATE mail_outbox o SET status = 'sending', claimed_by = $1, claimed_at = now(), attempts = o.attempts + 1"
        " FROM (SELECT id FROM mail_outbox WHERE status IN ('queued', 'unknown') AND next_attempt_at <= now()"
        "   ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) c"
        " WHERE o.id = c.id RETURNING o.id, o.envelope_from, o.recipient, o.message, o.attempts, o.give_up_at <= now(),"
        " to_char(o.created_at, 'YYYYMMDDHH24MISSUS')",
        claimant, batch);
    tx.commit();
    std::vector<Claimed> out;
    for (const auto& row : rows)
      out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                     row[3].as<std::string>(), row[4].as<int>(), row[5].as<bool>(), row[6].as<std::string>()});
    // Oldest first: a person gets an approval before the invitation that follows it.
    std::sort(out.begin(), out.end(), [](const Claimed& a, const Claimed& b) {
      return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
    });
    return out;
  }

  void record(const Claimed& c, const SmtpOutcome& o) {
    std::string status;
    int wait = 0;
    switch (o.kind) {
      case SmtpOutcome::Kind::sent:
        status = "sent";
        ++counts.sent;
        break;
      case SmtpOutcome::Kind::failed:
        status = "failed";
        ++counts.failed;
        break;
      case SmtpOutcome::Kind::unknown:
        status = "unknown";
        wait = unknown_delay;
        ++counts.unknown;
        break;
      case SmtpOutcome::Kind::retry:
        status = c.past_give_up ? "failed" : "queued";
        wait = backoff_seconds(c.attempts);
        ++(c.past_give_up ? counts.failed : counts.retried);
        break;
    }
    // One statement in its own transaction, not waiting for the WAL flush (set_config local to it): a record lost to
    // a crash leaves its row sending, so it becomes unknown and goes again with its Message-ID, as after a kill
    // during the send. The claim's commit still waits.
    {
      pqxx::nontransaction tx(db());
      tx.exec_params(
          "UPDATE mail_outbox SET status = $3, reply_code = NULLIF($4, 0), last_reply = $5, claimed_by = NULL,"
          " claimed_at = NULL, next_attempt_at = now() + make_interval(secs => $6),"
          " sent_at = CASE WHEN $3 = 'sent' THEN now() END"
          " FROM (SELECT set_config('synchronous_commit', 'off', true)) quick WHERE id = $1::uuid AND claimed_by = $2",
          c.id, claimant, status, o.code, o.reply.substr(0, 1000), wait);
    }
    // A 5.1.x refusal says the mailbox does not exist: a hard bounce, never mailed again.
    if (o.kind == SmtpOutcome::Kind::failed && o.reply.find(" 5.1.") != std::string::npos) {
      pqxx::work bounce(db());
      suppress_bounced(bounce, session, c.id, o.reply);
      bounce.commit();
    }
  }
};

OutboxSender::OutboxSender(Session& session, std::string claimant)
    : impl_(std::make_unique<Impl>(session, std::move(claimant))) {}
OutboxSender::~OutboxSender() = default;

long OutboxSender::step() {
  auto claimed = impl_->claim();
  for (const auto& c : claimed) impl_->record(c, impl_->client.send(c.envelope_from, c.recipient, c.message));
  return static_cast<long>(claimed.size());
}

const MailCounts& OutboxSender::counts() const { return impl_->counts; }

}  // namespace wfa
