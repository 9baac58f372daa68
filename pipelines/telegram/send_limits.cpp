// Telegram's sending limits: a ready time per chat, rolling windows per group chat and per bot.
#include "pipelines/telegram/send_limits.hpp"

#include <algorithm>

namespace wfa {

namespace {

constexpr std::chrono::seconds minute{60};
constexpr std::chrono::seconds second{1};

}  // namespace

SendLimiter::Clock::time_point SendLimiter::ready_at(const std::string& bot, std::int64_t chat,
                                                     Clock::time_point now) const {
  auto found = bots_.find(bot);
  if (found == bots_.end()) return now;
  const auto& state = found->second;
  auto ready = std::max(now, state.paused_until);
  if (auto c = state.chat_ready.find(chat); c != state.chat_ready.end()) ready = std::max(ready, c->second);
  // A full window opens again when its oldest send leaves it.
  if (state.sends.size() >= rates_.bot_per_second)
    ready = std::max(ready, state.sends[state.sends.size() - rates_.bot_per_second] + second);
  if (chat < 0)
    if (auto g = state.group_sends.find(chat);
        g != state.group_sends.end() && g->second.size() >= rates_.group_per_minute)
      ready = std::max(ready, g->second[g->second.size() - rates_.group_per_minute] + minute);
  return ready;
}

SendPick SendLimiter::pick(const std::vector<SendCandidate>& candidates, Clock::time_point now) const {
  SendPick pick;
  std::optional<Clock::time_point> earliest;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto& c = candidates[i];
    auto ready = c.held ? now + held_poll : std::max(ready_at(c.bot, c.chat, now), now + c.due_in);
    if (ready <= now) {
      pick.index = i;
      return pick;
    }
    if (!earliest || ready < *earliest) earliest = ready;
  }
  if (earliest) pick.wait = std::chrono::ceil<std::chrono::milliseconds>(*earliest - now);
  return pick;
}

void SendLimiter::sent(const std::string& bot, std::int64_t chat, Clock::time_point now) {
  auto& state = bots_[bot];
  forget_before(state, now);
  state.chat_ready[chat] = now + rates_.chat_gap;
  state.sends.push_back(now);
  if (chat < 0) state.group_sends[chat].push_back(now);
}

void SendLimiter::throttled(const std::string& bot, std::int64_t chat, std::chrono::seconds retry_after,
                            Clock::time_point now) {
  auto& state = bots_[bot];
  forget_before(state, now);
  auto& ready = state.chat_ready[chat];
  ready = std::max({ready, now + retry_after, now + rates_.chat_gap});
  state.paused_until = std::max(state.paused_until, now + rates_.after_throttle);
}

void SendLimiter::forget_before(BotState& state, Clock::time_point now) {
  while (!state.sends.empty() && state.sends.front() + second <= now) state.sends.pop_front();
  for (auto g = state.group_sends.begin(); g != state.group_sends.end();) {
    while (!g->second.empty() && g->second.front() + minute <= now) g->second.pop_front();
    g = g->second.empty() ? state.group_sends.erase(g) : std::next(g);
  }
  for (auto c = state.chat_ready.begin(); c != state.chat_ready.end();)
    c = c->second <= now ? state.chat_ready.erase(c) : std::next(c);
}

}  // namespace wfa
