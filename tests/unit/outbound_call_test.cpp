// Outbound calls: each provider's create-call body field by field, and against the fake provider one request per call
// (never retried), concurrency refusals, the account's limit, the call found again by its attempt, web calls.
#include <gtest/gtest.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "pipelines/providers/outbound_call.hpp"
#include "tests/support/fake_providers.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

OutboundCall sample(bool test = false) {
  OutboundCall call;
  call.attempt_id = "7d1f6a0e-0000-4000-8000-000000000001";
  call.agent_external_id = "agent-ext-1";
  call.to = "+14155550100";
  call.from_number = "+14155550199";
  call.from_provider_number_id = "pn-1";
  call.variables = {{"first_name", "Ada"}, {"name", "Ada Lovelace"}};
  call.test = test;
  return call;
}

TEST(OutboundCallBody, VapiNamesAssistantNumberCustomerVariablesAndMetadata) {
  auto body = json::parse(outbound_call_body("vapi", sample()));
  EXPECT_EQ(body, (json{{"assistantId", "agent-ext-1"},
                        {"phoneNumberId", "pn-1"},
                        {"customer", {{"number", "+14155550100"}}},
                        {"assistantOverrides", {{"variableValues", {{"first_name", "Ada"}, {"name", "Ada Lovelace"}}}}},
                        {"metadata", {{"wfa_attempt_id", "7d1f6a0e-0000-4000-8000-000000000001"}}}}));
  auto test = json::parse(outbound_call_body("vapi", sample(true)));
  EXPECT_EQ(test["metadata"]["wfa_test"], true);
  auto plain = sample();
  plain.variables.clear();
  EXPECT_FALSE(json::parse(outbound_call_body("vapi", plain)).contains("assistantOverrides"));
  plain.from_provider_number_id.clear();
  EXPECT_THROW(outbound_call_body("vapi", plain), InvalidInputError) << "VAPI calls only from a phoneNumberId";
}

TEST(OutboundCallBody, RetellNamesNumbersOverrideAgentDynamicVariablesAndMetadata) {
  auto body = json::parse(outbound_call_body("retell", sample(true)));
  EXPECT_EQ(body,
            (json{{"from_number", "+14155550199"},
                  {"to_number", "+14155550100"},
                  {"override_agent_id", "agent-ext-1"},
                  {"retell_llm_dynamic_variables", {{"first_name", "Ada"}, {"name", "Ada Lovelace"}}},
                  {"metadata", {{"wfa_attempt_id", "7d1f6a0e-0000-4000-8000-000000000001"}, {"wfa_test", true}}}}));
  auto none = sample();
  none.from_number.clear();
  EXPECT_THROW(outbound_call_body("retell", none), InvalidInputError);
}

TEST(OutboundCallBody, SynthflowCarriesTheAttemptAsACustomVariable) {
  auto body = json::parse(outbound_call_body("synthflow", sample(true)));
  EXPECT_EQ(body, (json{{"model_id", "agent-ext-1"},
                        {"phone", "+14155550100"},
                        {"name", "Ada Lovelace"},
                        {"from_phone_number", "+14155550199"},
                        {"custom_variables",
                         json::array({{{"key", "first_name"}, {"value", "Ada"}},
                                      {{"key", "name"}, {"value", "Ada Lovelace"}},
                                      {{"key", "wfa_attempt_id"}, {"value", "7d1f6a0e-0000-4000-8000-000000000001"}},
                                      {{"key", "wfa_test"}, {"value", "true"}}})}}));
  auto bare = sample();
  bare.variables.clear();
  bare.from_number.clear();
  auto minimal = json::parse(outbound_call_body("synthflow", bare));
  EXPECT_EQ(minimal["name"], "+14155550100") << "the lead's name defaults to the number";
  EXPECT_FALSE(minimal.contains("from_phone_number")) << "Synthflow calls from the agent's own number";
  EXPECT_THROW(outbound_call_body("twilio", bare), InvalidInputError);
}

struct OutboundFake : ::testing::Test {
  test::FakeProviders fake{{{"vapi", "vk"}, {"retell", "rk"}, {"synthflow", "sk"}}};
  ClientPolicy policy() {
    ClientPolicy p;
    p.sleep = [](std::chrono::milliseconds) {};
    return p;
  }
  ProviderClient client(const std::string& provider, const std::string& key) {
    return ProviderClient(provider, fake.base_url(provider), key, policy());
  }
  long requests_to(const std::string& provider, const std::string& path) {
    long n = 0;
    for (const auto& r : fake.requests()) n += r["provider"] == provider && r["path"] == path;
    return n;
  }
};

