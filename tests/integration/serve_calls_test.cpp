// Calls through serve: the voice module's web test call (Retell's access token, VAPI's public key), the microphone
// allowed on /app, and a call that the fake provider rings, ends and reports with a signed webhook that completes the
// conversation `calls start` created.
#include <ctime>
#include <chrono>
#include <string>
#include <thread>

#include "tests/integration/serve_fixture.hpp"
#include "tests/support/fake_providers.hpp"

namespace wfa {
namespace {

using namespace serve_test;

const std::string vapi_key = "vapi-api-key-0123456789";
const std::string retell_key = "key_retell_0123456789abcdef";

class ServeCalls : public ServeApi {
 protected:
  test::FakeProviders fake{{{"vapi", vapi_key}, {"retell", retell_key}, {"synthflow", "sf-key-0123456789"}}};
  std::string init;

  ServeCalls() {
    env["WFA_VAPI_BASE_URL"] = fake.base_url("vapi");
    env["WFA_RETELL_BASE_URL"] = fake.base_url("retell");
    env["WFA_SYNTHFLOW_BASE_URL"] = fake.base_url("synthflow");
    EXPECT_EQ(run({"integration", "set", "acme/main", "vapi"}, vapi_key + "\n").exit_code, 0);
    EXPECT_EQ(run({"integration", "set", "acme/main", "retell"}, retell_key + "\n").exit_code, 0);
    auto ws = workspace_id("acme/main");
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" + ws +
         "', 'Vera', 'vapi', '{}', 'asst-vera'), ('" + ws + "', 'Rhea', 'retell', '{}', 'agent-rhea')");
    EXPECT_EQ(run({"app-agent", "enable", "voice", "--workspace", "acme/main"}).exit_code, 0);
    EXPECT_EQ(run({"app-agent", "grant", "voice", "layla@acme.test", "--workspace", "acme/main"}).exit_code, 0);
    init = sign(layla(now_text()), acme_token);
    restart();  // serve reads the fake's addresses at start
  }

  std::string call(const std::string& method, const std::string& path, const std::string& body = "") {
    Connection c(port);
    c.send(method + " " + path + " HTTP/1.1\r\nHost: app.acme.test\r\nX-Telegram-Init-Data: " + init +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    return c.response();
  }

  std::string test_call(const std::string& agent) {
    return call("POST", "/api/agents/voice/actions?workspace=acme%2Fmain",
                R"({"action":"test_call","agent":")" + agent + "\"}");
  }

  bool eventually(const std::string& sql, const std::string& want) {
    for (int i = 0; i < 150; ++i) {
      if (value(sql) == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return value(sql) == want;
  }
};

TEST_F(ServeCalls, TheAppPageMayUseTheMicrophoneOfItsOwnOriginOnly) {
  Connection c(port);
  c.send(get("/app"));
  auto r = c.response();
  ASSERT_EQ(status_of(r), 200) << r.substr(0, 300);
  EXPECT_NE(r.find("Permissions-Policy: microphone=(self)\r\n"), std::string::npos) << r.substr(0, 600);
}

TEST_F(ServeCalls, TheVoiceModulesTestCallGivesTheBrowserWhatItNeeds) {
  auto data = json::parse(body_of(call("GET", "/api/agents/voice/data?workspace=acme%2Fmain")));
  bool listed = false;
  for (const auto& a : data["actions"]) listed |= a["action"] == "test_call" && a["label"] == "Test call";
  EXPECT_TRUE(listed) << data.dump();

  auto retell = test_call("Rhea");
  ASSERT_EQ(status_of(retell), 200) << retell;
  auto result = json::parse(body_of(retell))["result"];
  EXPECT_EQ(result["provider"], "retell");
  EXPECT_EQ(result["access_token"].get<std::string>().rfind("web-token-", 0), 0u) << result.dump();
  ASSERT_EQ(fake.objects()["retell_web_calls"].size(), 1u);
  EXPECT_EQ(fake.objects()["retell_web_calls"][0]["call_id"], result["call_id"]);
  EXPECT_EQ(fake.objects()["retell_web_calls"][0]["agent_id"], "agent-rhea");
  EXPECT_EQ(fake.objects()["retell_web_calls"][0]["metadata"]["wfa_test"], true);

  auto none = test_call("Vera");
  EXPECT_EQ(status_of(none), 404) << none;
  EXPECT_NE(body_of(none).find("no public key"), std::string::npos) << none;
  auto key_file = file("vapi.pub", "pk_0123456789abcdef\n");
  ASSERT_EQ(run({"integration", "set", "acme/main", "vapi", "--public-key-file", key_file}, vapi_key + "\n").exit_code,
            0);
  auto vapi = test_call("Vera");
  ASSERT_EQ(status_of(vapi), 200) << vapi;
  auto v = json::parse(body_of(vapi))["result"];
  EXPECT_EQ(v["public_key"], "pk_0123456789abcdef");
  EXPECT_EQ(v["assistant_id"], "asst-vera");
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action = 'agent.web_test_call' AND actor = 'layla@acme.test'"),
            "2");
  EXPECT_EQ(
      run({"integration", "set", "acme/main", "retell", "--public-key-file", key_file}, retell_key + "\n").exit_code, 2)
      << "a public key is VAPI's";
}

TEST_F(ServeCalls, ARungCallsSignedEndWebhookCompletesTheConversationCallsStartCreated) {
  auto hook = run_json({"integration", "show", "acme/main", "retell"})["webhook_path"].get<std::string>();
  fake.dial({{"duration_ms", 150},
             {"outcomes", {{"no_answer", 1.0}}},
             {"webhooks",
              {{"retell", {{"url", "http://127.0.0.1:" + std::to_string(port) + hook}, {"secret", retell_key}}}}}});
  auto number = run_json({"number", "create", "retell", "--area-code", "415", "--workspace", "acme/main"})["number"]
                    .get<std::string>();
  auto now = std::time(nullptr);  // 20:00 UTC today: inside the hours of every US zone
  env["WFA_TEST_MODE"] = "1";
  env["WFA_TEST_CLOCK_SHIFT"] = std::to_string(now - now % 86400 + 20 * 3600 - now);
  auto out = run_json({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100", "--from", number});
  auto conversation = out["conversation_id"].get<std::string>();
  ASSERT_TRUE(eventually("SELECT status FROM conversations", "no_answer"))
      << value("SELECT coalesce(string_agg(status || ' ' || coalesce(last_error, ''), '; '), '') FROM webhook_events");
  EXPECT_EQ(count("conversations"), 1) << "the webhook's merge updated the initiated conversation";
  EXPECT_EQ(value("SELECT id FROM conversations"), conversation);
  auto stats = fake.dial_stats();
  EXPECT_EQ(stats["in_flight"], 0);
  EXPECT_EQ(stats["calls"][0]["outcome"], "no_answer");
  EXPECT_EQ(stats["calls"][0]["attempt_id"], out["attempt_id"]);
}

}  // namespace
}  // namespace wfa
