#pragma once
/// Telegram's sending limits as arithmetic, with no clock or database of its own: about one message a second per chat,
/// at most 20 a rolling minute per group chat (a negative chat id), at most 30 a rolling second per bot, and a 429's
/// retry_after. It answers which waiting message may go now and when the next one may.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wfa {

/// SendRates are the limits (Telegram's published ones by default).
struct SendRates {
  std::chrono::milliseconds chat_gap{1000};  ///< between two messages to one chat
  std::size_t group_per_minute = 20;         ///< messages to one group chat in any 60 s
  std::size_t bot_per_second = 30;           ///< messages of one bot in any 1 s
  /// after_throttle holds the whole bot this long after a 429 (its chat waits the whole retry_after): Telegram's
  /// flood control answers per chat in practice, so one chat's long wait need not stop the others, but a brief pause
  /// keeps a bot that trips a bot-wide limit from hammering it.
  std::chrono::milliseconds after_throttle{1000};
};

/// SendCandidate is a chat's oldest waiting message as the sender sees it.
struct SendCandidate {
  std::string bot;  ///< which bot sends it (the partner id)
  std::int64_t chat = 0;
  std::chrono::milliseconds due_in{0};  ///< until its own next attempt (0: due)
  bool held = false;                    ///< another sender has this chat's message in flight
};

/// SendPick is the answer: the candidate that may go now, else how long until one may.
struct SendPick {
  std::optional<std::size_t> index;
  std::chrono::milliseconds wait{0};
};

class SendLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  /// held_poll is how soon to look again at a chat another sender holds.
  static constexpr std::chrono::milliseconds held_poll{200};

  explicit SendLimiter(SendRates rates = {}) : rates_(rates) {}

  /// ready_at is the earliest time BOT may send to CHAT, given what it sent before NOW.
  Clock::time_point ready_at(const std::string& bot, std::int64_t chat, Clock::time_point now) const;
  /// pick chooses the first of CANDIDATES (in the order they should go) that may go at NOW; with none, the wait until
  /// the earliest may (empty CANDIDATES: no index, no wait).
  SendPick pick(const std::vector<SendCandidate>& candidates, Clock::time_point now) const;
  /// sent records a message BOT sent to CHAT at NOW (when Telegram answered).
  void sent(const std::string& bot, std::int64_t chat, Clock::time_point now);
  /// throttled records a 429 for CHAT answered at NOW: the chat waits RETRY_AFTER, the bot after_throttle.
  void throttled(const std::string& bot, std::int64_t chat, std::chrono::seconds retry_after, Clock::time_point now);

 private:
  struct BotState {
    std::map<std::int64_t, Clock::time_point> chat_ready;               ///< chats that must wait, until when
    std::map<std::int64_t, std::deque<Clock::time_point>> group_sends;  ///< group chats' sends of the last minute
    std::deque<Clock::time_point> sends;                                ///< the bot's sends of the last second
    Clock::time_point paused_until{};
  };
  void forget_before(BotState& state, Clock::time_point now);

  SendRates rates_;
  std::map<std::string, BotState> bots_;
};

}  // namespace wfa
