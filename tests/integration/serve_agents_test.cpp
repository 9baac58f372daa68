// The Mini App's agent and invitation routes on the real server: only permitted agents, module data and actions with
// the verbs' rights, a cache a CLI mutation empties within a second, and one failing module leaving the others alone.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "tests/integration/serve_fixture.hpp"

namespace wfa {
namespace {

using namespace serve_test;

class ServeAgents : public ServeApi {
 protected:
  std::string init;
  ServeAgents() {
    init = sign(layla(now_text()), acme_token);
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config) VALUES ('" + workspace_id("acme/main") +
         "', 'Reception', 'vapi', '{}')");
    exec(
        "INSERT INTO conversations (workspace_id, agent_id, provider, external_call_id, status, started_at,"
        " duration_seconds, summary, requires_follow_up) SELECT workspace_id, id, 'vapi', 'call-' || n, 'completed',"
        " now() - n * interval '1 hour', 60, 'summary ' || n, n = 1 FROM ai_agents, generate_series(1, 3) n");
    for (auto* key : {"voice", "sales", "customer_service"})
      EXPECT_EQ(run({"app-agent", "enable", key, "--workspace", "acme/main"}).exit_code, 0);
    EXPECT_EQ(run({"app-agent", "grant", "voice", "layla@acme.test", "--workspace", "acme/main"}).exit_code, 0);
  }
  std::string call(const std::string& method, const std::string& path, const std::string& body = "",
                   const std::string& host = "app.acme.test") {
    Connection c(port);
    c.send(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nX-Telegram-Init-Data: " + init +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    return c.response();
  }
  std::vector<std::string> accessible() {
    auto r = call("GET", "/api/agents/accessible");
    EXPECT_EQ(status_of(r), 200) << r;
    std::vector<std::string> keys;
    auto doc = json::parse(body_of(r));
    for (const auto& a : doc["agents"]) keys.push_back(a["key"].get<std::string>());
    return keys;
  }
  /// within_a_second polls until WANT holds, for at most a second.
  template <class F>
  bool within_a_second(F&& want) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    do {
      if (want()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < until);
    return want();
  }
};

TEST_F(ServeAgents, CardsAreExactlyTheGrantedAgentsAndACliChangeReachesTheCacheWithinASecond) {
  EXPECT_EQ(accessible(), std::vector<std::string>{"voice"});
  EXPECT_EQ(accessible(), std::vector<std::string>{"voice"});  // from the cache now
  ASSERT_EQ(run({"app-agent", "grant", "customer_service", "layla@acme.test", "--workspace", "acme/main"}).exit_code,
            0);
  EXPECT_TRUE(within_a_second([&] { return accessible() == std::vector<std::string>{"voice", "customer_service"}; }));
  ASSERT_EQ(run({"app-agent", "revoke", "voice", "layla@acme.test", "--workspace", "acme/main"}).exit_code, 0);
  EXPECT_TRUE(within_a_second([&] { return accessible() == std::vector<std::string>{"customer_service"}; }));
  auto metrics = body_of(call("GET", "/metrics"));
  EXPECT_NE(metrics.find("wfa_serve_cache_hits_total{pool=\"catalog\"}"), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("wfa_serve_cache_hits_total{pool=\"catalog\"} 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("wfa_serve_change_feed_up 1"), std::string::npos) << metrics;

  ASSERT_EQ(run({"member", "remove", "layla@acme.test", "--workspace", "acme/main", "--yes"}).exit_code, 0);
  EXPECT_TRUE(within_a_second([&] { return accessible().empty(); })) << "a removed member loses every card at once";
  auto data = call("GET", "/api/agents/customer_service/data?workspace=acme%2Fmain");
  EXPECT_EQ(status_of(data), 403) << data;
  EXPECT_EQ(body_of(data).find("summary"), std::string::npos) << "nothing leaks: " << data;
}

TEST_F(ServeAgents, ModuleDataAndActionsRunWithTheVerbsRightsAndStayInsideTheTenant) {
  auto data = call("GET", "/api/agents/voice/data?workspace=acme%2Fmain");
  ASSERT_EQ(status_of(data), 200) << data;
  auto doc = json::parse(body_of(data));
  EXPECT_EQ(doc["data"]["calls_30d"], 3);
  ASSERT_EQ(doc["data"]["agents"].size(), 1u);
  EXPECT_EQ(doc["actions"][0]["params"][0]["from"], "agents.id");
  auto agent = doc["data"]["agents"][0]["id"].get<std::string>();

  EXPECT_EQ(status_of(call("GET", "/api/agents/sales/data?workspace=acme%2Fmain")), 403) << "sales is not granted";
  add_workspace("zeta", "other", "Other");
  EXPECT_EQ(status_of(call("GET", "/api/agents/voice/data?workspace=zeta%2Fother")), 404)
      << "another partner's workspace is not there";
  EXPECT_EQ(status_of(call("GET", "/api/agents/voice/data?workspace=acme%2Fmain", "", "app.zeta.test")), 401)
      << "another partner's host checks with another bot";
  EXPECT_EQ(status_of(call("GET", "/api/agents/nope/data?workspace=acme%2Fmain")), 404);
  EXPECT_EQ(status_of(call("POST", "/api/agents/voice/data?workspace=acme%2Fmain")), 405);

  auto refused = call("POST", "/api/agents/voice/actions?workspace=acme%2Fmain",
                      R"({"action":"deactivate","agent":")" + agent + "\"}");
  EXPECT_EQ(status_of(refused), 403) << "a member may use the agent but not change it: " << refused;
  EXPECT_EQ(status_of(call("POST", "/api/agents/voice/actions?workspace=acme%2Fmain", "not json")), 422);
  exec("UPDATE workspace_members SET role = 'admin' WHERE user_id = '" + user_id("layla@acme.test") + "'");
  auto done = call("POST", "/api/agents/voice/actions?workspace=acme%2Fmain",
                   R"({"action":"deactivate","agent":")" + agent + "\"}");
  ASSERT_EQ(status_of(done), 200) << done;
  EXPECT_EQ(json::parse(body_of(done))["ok"], true);
  auto after = json::parse(body_of(call("GET", "/api/agents/voice/data?workspace=acme%2Fmain")));
  EXPECT_EQ(after["data"]["agents"][0]["is_active"], false) << "the data after an action is fresh";
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action = 'agent.deactivate' AND actor = 'layla@acme.test'"),
            "1");
}

TEST_F(ServeAgents, OneFailingModuleAnswersItsOwnRequestsWithAnErrorAndTheOthersGoOn) {
  exec("UPDATE workspace_members SET role = 'admin' WHERE user_id = '" + user_id("layla@acme.test") + "'");
  exec("ALTER TABLE proposals_log RENAME COLUMN client_name TO client_name_gone");  // a module broken by schema drift
  for (int i = 0; i < 5; ++i) {
    auto broken = call("GET", "/api/agents/sales/data?workspace=acme%2Fmain");
    EXPECT_EQ(status_of(broken), 500) << broken;
  }
  auto open = call("GET", "/api/agents/sales/data?workspace=acme%2Fmain");
  EXPECT_EQ(status_of(open), 503) << "the circuit is open: " << open;
  EXPECT_NE(open.find("Retry-After: "), std::string::npos);
  EXPECT_EQ(status_of(call("GET", "/api/agents/voice/data?workspace=acme%2Fmain")), 200);
  EXPECT_EQ(status_of(call("GET", "/api/agents/customer_service/data?workspace=acme%2Fmain")), 200);
  EXPECT_EQ(status_of(call("GET", "/api/agents/accessible")), 200);
  auto metrics = body_of(call("GET", "/metrics"));
  EXPECT_NE(metrics.find("wfa_serve_circuit_state{module=\"sales\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("wfa_serve_circuit_state{module=\"voice\"} 0"), std::string::npos) << metrics;
  exec("ALTER TABLE proposals_log RENAME COLUMN client_name_gone TO client_name");
}

TEST_F(ServeAgents, AdminsListCreateAndRevokeInvitationsAndMembersMayNot) {
  EXPECT_EQ(status_of(call("POST", "/api/org/invitations", R"({"workspace":"acme/main","email":"new@acme.test"})")),
            403);
  exec("UPDATE workspace_members SET role = 'admin' WHERE user_id = '" + user_id("layla@acme.test") + "'");
  auto created =
      call("POST", "/api/org/invitations", R"({"workspace":"acme/main","email":"new@acme.test","role":"member"})");
  ASSERT_EQ(status_of(created), 201) << created;
  auto listed = call("GET", "/api/org/invitations?workspace=acme%2Fmain");
  ASSERT_EQ(status_of(listed), 200) << listed;
  auto invitations = json::parse(body_of(listed))["invitations"];
  ASSERT_EQ(invitations.size(), 1u) << listed;
  auto id = invitations[0]["id"].get<std::string>();
  add_workspace("zeta", "other", "Other");
  exec("INSERT INTO workspace_invitations (workspace_id, email, role, token_hash, expires_at, invited_by) VALUES ('" +
       workspace_id("zeta/other") + "', 'x@zeta.test', 'member', 'h', now() + interval '1 day', 't')");
  auto foreign = value("SELECT id FROM workspace_invitations WHERE email = 'x@zeta.test'");
  EXPECT_EQ(status_of(call("DELETE", "/api/org/invitations/" + foreign)), 404);
  auto revoked = call("DELETE", "/api/org/invitations/" + id);
  ASSERT_EQ(status_of(revoked), 200) << revoked;
  EXPECT_EQ(value("SELECT status FROM workspace_invitations WHERE id = '" + id + "'"), "revoked");
  EXPECT_EQ(status_of(call("PUT", "/api/org/invitations")), 405);
}

TEST_F(ServeAgents, AFirstVisitThroughAnInvitationLinkMakesTheTelegramAccountAMember) {
  auto created =
      run({"invite", "create", "omar@acme.test", "--workspace", "acme/main", "--role", "member", "-o", "json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  auto token = json::parse(created.out)["token"].get<std::string>();
  auto omar = [&](const std::string& start_param) {
    std::map<std::string, std::string> fields{{"auth_date", now_text()},
                                              {"user", R"({"id":6000000000001,"first_name":"Omar"})"}};
    if (!start_param.empty()) fields["start_param"] = start_param;
    init = sign(fields, acme_token);
    return call("GET", "/api/user");
  };
  EXPECT_EQ(status_of(omar("")), 403) << "not a member, no invitation";
  EXPECT_EQ(status_of(omar("not-a-token")), 403);
  EXPECT_EQ(status_of(omar(token)), 200) << "the invitation makes them a member";
  EXPECT_EQ(value("SELECT telegram_id FROM users WHERE email = 'omar@acme.test'"), "6000000000001");
  auto again = omar("");
  ASSERT_EQ(status_of(again), 200) << "linked for good: " << again;
  EXPECT_EQ(json::parse(body_of(again))["workspaces"][0]["workspace"], "acme/main");
  EXPECT_EQ(value("SELECT status FROM workspace_invitations WHERE email = 'omar@acme.test'"), "accepted");
}

TEST_F(ServeAgents, SigtermAnswersEveryRequestInFlightAndHealthNeverWaitsForTheDatabase) {
  // Requests that miss the caches wait on a locked table; the I/O threads must go on answering meanwhile, and a
  // graceful stop must answer every waiting request before the process exits 0.
  pqxx::connection locker(db.url());
  pqxx::work lock(locker);
  lock.exec("LOCK TABLE workspaces IN ACCESS EXCLUSIVE MODE");
  std::vector<std::unique_ptr<Connection>> waiting;
  for (int i = 0; i < 8; ++i) {
    waiting.push_back(std::make_unique<Connection>(port));
    waiting.back()->send("GET /api/org HTTP/1.1\r\nHost: app.acme.test\r\nX-Telegram-Init-Data: " + init + "\r\n\r\n");
  }
  bool blocked = within_a_second(
      [&] { return value("SELECT count(*) >= 4 FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == "t"; });
  ASSERT_TRUE(blocked) << "the requests should be waiting on the lock";
  auto started = std::chrono::steady_clock::now();
  Connection health(port);
  health.send(get("/health"));
  EXPECT_EQ(status_of(health.response()), 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(500))
      << "the I/O threads do not wait on the database";
  ::kill(pid, SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  lock.abort();
  for (auto& c : waiting) {
    auto r = c->response();
    EXPECT_EQ(status_of(r), 200) << "no request in flight is dropped: " << r;
    EXPECT_NE(r.find("\"acme/main\""), std::string::npos) << r;
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  pid = -1;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

}  // namespace
}  // namespace wfa
