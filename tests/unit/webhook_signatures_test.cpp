// Webhook signature checks against vectors computed independently (Python's hmac), and each way a delivery fails:
// tampered body, wrong secret, stale timestamp, missing header; Stripe with two v1 values; header names in any case.
#include <gtest/gtest.h>

#include <map>

#include "pipelines/webhooks/webhook_signatures.hpp"

namespace wfa {
namespace {

/// Headers answers by name in any case, as serve's request does.
struct Headers {
  std::map<std::string, std::string> values;
  HeaderLookup lookup() const {
    return [this](std::string_view name) -> std::string_view {
      for (const auto& [k, v] : values)
        if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
              return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            }))
          return v;
      return {};
    };
  }
};

const std::string body = R"({"event":"call_ended","call":{"call_id":"c1"}})";

TEST(WebhookSignatures, RetellSignsBodyAndMillisecondsWithTheApiKeyWithinFiveMinutes) {
  const std::string d = "e43b3e7d93ae9e42099f5f3a6d1db093230e2a93a52965d51a9884bd2f07587f";
  Headers h{{{"x-retell-signature", "v=1733500000000,d=" + d}}};
  EXPECT_TRUE(check_retell(h.lookup(), body, "key_retell_1234", 1733500000000 + 299000).ok);
  EXPECT_EQ(check_retell(h.lookup(), body, "key_retell_1234", 1733500000000 + 301000).problem, "stale timestamp");
  EXPECT_EQ(check_retell(h.lookup(), body + " ", "key_retell_1234", 1733500000000).problem, "bad signature");
  EXPECT_EQ(check_retell(h.lookup(), body, "another_key", 1733500000000).problem, "bad signature");
  EXPECT_FALSE(check_retell(Headers{}.lookup(), body, "key_retell_1234", 1733500000000).ok);
  Headers odd{{{"X-Retell-Signature", "d=" + d}}};
  EXPECT_EQ(check_retell(odd.lookup(), body, "key_retell_1234", 1733500000000).problem,
            "X-Retell-Signature is not v=<ms>,d=<hex>");
}

TEST(WebhookSignatures, VapiTakesItsSecretHeaderABearerOrTheHmacPlan) {
  EXPECT_TRUE(check_vapi(Headers{{{"x-vapi-secret", "vapi-secret"}}}.lookup(), body, "vapi-secret").ok);
  EXPECT_TRUE(check_vapi(Headers{{{"Authorization", "Bearer vapi-secret"}}}.lookup(), body, "vapi-secret").ok);
  EXPECT_EQ(check_vapi(Headers{{{"x-vapi-secret", "guess"}}}.lookup(), body, "vapi-secret").problem, "wrong secret");
  EXPECT_FALSE(check_vapi(Headers{}.lookup(), body, "vapi-secret").ok);
  const std::string mac = "2d17703fa83e63a8a8aad6225334a3c3307fcf495d40c00fc1748da1177b868a";
  Headers hmac{{{"X-Signature", "sha256=" + mac}, {"X-Timestamp", "1733500000"}}};
  EXPECT_TRUE(check_vapi(hmac.lookup(), body, "vapi-secret").ok);
  EXPECT_EQ(check_vapi(hmac.lookup(), body + "x", "vapi-secret").problem, "bad signature");
}

TEST(WebhookSignatures, SynthflowSignsTheCallIdInBase64) {
  Headers h{{{"Synthflow-Signature", "HbKDtZiZv53K6nzVblCHoKPaN9gnvB4ckmPv0KAdQZ4="}}};
  EXPECT_TRUE(check_synthflow(h.lookup(), "call-123", "synth-secret").ok);
  EXPECT_FALSE(check_synthflow(h.lookup(), "call-124", "synth-secret").ok);
  Headers x{{{"x-synthflow-signature", "HbKDtZiZv53K6nzVblCHoKPaN9gnvB4ckmPv0KAdQZ4="}}};
  EXPECT_TRUE(check_synthflow(x.lookup(), "call-123", "synth-secret").ok);
}

TEST(WebhookSignatures, StripeAcceptsAnyOfSeveralV1ValuesAndRefusesOldTimestamps) {
  const std::string stripe_body = R"({"id":"evt_1","object":"event"})";
  const std::string good = "467dd9cfc32d8741da34fa38522c8b03b83b195ffffb2e7d14891434068dd114";
  const std::string other(64, 'a');
  Headers rolling{{{"Stripe-Signature", "t=1733500000,v1=" + other + ",v1=" + good + ",v0=" + other}}};
  EXPECT_TRUE(check_stripe(rolling.lookup(), stripe_body, "whsec_test_abc", 1733500100).ok);
  EXPECT_EQ(check_stripe(rolling.lookup(), stripe_body, "whsec_test_abc", 1733500301).problem, "stale timestamp");
  EXPECT_TRUE(check_stripe(rolling.lookup(), stripe_body, "whsec_test_abc", 1733499000).ok) << "future passes";
  Headers one{{{"Stripe-Signature", "t=1733500000,v1=" + other}}};
  EXPECT_EQ(check_stripe(one.lookup(), stripe_body, "whsec_test_abc", 1733500000).problem, "bad signature");
  Headers none{{{"Stripe-Signature", "t=1733500000"}}};
  EXPECT_FALSE(check_stripe(none.lookup(), stripe_body, "whsec_test_abc", 1733500000).ok);
}

TEST(WebhookSignatures, SlackSignsVersionTimestampAndBodyWithinFiveMinutesEitherWay) {
  const std::string form = "token=x&challenge=y";
  Headers h{{{"X-Slack-Signature", "v0=6bc1af4b302a8ef671ecae3d8d93bc863d3e3d3ceb6a96224907cb13c16e5d3f"},
             {"X-Slack-Request-Timestamp", "1733500000"}}};
  EXPECT_TRUE(check_slack(h.lookup(), form, "slack-signing", 1733500200).ok);
  EXPECT_EQ(check_slack(h.lookup(), form, "slack-signing", 1733500301).problem, "stale timestamp");
  EXPECT_EQ(check_slack(h.lookup(), form, "slack-signing", 1733499699).problem, "stale timestamp");
  EXPECT_EQ(check_slack(h.lookup(), form + "&x=1", "slack-signing", 1733500000).problem, "bad signature");
}

TEST(WebhookSignatures, TelegramComparesItsSecretTokenHeader) {
  EXPECT_TRUE(check_telegram(Headers{{{"X-Telegram-Bot-Api-Secret-Token", "s3cr3t_-"}}}.lookup(), "s3cr3t_-").ok);
  EXPECT_EQ(check_telegram(Headers{{{"X-Telegram-Bot-Api-Secret-Token", "s3cr3t"}}}.lookup(), "s3cr3t_-").problem,
            "wrong secret token");
  EXPECT_FALSE(check_telegram(Headers{}.lookup(), "s3cr3t_-").ok);
}

}  // namespace
}  // namespace wfa