TEST_F(OutboundFake, EachProviderCreatesTheCallAndItIsFoundAgainByItsAttempt) {
  for (const auto& [provider, key] :
       std::vector<std::pair<std::string, std::string>>{{"vapi", "vk"}, {"retell", "rk"}, {"synthflow", "sk"}}) {
    auto c = client(provider, key);
    auto call = sample();
    call.attempt_id = "attempt-" + provider;
    auto before = std::chrono::system_clock::now();
    auto made = start_outbound_call(c, call);
    EXPECT_FALSE(made.provider_call_id.empty()) << provider;
    EXPECT_EQ(find_outbound_call(c, call, before).value_or("none"), made.provider_call_id) << provider;
    auto other = call;
    other.attempt_id = "attempt-never-made";
    other.to = "+14155550111";
    EXPECT_FALSE(find_outbound_call(c, other, before).has_value()) << provider;
  }
  EXPECT_EQ(fake.dial_stats()["created"], 3);
}

TEST_F(OutboundFake, ACreateIsSentOnceWhateverTheAnswer) {
  auto c = client("retell", "rk");
  fake.inject({{{"path", "^/v2/create-phone-call$"}, {"status", 503}, {"times", 3}}});
  EXPECT_THROW(start_outbound_call(c, sample()), TemporaryError);
  EXPECT_EQ(requests_to("retell", "/v2/create-phone-call"), 1) << "a create-call POST is never retried";
  fake.inject(
      {{{"path", "^/call$"}, {"status", 429}, {"times", 1}, {"body", json{{"message", "Rate limit exceeded"}}}}});
  auto v = client("vapi", "vk");
  try {
    start_outbound_call(v, sample());
    ADD_FAILURE() << "a 429 is no call";
  } catch (const ConcurrencyRefused&) {
    ADD_FAILURE() << "a rate limit is not a concurrency refusal";
  } catch (const TemporaryError&) {
  }
  EXPECT_EQ(requests_to("vapi", "/call"), 1);
  fake.inject({{{"path", "^/calls$"},
                {"status", 422},
                {"times", 1},
                {"body", json{{"detail", {{"status", 422}, {"description", "model_id not found"}}}}}}});
  auto s = client("synthflow", "sk");
  try {
    start_outbound_call(s, sample());
    ADD_FAILURE();
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("model_id not found"), std::string::npos) << e.what();
  }
}

TEST_F(OutboundFake, ConcurrencyRefusalsOfEveryProviderAreConcurrencyRefused) {
  fake.dial({{"refuse_over", 0}});
  for (const auto& [provider, key] :
       std::vector<std::pair<std::string, std::string>>{{"vapi", "vk"}, {"retell", "rk"}, {"synthflow", "sk"}}) {
    auto c = client(provider, key);
    EXPECT_THROW(start_outbound_call(c, sample()), ConcurrencyRefused) << provider;
  }
  auto stats = fake.dial_stats();
  EXPECT_EQ(stats["refused"], 3);
  EXPECT_EQ(stats["created"], 0);
  EXPECT_EQ(stats["in_flight"], 0);
}

TEST_F(OutboundFake, AccountLimitsAreReadWhereTheProviderReportsThem) {
  fake.dial({{"refuse_over", 7}});
  auto v = client("vapi", "vk");
  auto r = client("retell", "rk");
  auto s = client("synthflow", "sk");
  EXPECT_EQ(account_concurrency_limit(r).value_or(-1), 7);
  EXPECT_FALSE(account_concurrency_limit(s).has_value());
  // VAPI has no request for it: each POST /call answer reports subscriptionLimits.concurrencyLimit.
  EXPECT_FALSE(account_concurrency_limit(v).has_value());
  for (const auto& request : fake.requests())
    EXPECT_FALSE(request["provider"] == "vapi" && request["method"] == "GET") << request.dump();
  EXPECT_EQ(start_outbound_call(v, sample()).account_limit.value_or(-1), 7);
  EXPECT_FALSE(start_outbound_call(r, sample()).account_limit.has_value());
}

TEST_F(OutboundFake, AVapiCallBlockedByTheConcurrencyLimitIsARefusal) {
  fake.dial({{"refuse_over", 0}, {"vapi_refusal", "blocked"}});
  auto v = client("vapi", "vk");
  try {
    start_outbound_call(v, sample());
    ADD_FAILURE() << "a blocked call is no call";
  } catch (const ConcurrencyRefused& e) {
    EXPECT_NE(std::string(e.what()).find("concurrencyBlocked"), std::string::npos) << e.what();
  }
}

TEST_F(OutboundFake, WebCallsGiveTheBrowserWhatItNeeds) {
  auto r = client("retell", "rk");
  auto web = start_web_call(r, "agent-ext-1", "");
  EXPECT_EQ(web.provider, "retell");
  EXPECT_FALSE(web.access_token.empty());
  EXPECT_FALSE(web.call_id.empty());
  auto v = client("vapi", "vk");
  auto vapi = start_web_call(v, "assistant-1", "pk-public");
  EXPECT_EQ(vapi.public_key, "pk-public");
  EXPECT_EQ(vapi.assistant_id, "assistant-1");
  EXPECT_THROW(start_web_call(v, "assistant-1", ""), NotFoundError);
  auto s = client("synthflow", "sk");
  EXPECT_THROW(start_web_call(s, "m", ""), UsageError);
}

}  // namespace
}  // namespace wfa
