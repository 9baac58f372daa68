// `wfa calls start` and `wfa agent test-call` against the fake VAPI, Retell and Synthflow and the real database: each
// provider's create-call payload field by field, the attempt committed before the dial and completed after it, the
// conversation created as initiated and completed by ingest, and every refusal (caller id, do-not-call, provider).
#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/fake_providers.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

const std::map<std::string, std::string> keys = {
    {"vapi", "sk_calls_vapi_0000000000a1"}, {"retell", "key_calls_retell_11111b2"}, {"synthflow", "sf-calls-2222c3"}};

class CallsStart : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  test::FakeProviders fake{keys};
  std::map<std::string, std::string> numbers;  ///< provider → the caller number the workspace owns there

  CallsStart() {
    // Every US zone is inside its 08:00-21:00 at 20:00 UTC: today's, so the calls below keep the law.
    auto now = std::time(nullptr);
    env["WFA_TEST_MODE"] = "1";
    env["WFA_TEST_CLOCK_SHIFT"] = std::to_string(now - now % 86400 + 20 * 3600 - now);
    add_partner("acme", "Acme", R"({"max_phone_numbers": 10})");
    add_workspace("acme", "main", "Main");
    for (const auto& [provider, key] : keys) {
      env["WFA_" + upper(provider) + "_BASE_URL"] = fake.base_url(provider);
      EXPECT_EQ(run({"integration", "set", "acme/main", provider}, key).exit_code, 0);
    }
    auto ws = workspace_id("acme/main");
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" + ws +
         "', 'Vera', 'vapi', '{}', 'asst-vera'), ('" + ws + "', 'Rhea', 'retell', '{}', 'agent-rhea'), ('" + ws +
         "', 'Sol', 'synthflow', '{}', 'model-sol')");
    for (const auto* provider : {"vapi", "retell"})
      numbers[provider] =
          run_json({"number", "create", provider, "--area-code", "415", "--workspace", "acme/main"})["number"]
              .get<std::string>();
    fake.add_numbers({{"synthflow", json::array({{{"slug", "14155550140"}, {"phone_number", "+14155550140"}}})}});
    numbers["synthflow"] =
        run_json({"number", "adopt", "synthflow", "14155550140", "--workspace", "acme/main"})["number"]
            .get<std::string>();
  }

  /// clock_at sets the clock of every wfa run to ISO (moving on in real time).
  void clock_at(const std::string& iso) {
    auto target = std::stoll(value("SELECT extract(epoch FROM '" + iso + "'::timestamptz)::bigint"));
    env["WFA_TEST_CLOCK_SHIFT"] = std::to_string(target - std::time(nullptr));
  }

  static std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(toupper(c));
    return s;
  }

  /// created is the JSON body of every create-call request PROVIDER got.
  std::vector<json> created(const std::string& provider) {
    static const std::map<std::string, std::string> paths = {
        {"vapi", "/call"}, {"retell", "/v2/create-phone-call"}, {"synthflow", "/calls"}};
    std::vector<json> out;
    for (const auto& r : fake.requests())
      if (r["provider"] == provider && r["method"] == "POST" && r["path"] == paths.at(provider))
        out.push_back(json::parse(r["body"].get<std::string>()));
    return out;
  }

  void one_line(const ProcessResult& r, int exit, const std::string& text) {
    EXPECT_EQ(r.exit_code, exit) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
  }

  /// nothing_dialed: no attempt, no conversation, no create request.
  void nothing_dialed() {
    EXPECT_EQ(count("call_attempts"), 0);
    EXPECT_EQ(count("conversations"), 0);
    for (const auto& [provider, key] : keys) EXPECT_TRUE(created(provider).empty()) << provider;
  }
};

