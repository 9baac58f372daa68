// ProviderClient against the fake provider server: retries, Retry-After, the circuit breaker, and 4xx answers.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "core/error.hpp"
#include "pipelines/providers/provider_client.hpp"
#include "tests/support/fake_providers.hpp"

namespace wfa {
namespace {

using std::chrono::milliseconds;

struct Recorded {
  std::vector<milliseconds> waits;
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();

  ClientPolicy policy() {
    ClientPolicy p;
    p.sleep = [this](milliseconds d) { waits.push_back(d); };
    p.now = [this] { return now; };
    return p;
  }
};

const std::string key = "sk_test_client_0001";

TEST(ProviderClient, RetriesServerErrorsAndWaitsWhatRetryAfterAsks) {
  test::FakeProviders fake({{"vapi", key}});
  Recorded clock;
  ProviderClient client("vapi", fake.base_url("vapi"), key, clock.policy());
  fake.inject({{{"path", "^/assistant$"}, {"status", 503}, {"times", 1}},
               {{"path", "^/assistant$"}, {"status", 429}, {"retry_after", 2}, {"times", 1}}});
  auto response = client.call("POST", "/assistant", R"({"name":"A"})");
  EXPECT_EQ(response.status, 201);
  ASSERT_EQ(clock.waits.size(), 2u);
  EXPECT_LE(clock.waits[0], milliseconds(500)) << "the first wait is jittered below the base";
  EXPECT_EQ(clock.waits[1], milliseconds(2000)) << "Retry-After: 2 is waited out";
  EXPECT_EQ(client.stats().requests.load(), 3);
  EXPECT_EQ(client.stats().retries.load(), 2);
  EXPECT_EQ(fake.objects()["vapi"].size(), 1u);
}

TEST(ProviderClient, AnswersTheProviderMeansAreReturnedNotRetried) {
  test::FakeProviders fake({{"synthflow", key}});
  Recorded clock;
  ProviderClient client("synthflow", fake.base_url("synthflow"), key, clock.policy());
  auto response = client.call("POST", "/assistants", R"({"name":"no type"})");
  EXPECT_EQ(response.status, 422);
  EXPECT_TRUE(clock.waits.empty());
  EXPECT_EQ(client.breaker().state(), CircuitBreaker::State::closed);
}

TEST(ProviderClient, TheCircuitOpensAfterRepeatedFailuresAndHalfOpensAfterTheCoolDown) {
  test::FakeProviders fake({{"retell", key}});
  Recorded clock;
  auto policy = clock.policy();
  policy.max_retries = 1;
  policy.breaker_failures = 4;
  policy.breaker_cool_down = std::chrono::seconds(30);
  ProviderClient client("retell", fake.base_url("retell"), key, policy);
  fake.inject({{{"path", "get-concurrency"}, {"status", 500}, {"times", 4}}});
  EXPECT_THROW(client.call("GET", "/get-concurrency"), TemporaryError);
  EXPECT_THROW(client.call("GET", "/get-concurrency"), TemporaryError);
  EXPECT_EQ(client.breaker().state(), CircuitBreaker::State::open);
  auto sent = fake.requests().size();
  EXPECT_EQ(sent, 4u);
  try {
    client.call("GET", "/get-concurrency");
    FAIL();
  } catch (const TemporaryError& e) {
    EXPECT_NE(std::string(e.what()).find("the retell circuit is open"), std::string::npos) << e.what();
  }
  EXPECT_EQ(fake.requests().size(), sent) << "no request reaches the server while the circuit is open";
  clock.now += std::chrono::seconds(31);
  EXPECT_EQ(client.call("GET", "/get-concurrency").status, 200) << "the half-open trial goes through";
  EXPECT_EQ(client.breaker().state(), CircuitBreaker::State::closed);
}

TEST(ProviderClient, ADroppedConnectionIsRetriedAndALongRetryAfterIsNotWaited) {
  test::FakeProviders fake({{"vapi", key}});
  Recorded clock;
  ProviderClient client("vapi", fake.base_url("vapi"), key, clock.policy());
  // Twice: libcurl itself retries once a reused connection that dies before answering.
  fake.inject({{{"path", "^/assistant$"}, {"reset", true}, {"times", 2}}});
  EXPECT_EQ(client.call("GET", "/assistant?limit=1").status, 200);
  EXPECT_EQ(clock.waits.size(), 1u) << fake.requests().dump();
  EXPECT_EQ(fake.requests().size(), 3u);
  fake.inject({{{"path", "^/assistant$"}, {"status", 429}, {"retry_after", 3600}, {"times", 1}}});
  try {
    client.call("GET", "/assistant");
    FAIL();
  } catch (const TemporaryError& e) {
    EXPECT_NE(std::string(e.what()).find("asks to wait 3600 s"), std::string::npos) << e.what();
  }
}

TEST(ProviderClient, RetryAfterIsReadAsSecondsMillisecondsOrAnHttpDate) {
  HttpResponse r;
  auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(retry_after_delay(r, now), milliseconds(-1));
  r.retry_after = "2";
  EXPECT_EQ(retry_after_delay(r, now), milliseconds(2000));
  r.retry_after = "Sun, 06 Nov 1994 08:49:47 GMT";
  EXPECT_EQ(retry_after_delay(r, now), milliseconds(10000));
  r.retry_after_ms = "250";
  EXPECT_EQ(retry_after_delay(r, now), milliseconds(250));
  EXPECT_TRUE(retryable_status(409));
  EXPECT_FALSE(retryable_status(404));
}

}  // namespace
}  // namespace wfa
