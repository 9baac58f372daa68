// Delivering notifications: claim (committed), call sendMessage, record the outcome; limits from send_limits.
#include "commands/notify/notify_delivery.hpp"

#include <unistd.h>

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>
#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/secret/secret_keys.hpp"
#include "commands/telegram/telegram.hpp"
#include "commands/telegram/telegram_health.hpp"
#include "core/database.hpp"
#include "core/secret_box.hpp"
#include "core/session.hpp"
#include "pipelines/telegram/bot_api.hpp"
#include "pipelines/telegram/send_limits.hpp"

namespace wfa {

namespace {

using Json = nlohmann::json;
using Clock = SendLimiter::Clock;

/// How long an opened bot token is kept before it is read again (a new token replaces it within this).
constexpr std::chrono::seconds token_ttl{60};
/// How often a sender looks for rows stopped senders left sending.
constexpr std::chrono::seconds recovery_interval{5};

const std::string stopped_mid_send =
    "outcome unknown: the sender stopped mid-send; `wfa notify retry ID` queues it again";

/// Outcome is what one sendMessage call means for its row.
struct Outcome {
  enum Kind { sent, retry, fail } kind = fail;
  std::int64_t message_id = 0;
  std::chrono::seconds retry_in{0};
  std::optional<int> error_code;
  std::string error;
  std::optional<std::int64_t> moved_to;  ///< the group became this supergroup: send there
};

/// backoff is the wait before attempt ATTEMPTS + 1 after a passing failure: 2, 4, 8 ... seconds, at most 5 minutes.
std::chrono::seconds backoff(int attempts) {
  return std::chrono::seconds(std::min(300, 1 << std::clamp(attempts, 1, 9)));
}

Outcome classify(const BotApiAnswer& a, int attempts) {
  Outcome o;
  if (a.reached && a.ok) {
    o.kind = Outcome::sent;
    auto result = Json::parse(a.result, nullptr, false);
    if (result.is_object() && result.contains("message_id") && result["message_id"].is_number_integer())
      o.message_id = result["message_id"].get<std::int64_t>();
    return o;
  }
  o.error = a.description;
  if (a.reached) o.error_code = a.error_code;
  if (a.reached && a.error_code == 429) {
    o.kind = Outcome::retry;
    o.retry_in = std::chrono::seconds(std::max(1, a.retry_after.value_or(static_cast<int>(backoff(attempts).count()))));
    return o;
  }
  if (a.migrate_to_chat) {
    o.kind = Outcome::retry;
    o.moved_to = *a.migrate_to_chat;
    return o;
  }
  bool passing = !a.reached || a.status >= 500 || a.error_code >= 500;
  o.kind = passing && attempts < NotificationSender::max_attempts ? Outcome::retry : Outcome::fail;
  o.retry_in = backoff(attempts);
  return o;
}

/// Token is a partner's bot token as opened (empty: the partner has no bot).
struct Token {
  std::string value;
  Clock::time_point read_at;
};

}  // namespace

struct NotificationSender::Impl {
  Session& session;
  std::string claimant;
  SendLimiter limiter;
  NotifyCounts counts;
  std::map<std::string, Token> tokens;
  Clock::time_point next_recovery{};

  Impl(Session& s, std::string c) : session(s), claimant(std::move(c)) {}
  ~Impl() {
    for (auto& [partner, token] : tokens) wipe_secret(token.value);
  }

  pqxx::connection_base& db() { return session.database().ready(); }

  /// recover ends the rows senders that stopped mid-send left sending: Telegram may or may not have the message, so
  /// it is not sent again on a guess; `notify retry` sends it again on a person's word.
  void recover(const std::optional<std::string>& partner_id) {
    if (Clock::now() < next_recovery) return;
    next_recovery = Clock::now() + recovery_interval;
    pqxx::work tx(db());
    auto rows = tx.exec_params(
        "UPDATE notifications SET status = 'failed', last_error = $1, error_code = NULL WHERE status = 'sending' AND"
        " claimed_at < now() - make_interval(secs => $2) AND ($3::uuid IS NULL OR partner_id = $3::uuid) RETURNING"
        " partner_id::text, chat_id",
        stopped_mid_send, static_cast<int>(lease.count()), partner_id);
    for (const auto& row : rows)
      record_telegram_health(tx, {row[0].as<std::string>(), "send", false, std::nullopt, row[1].as<std::int64_t>(),
                                  std::nullopt, stopped_mid_send});
    tx.commit();
    counts.failed += static_cast<long>(rows.size());
  }

