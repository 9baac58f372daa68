// Campaign outcomes from each provider's end reasons, and refusals and opt-outs from the call's analysis.
#include "pipelines/calls/call_outcome.hpp"

#include <gtest/gtest.h>

using namespace wfa;

namespace {

std::string outcome(std::string_view provider, std::string_view status, std::string_view reason,
                    std::string_view analysis = "") {
  return outcome_name(call_outcome(provider, status, reason, analysis_flags(analysis)));
}

}  // namespace

TEST(CallOutcome, EachProvidersEndReasonsMapToOneOutcome) {
  EXPECT_EQ(outcome("vapi", "ended", "customer-did-not-answer"), "no_answer");
  EXPECT_EQ(outcome("vapi", "ended", "customer-busy"), "busy");
  EXPECT_EQ(outcome("vapi", "ended", "voicemail"), "voicemail");
  EXPECT_EQ(outcome("vapi", "ended", "twilio-failed-to-connect-call"), "failed");
  EXPECT_EQ(outcome("vapi", "ended", "pipeline-error-openai-llm-failed"), "failed");
  EXPECT_EQ(outcome("vapi", "ended", "call.start.error-subscription-concurrency-limit-reached"), "concurrency");
  EXPECT_EQ(outcome("vapi", "ended", "customer-ended-call"), "completed");
  EXPECT_EQ(outcome("vapi", "ended", "some-new-reason"), "completed") << "an open enum";
  EXPECT_EQ(outcome("retell", "ended", "dial_no_answer"), "no_answer");
  EXPECT_EQ(outcome("retell", "ended", "dial_busy"), "busy");
  EXPECT_EQ(outcome("retell", "ended", "voicemail_reached"), "voicemail");
  EXPECT_EQ(outcome("retell", "ended", "error_asr"), "failed");
  EXPECT_EQ(outcome("retell", "not_connected", "concurrency_limit_reached"), "concurrency");
  EXPECT_EQ(outcome("retell", "ended", "user_hangup"), "completed");
  EXPECT_EQ(outcome("synthflow", "no-answer", ""), "no_answer");
  EXPECT_EQ(outcome("synthflow", "left_voicemail", "voicemail_message_left"), "voicemail");
  EXPECT_EQ(outcome("synthflow", "failed", "error"), "failed");
  EXPECT_EQ(outcome("synthflow", "completed", "human_ended_call"), "completed");
  EXPECT_TRUE(is_retryable(CallOutcome::busy));
  EXPECT_FALSE(is_retryable(CallOutcome::refused));
  EXPECT_FALSE(is_retryable(CallOutcome::concurrency)) << "not an attempt at all";
}

TEST(CallOutcome, TheAnalysisTurnsACompletedCallIntoARefusalOrAnOptOut) {
  EXPECT_EQ(outcome("vapi", "ended", "customer-ended-call", R"({"opted_out": true, "refused": true})"), "opted_out");
  EXPECT_EQ(outcome("retell", "ended", "user_hangup", R"({"not_interested": "Yes"})"), "refused");
  EXPECT_EQ(outcome("synthflow", "completed", "", R"({"refused": false, "notes": "call back"})"), "completed");
  EXPECT_EQ(outcome("vapi", "ended", "customer-busy", R"({"opted_out": true})"), "busy")
      << "a call that never connected cannot carry an answer";
  EXPECT_FALSE(analysis_flags("not json").opted_out);
  EXPECT_FALSE(analysis_flags("[true]").refused);
  EXPECT_TRUE(analysis_flags(R"({"do_not_call": "true"})").opted_out);
}
