// Telegram's sending limits on a fake clock: one message a second per chat, 20 a minute per group, 30 a second per
// bot, and a 429's retry_after.
#include <gtest/gtest.h>

#include "pipelines/telegram/send_limits.hpp"

namespace wfa {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Time = SendLimiter::Clock::time_point;

const Time t0 = Time{} + std::chrono::hours(1);

/// drain sends every message of CANDIDATES (one per chat, COUNT each) as soon as the limiter allows, and returns when
/// each went.
std::vector<std::pair<std::int64_t, Time>> drain(SendLimiter& limiter, std::vector<std::int64_t> chats, int count) {
  std::map<std::int64_t, int> left;
  for (auto chat : chats) left[chat] = count;
  std::vector<std::pair<std::int64_t, Time>> sent;
  auto now = t0;
  while (!left.empty()) {
    std::vector<SendCandidate> candidates;
    for (auto [chat, n] : left) candidates.push_back({"bot", chat});
    auto pick = limiter.pick(candidates, now);
    if (!pick.index) {
      EXPECT_GT(pick.wait.count(), 0);
      now += pick.wait;
      continue;
    }
    auto chat = candidates[*pick.index].chat;
    limiter.sent("bot", chat, now);
    sent.emplace_back(chat, now);
    if (--left[chat] == 0) left.erase(chat);
  }
  return sent;
}

TEST(SendLimits, OneChatGetsOneMessageASecond) {
  SendLimiter limiter;
  auto sent = drain(limiter, {42}, 40);
  ASSERT_EQ(sent.size(), 40u);
  for (std::size_t i = 1; i < sent.size(); ++i) EXPECT_GE(sent[i].second - sent[i - 1].second, seconds(1));
  EXPECT_EQ(sent.back().second - sent.front().second, seconds(39));
}

TEST(SendLimits, AGroupChatGetsTwentyMessagesInAnyMinute) {
  SendLimiter limiter;
  auto sent = drain(limiter, {-100123}, 45);
  for (std::size_t i = 20; i < sent.size(); ++i)
    EXPECT_GE(sent[i].second - sent[i - 20].second, seconds(60)) << "message " << i;
  EXPECT_EQ(sent[19].second - t0, seconds(19)) << "the first twenty go a second apart";
  EXPECT_EQ(sent[20].second - t0, seconds(60)) << "the twenty-first waits for the first to leave the window";
  EXPECT_EQ(sent[40].second - t0, seconds(120));
}

TEST(SendLimits, ABotSendsAtMostThirtyMessagesInAnySecond) {
  SendLimiter limiter;
  std::vector<std::int64_t> chats;
  for (int i = 1; i <= 100; ++i) chats.push_back(i);
  auto sent = drain(limiter, chats, 1);
  ASSERT_EQ(sent.size(), 100u);
  for (std::size_t i = 30; i < sent.size(); ++i) EXPECT_GE(sent[i].second - sent[i - 30].second, seconds(1));
  EXPECT_EQ(sent[29].second, t0);
  EXPECT_EQ(sent[30].second, t0 + seconds(1));
  EXPECT_EQ(sent[99].second, t0 + seconds(3));
}

TEST(SendLimits, A429BlocksItsChatForRetryAfterAndTheBotBriefly) {
  SendLimiter limiter;
  limiter.throttled("bot", 7, seconds(5), t0);
  EXPECT_EQ(limiter.ready_at("bot", 7, t0), t0 + seconds(5));
  EXPECT_EQ(limiter.ready_at("bot", 8, t0), t0 + seconds(1)) << "other chats pause a second";
  EXPECT_EQ(limiter.ready_at("other-bot", 7, t0), t0) << "other bots not at all";
  auto pick = limiter.pick({{"bot", 7}, {"bot", 8}}, t0 + milliseconds(1500));
  ASSERT_TRUE(pick.index);
  EXPECT_EQ(*pick.index, 1u);
  pick = limiter.pick({{"bot", 7}}, t0 + seconds(2));
  EXPECT_FALSE(pick.index);
  EXPECT_EQ(pick.wait, seconds(3));
}

TEST(SendLimits, PickHonoursEachMessagesOwnDueTimeAndChatsHeldElsewhere) {
  SendLimiter limiter;
  auto pick = limiter.pick({{"bot", 1, milliseconds(2500)}, {"bot", 2, milliseconds(0), true}}, t0);
  EXPECT_FALSE(pick.index);
  EXPECT_EQ(pick.wait, SendLimiter::held_poll);
  pick = limiter.pick({{"bot", 1, milliseconds(2500)}}, t0);
  EXPECT_EQ(pick.wait, milliseconds(2500));
  pick = limiter.pick({}, t0);
  EXPECT_FALSE(pick.index);
  EXPECT_EQ(pick.wait, milliseconds(0));
}

TEST(SendLimits, OldSendsAreForgotten) {
  SendLimiter limiter;
  limiter.sent("bot", -5, t0);
  limiter.sent("bot", 6, t0 + seconds(61));
  EXPECT_EQ(limiter.ready_at("bot", -5, t0 + seconds(61)), t0 + seconds(61));
  EXPECT_EQ(limiter.ready_at("bot", 6, t0 + seconds(61)), t0 + seconds(62));
}

}  // namespace
}  // namespace wfa