  /// token opens PARTNER_ID's bot token (kept token_ttl); empty when the partner has no bot.
  const std::string& token(const std::string& partner_id) {
    auto& t = tokens[partner_id];
    if (t.read_at != Clock::time_point{} && Clock::now() - t.read_at < token_ttl) return t.value;
    wipe_secret(t.value);
    pqxx::work tx(db());
    auto rows = tx.exec_params("SELECT token FROM telegram_bots WHERE partner_id = $1::uuid", partner_id);
    if (!rows.empty())
      t.value = secret_keyring(session, tx)
                    .open(pqxx::binarystring(rows[0][0]).str(), telegram_bot_context(partner_id), "the bot token");
    tx.commit();
    t.read_at = Clock::now();
    return t.value;
  }

  /// fail_unsendable ends queued row ID at once: its partner has no bot to send it.
  void fail_unsendable(const std::string& id, const std::string& partner_id, std::int64_t chat) {
    const std::string error = "the partner has no Telegram bot";
    pqxx::work tx(db());
    auto rows = tx.exec_params(
        "UPDATE notifications SET status = 'failed', last_error = $2, error_code = NULL WHERE id = $1::uuid AND status"
        " = 'queued'",
        id, error);
    if (rows.affected_rows())
      record_telegram_health(tx, {partner_id, "send", false, std::nullopt, chat, std::nullopt, error});
    tx.commit();
    counts.failed += static_cast<long>(rows.affected_rows());
  }

  /// Claimed is a row this sender holds: committed as sending before Telegram is called.
  struct Claimed {
    std::string text;
    std::optional<std::string> parse_mode;
    int attempts = 0;
  };

