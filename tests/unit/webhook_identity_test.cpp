// webhook_event_identity: the event id that makes a redelivery a no-op, and the attempt a call's end frees.
#include <gtest/gtest.h>

#include "commands/webhooks/webhooks.hpp"

using namespace wfa;

namespace {
const std::string attempt = "0b6f2a52-8d0e-4c51-9a39-6a8f3c1d2e4f";
}

TEST(WebhookIdentity, AVapiReportOrEndedStatusNamesTheAttemptItEnds) {
  auto report = webhook_event_identity(
      "vapi", R"({"message":{"type":"end-of-call-report","call":{"id":"c1","metadata":{"wfa_attempt_id":")" + attempt +
                  R"("}}}})");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->event_id, "c1:end-of-call-report");
  EXPECT_EQ(report->ended_attempt_id, attempt);
  auto ended = webhook_event_identity(
      "vapi", R"({"message":{"type":"status-update","status":"ended","timestamp":5,"call":{"id":"c1","metadata":)"
              R"({"wfa_attempt_id":")" +
                  attempt + R"("}}}})");
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->ended_attempt_id, attempt);
  auto ringing = webhook_event_identity(
      "vapi", R"({"message":{"type":"status-update","status":"ringing","call":{"id":"c1","metadata":)"
              R"({"wfa_attempt_id":")" +
                  attempt + R"("}}}})");
  ASSERT_TRUE(ringing);
  EXPECT_EQ(ringing->ended_attempt_id, "") << "a call still ringing holds its slot";
}

TEST(WebhookIdentity, RetellEndsNameTheAttemptAndNothingElseDoes) {
  auto body = [](const std::string& event, const std::string& id) {
    return R"({"event":")" + event + R"(","call":{"call_id":"r1","metadata":{"wfa_attempt_id":")" + id + R"("}}})";
  };
  EXPECT_EQ(webhook_event_identity("retell", body("call_ended", attempt))->ended_attempt_id, attempt);
  EXPECT_EQ(webhook_event_identity("retell", body("call_analyzed", attempt))->ended_attempt_id, attempt);
  EXPECT_EQ(webhook_event_identity("retell", body("call_started", attempt))->ended_attempt_id, "");
  EXPECT_EQ(webhook_event_identity("retell", body("call_ended", "not-a-uuid'; --"))->ended_attempt_id, "")
      << "only a uuid reaches SQL";
  auto no_metadata = webhook_event_identity("retell", R"({"event":"call_ended","call":{"call_id":"r1"}})");
  ASSERT_TRUE(no_metadata);
  EXPECT_EQ(no_metadata->ended_attempt_id, "");
  EXPECT_EQ(webhook_event_identity("synthflow", R"({"status":"completed","call":{"call_id":"s1"}})")->ended_attempt_id,
            "")
      << "Synthflow's calls carry no metadata";
}