TEST_F(CallsStart, EachProviderGetsItsPayloadFieldByFieldAndTheCallStartsInitiated) {
  const std::map<std::string, std::string> agents = {{"vapi", "Vera"}, {"retell", "Rhea"}, {"synthflow", "Sol"}};
  for (const auto& [provider, agent] : agents) {
    for (bool test : {false, true}) {
      std::vector<std::string> args =
          test ? std::vector<std::string>{"agent", "test-call"} : std::vector<std::string>{"calls", "start"};
      for (const auto& a : {agent, std::string("--workspace"), std::string("acme/main"), std::string("--to"),
                            std::string("+14155550100"), std::string("--from"), numbers[provider], std::string("--var"),
                            std::string("first_name=Ada"), std::string("--var"), std::string("name=Ada L")})
        args.push_back(a);
      auto out = run_json(args);
      SCOPED_TRACE(provider + (test ? " test call" : " call"));
      auto attempt = out["attempt_id"].get<std::string>();
      auto call_id = out["provider_call_id"].get<std::string>();
      EXPECT_FALSE(call_id.empty());
      EXPECT_FALSE(out["conversation_id"].is_null());
      auto bodies = created(provider);
      ASSERT_FALSE(bodies.empty());
      auto body = bodies.back();
      json metadata = {{"wfa_attempt_id", attempt}};
      if (test) metadata["wfa_test"] = true;
      if (provider == "vapi") {
        auto number_id =
            value("SELECT provider_number_id FROM phone_numbers WHERE number = '" + numbers[provider] + "'");
        EXPECT_EQ(body, (json{{"assistantId", "asst-vera"},
                              {"phoneNumberId", number_id},
                              {"customer", {{"number", "+14155550100"}}},
                              {"assistantOverrides", {{"variableValues", {{"first_name", "Ada"}, {"name", "Ada L"}}}}},
                              {"metadata", metadata}}));
      } else if (provider == "retell") {
        EXPECT_EQ(body, (json{{"from_number", numbers[provider]},
                              {"to_number", "+14155550100"},
                              {"override_agent_id", "agent-rhea"},
                              {"retell_llm_dynamic_variables", {{"first_name", "Ada"}, {"name", "Ada L"}}},
                              {"metadata", metadata}}));
      } else {
        auto vars = json::array({{{"key", "first_name"}, {"value", "Ada"}},
                                 {{"key", "name"}, {"value", "Ada L"}},
                                 {{"key", "wfa_attempt_id"}, {"value", attempt}}});
        if (test) vars.push_back({{"key", "wfa_test"}, {"value", "true"}});
        EXPECT_EQ(body, (json{{"model_id", "model-sol"},
                              {"phone", "+14155550100"},
                              {"name", "Ada L"},
                              {"from_phone_number", numbers[provider]},
                              {"custom_variables", vars}}));
      }
      EXPECT_EQ(value("SELECT provider_call_id || ' ' || provider || ' ' || from_number || ' ' || (ended_at IS NULL)"
                      " FROM call_attempts WHERE id = '" +
                      attempt + "'"),
                call_id + " " + provider + " " + numbers[provider] + " true");
      EXPECT_EQ(value("SELECT status || ' ' || direction || ' ' || phone_number || ' ' || (metadata->>'wfa_attempt_id')"
                      " || ' ' || coalesce(metadata->>'wfa_test', 'no') FROM conversations WHERE external_call_id = '" +
                      call_id + "'"),
                "initiated outbound +14155550100 " + attempt + (test ? " true" : " no"));
    }
  }
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action IN ('calls.start', 'agent.test_call')"), "6");
  // VAPI's answers reported the account's limit (subscriptionLimits.concurrencyLimit, the fake's 10): it is kept.
  EXPECT_EQ(value("SELECT string_agg(provider || ':' || coalesce(reported_concurrency::text, '-'), ' ' ORDER BY"
                  " provider) FROM workspace_integrations"),
            "retell:- synthflow:- vapi:10");
}