  /// claim takes queued row ID if it is still due and its chat has nothing in flight (the advisory lock orders the
  /// claims of one chat across senders, so the check sees every other claim committed).
  std::optional<Claimed> claim(const std::string& id, const std::string& partner_id, std::int64_t chat) {
    pqxx::work tx(db());
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtextextended('notifications/' || $1::text || '/' || $2::text, 0))",
                   partner_id, chat);
    auto rows = tx.exec_params(
        "UPDATE notifications n SET status = 'sending', claimed_by = $2, claimed_at = now(), attempts = n.attempts + 1"
        " WHERE n.id = (SELECT q.id FROM notifications q WHERE q.id = $1::uuid AND q.status = 'queued' AND"
        " q.next_attempt_at <= now() FOR UPDATE SKIP LOCKED) AND NOT EXISTS (SELECT 1 FROM notifications s WHERE"
        " s.partner_id = n.partner_id AND s.chat_id = n.chat_id AND s.status = 'sending') RETURNING n.text,"
        " n.parse_mode, n.attempts",
        id, claimant);
    tx.commit();
    if (rows.empty()) return std::nullopt;
    Claimed c{rows[0][0].as<std::string>(), std::nullopt, rows[0][2].as<int>()};
    if (!rows[0][1].is_null()) c.parse_mode = rows[0][1].as<std::string>();
    return c;
  }

  /// record writes OUTCOME on row ID (if this sender still holds it) with its health row, in one transaction.
  void record(const std::string& id, const std::string& partner_id, std::int64_t chat, const Outcome& o) {
    pqxx::work tx(db());
    pqxx::result rows;
    const char* held = " WHERE id = $1::uuid AND claimed_by = $2 AND status IN ('sending', 'failed')";
    if (o.kind == Outcome::sent)
      rows = tx.exec_params(std::string("UPDATE notifications SET status = 'sent', telegram_message_id = $3, sent_at ="
                                        " now(), last_error = NULL, error_code = NULL") +
                                held,
                            id, claimant, o.message_id);
    else if (o.kind == Outcome::retry)
      rows = tx.exec_params(std::string("UPDATE notifications SET status = 'queued', claimed_by = NULL, claimed_at ="
                                        " NULL, next_attempt_at = now() + make_interval(secs => $3), chat_id ="
                                        " coalesce($4, chat_id), last_error = $5, error_code = $6") +
                                held,
                            id, claimant, static_cast<int>(o.retry_in.count()), o.moved_to, o.error, o.error_code);
    else
      rows = tx.exec_params(
          std::string("UPDATE notifications SET status = 'failed', last_error = $3, error_code = $4") + held, id,
          claimant, o.error, o.error_code);
    record_telegram_health(tx, {partner_id, "send", o.kind == Outcome::sent, std::nullopt, chat,
                                o.kind == Outcome::sent ? std::nullopt : o.error_code, o.error});
    tx.commit();
    if (!rows.affected_rows()) return;  // retried by a person meanwhile: its new run decides
    ++(o.kind == Outcome::sent ? counts.sent : o.kind == Outcome::retry ? counts.retried : counts.failed);
  }

  std::optional<std::chrono::milliseconds> step(const std::optional<std::string>& partner_id) {
    recover(partner_id);
    std::vector<SendCandidate> candidates;
    std::vector<std::string> ids;
    {
      pqxx::read_transaction tx(db());
      // Each chat's oldest open message, the chats in the order their messages were queued.
      auto rows = tx.exec_params(
          "SELECT id::text, partner_id::text, chat_id, held, due_ms FROM (SELECT DISTINCT ON (n.partner_id, n.chat_id)"
          " n.id, n.partner_id, n.chat_id, n.created_at, n.status = 'sending' AS held, greatest(0,"
          " ceil(extract(epoch FROM n.next_attempt_at - clock_timestamp()) * 1000))::bigint AS due_ms FROM"
          " notifications n WHERE n.status IN ('queued', 'sending') AND ($1::uuid IS NULL OR n.partner_id = $1::uuid)"
          " ORDER BY n.partner_id, n.chat_id, n.created_at, n.id) c ORDER BY created_at, id LIMIT 1000",
          partner_id);
      for (const auto& row : rows) {
        ids.push_back(row[0].as<std::string>());
        candidates.push_back({row[1].as<std::string>(), row[2].as<std::int64_t>(),
                              std::chrono::milliseconds(row[4].as<std::int64_t>()), row[3].as<bool>()});
      }
    }
    if (candidates.empty()) return std::nullopt;
    auto pick = limiter.pick(candidates, Clock::now());
    if (!pick.index) return std::max(pick.wait, std::chrono::milliseconds(1));
    const auto& c = candidates[*pick.index];
    const auto& id = ids[*pick.index];
    const auto& bot_token = token(c.bot);
    if (bot_token.empty()) {
      fail_unsendable(id, c.bot, c.chat);
      return std::chrono::milliseconds(0);
    }
    auto claimed = claim(id, c.bot, c.chat);
    if (!claimed) return std::chrono::milliseconds(50);  // another sender took it, or its chat, first
    Json params{{"chat_id", c.chat}, {"text", claimed->text}};
    if (claimed->parse_mode) params["parse_mode"] = *claimed->parse_mode;
    auto answer =
        call_bot_api(session.settings().value("telegram_api_base_url"), bot_token, "sendMessage", params.dump());
    auto outcome = classify(answer, claimed->attempts);
    if (answer.reached && answer.error_code == 429)
      limiter.throttled(c.bot, c.chat, outcome.retry_in, Clock::now());
    else
      limiter.sent(c.bot, c.chat, Clock::now());
    record(id, c.bot, c.chat, outcome);
    return std::chrono::milliseconds(0);
  }
};

NotificationSender::NotificationSender(Session& session, std::string claimant)
    : impl_(std::make_unique<Impl>(session, std::move(claimant))) {}
NotificationSender::~NotificationSender() = default;

std::optional<std::chrono::milliseconds> NotificationSender::step(const std::optional<std::string>& partner_id) {
  return impl_->step(partner_id);
}

const NotifyCounts& NotificationSender::counts() const { return impl_->counts; }

std::string notification_claimant(const std::string& front_end) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return front_end + "@" + host + ":" + std::to_string(::getpid());
}

}  // namespace wfa