TEST_F(CallsStart, TheAgentsOwnNumberIsTheDefaultCallerAndNoneIsAClearError) {
  one_line(run({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100"}), 3,
           "no number to call from");
  nothing_dialed();
  exec("UPDATE phone_numbers SET agent_id = (SELECT id FROM ai_agents WHERE name = 'Rhea') WHERE number = '" +
       numbers["retell"] + "'");
  auto out = run_json({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100"});
  EXPECT_EQ(out["from_number"], numbers["retell"]);
  EXPECT_EQ(created("retell").back()["from_number"], numbers["retell"]);
}

TEST_F(CallsStart, ACallerIdTheWorkspaceDoesNotOwnOnThatProviderIsRefused) {
  one_line(
      run({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100", "--from", "+14155559999"}), 3,
      "owns no active retell number +14155559999");
  one_line(
      run({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100", "--from", numbers["vapi"]}), 3,
      "owns no active retell number");
  nothing_dialed();
}

TEST_F(CallsStart, ANumberOnADoNotCallListIsNeverDialed) {
  ASSERT_EQ(run({"dnc", "add", "+14155550100", "--scope", "workspace", "--workspace", "acme/main"}).exit_code, 0);
  one_line(
      run({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100", "--from", numbers["retell"]}),
      4, "do-not-call");
  one_line(run({"agent", "test-call", "Vera", "--workspace", "acme/main", "--to", "+14155550100", "--from",
                numbers["vapi"]}),
           4, "do-not-call");
  nothing_dialed();
}

TEST_F(CallsStart, TheCalledPartysCallingHoursHoldForEveryCallTestCallsToo) {
  // Tuesday 06:00 UTC: 21:00 on Monday in Anchorage and 01:00 in New York; every US zone opens at 18:00 UTC.
  clock_at("2027-01-12T06:00:00Z");
  const std::string closed = "outside US calling hours (08:00-21:00 local); next allowed 2027-01-12T18:00:00.000Z";
  one_line(
      run({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100", "--from", numbers["retell"]}),
      4, closed);
  one_line(run({"calls", "start", "Vera", "--workspace", "acme/main", "--to", "+14155550100", "--from", numbers["vapi"],
                "--dry-run"}),
           4, closed);
  one_line(run({"agent", "test-call", "Vera", "--workspace", "acme/main", "--to", "+14155550100", "--from",
                numbers["vapi"]}),
           4, closed);
  auto refused = run({"calls", "start", "Sol", "--workspace", "acme/main", "--to", "+14155550100"});
  one_line(refused, 4, "may not be called now: it is mon 21:00 in America/Anchorage");
  // 16:00 UTC is 20:00 in Dubai: the UAE's 09:00-18:00 is closed until 05:00 UTC the next day.
  clock_at("2027-01-12T16:00:00Z");
  one_line(run({"calls", "start", "Sol", "--workspace", "acme/main", "--to", "+971501234567"}), 4,
           "it is tue 20:00 in Asia/Dubai, outside AE calling hours (09:00-18:00 local); next allowed "
           "2027-01-13T05:00:00.000Z");
  nothing_dialed();
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action IN ('calls.start', 'agent.test_call')"), "0");
  // Once every zone is open the same call goes through.
  clock_at("2027-01-12T18:00:30Z");
  auto ok =
      run({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100", "--from", numbers["retell"]});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(created("retell").size(), 1u);
}

TEST_F(CallsStart, BadInputIsRefusedBeforeAnything) {
  one_line(run({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "12", "--from", numbers["retell"]}), 6,
           "--to");
  one_line(run({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100", "--var", "no equals"}), 2,
           "--var");
  one_line(
      run({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100", "--var", "wfa_attempt_id=x"}),
      2, "--var");
  one_line(run({"calls", "start", "Nobody", "--workspace", "acme/main", "--to", "+14155550100"}), 3, "Nobody");
  exec("UPDATE ai_agents SET external_agent_id = NULL WHERE name = 'Rhea'");
  one_line(
      run({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100", "--from", numbers["retell"]}),
      4, "not at retell yet");
  nothing_dialed();
  auto dry = run_json({"calls", "start", "Vera", "--workspace", "acme/main", "--to", "+14155550100", "--from",
                       numbers["vapi"], "--dry-run"});
  EXPECT_EQ(json::parse(dry["body"].get<std::string>())["customer"]["number"], "+14155550100");
  nothing_dialed();
}

TEST_F(CallsStart, AProviderFailureEndsTheAttemptFailedWithNothingHalfWritten) {
  fake.inject({{{"provider", "retell"},
                {"path", "^/v2/create-phone-call$"},
                {"status", 503},
                {"times", 5},
                {"body", json{{"error_message", "upstream telephony down"}}}}});
  auto r =
      run({"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100", "--from", numbers["retell"]});
  one_line(r, 7, "upstream telephony down");
  EXPECT_EQ(created("retell").size(), 1u) << "a create-call POST is never retried";
  EXPECT_EQ(value("SELECT outcome || ' ' || (ended_at IS NOT NULL) || ' ' || (provider_call_id IS NULL) FROM"
                  " call_attempts"),
            "failed true true");
  EXPECT_EQ(count("conversations"), 0);

  fake.inject({{{"provider", "vapi"},
                {"path", "^/call$"},
                {"status", 400},
                {"times", 1},
                {"body", json{{"message", "phoneNumberId is not active"}}}}});
  one_line(
      run({"calls", "start", "Vera", "--workspace", "acme/main", "--to", "+14155550100", "--from", numbers["vapi"]}), 6,
      "phoneNumberId is not active");
  EXPECT_EQ(value("SELECT count(*) FROM call_attempts WHERE outcome = 'failed'"), "2");
  EXPECT_EQ(count("conversations"), 0);
}

TEST_F(CallsStart, AConcurrencyRefusalIsNoAttempt) {
  fake.dial({{"refuse_over", 0}});
  one_line(run({"calls", "start", "Sol", "--workspace", "acme/main", "--to", "+14155550100"}), 7, "concurrency");
  EXPECT_EQ(count("call_attempts"), 0) << "refused for want of a slot: no call, no attempt";
  EXPECT_EQ(count("conversations"), 0);
  EXPECT_EQ(fake.dial_stats()["refused"], 1);
}

TEST_F(CallsStart, TheCallRingsEndsAndIngestCompletesTheSameConversation) {
  fake.dial({{"duration_ms", 100}, {"outcomes", {{"completed", 1.0}}}});
  auto out = run_json(
      {"calls", "start", "Rhea", "--workspace", "acme/main", "--to", "+14155550100", "--from", numbers["retell"]});
  for (int i = 0; i < 100 && fake.dial_stats()["in_flight"] != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto stats = fake.dial_stats();
  ASSERT_EQ(stats["calls"].size(), 1u);
  EXPECT_EQ(stats["calls"][0]["attempt_id"], out["attempt_id"]);
  EXPECT_EQ(stats["calls"][0]["outcome"], "completed");
  EXPECT_EQ(stats["max_in_flight"], 1);
  auto ingest = run(
      {"calls", "ingest", "--provider", "retell", "--from-api", "--workspace", "acme/main", "--since", "2020-01-01"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_EQ(count("conversations"), 1) << "the ingest updated the initiated conversation";
  EXPECT_EQ(value("SELECT status || ' ' || (id::text = '" + out["conversation_id"].get<std::string>() +
                  "') FROM conversations"),
            "completed true");
}

}  // namespace
}  // namespace wfa
