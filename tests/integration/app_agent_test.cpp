// `wfa app-agent`: the registry, enabling per workspace, grants per member, who may use what, and each module's data
// and actions with the rights of the verbs they stand for.
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

class AppAgent : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  AppAgent() {
    add_partner("acme", "Acme");
    add_workspace("acme", "clinic", "Clinic");
    add_workspace("acme", "shop", "Shop");
    for (auto* email : {"owner@acme.test", "ana@acme.test", "bo@acme.test", "shop@acme.test"}) add_user(email);
    add_workspace_member("acme/clinic", "owner@acme.test", "admin");
    add_workspace_member("acme/clinic", "ana@acme.test", "member");
    add_workspace_member("acme/clinic", "bo@acme.test", "viewer");
    add_workspace_member("acme/shop", "shop@acme.test", "admin");
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config) VALUES ('" + workspace_id("acme/clinic") +
         "', 'Reception', 'vapi', '{}')");
    exec(
        "INSERT INTO conversations (workspace_id, agent_id, provider, external_call_id, status, started_at,"
        " duration_seconds, summary, requires_follow_up) SELECT workspace_id, id, 'vapi', 'call-' || n, 'completed',"
        " now() - n * interval '1 hour', 120, 'summary ' || n, n % 2 = 0 FROM ai_agents, generate_series(1, 4) n");
  }
  nlohmann::json accessible(const std::string& as) {
    return run_json({"app-agent", "accessible", "--as", as})["agents"];
  }
  static std::vector<std::string> keys(const nlohmann::json& agents) {
    std::vector<std::string> out;
    for (const auto& a : agents) out.push_back(a["workspace"].get<std::string>() + ":" + a["key"].get<std::string>());
    return out;
  }
};

TEST_F(AppAgent, AdminsUseEveryEnabledAgentMembersOnlyTheirGrants) {
  auto registry = run_json({"app-agent", "list"})["agents"];
  ASSERT_EQ(registry.size(), 3u);
  EXPECT_EQ(registry[0]["key"], "voice");

  EXPECT_EQ(run({"app-agent", "enable", "voice", "--workspace", "acme/clinic", "--as", "ana@acme.test"}).exit_code, 5)
      << "members may not enable";
  ASSERT_EQ(run({"app-agent", "enable", "voice", "--workspace", "acme/clinic", "--as", "owner@acme.test"}).exit_code,
            0);
  ASSERT_EQ(run({"app-agent", "enable", "sales", "--workspace", "acme/clinic"}).exit_code, 0);
  EXPECT_EQ(run({"app-agent", "enable", "sales", "--workspace", "acme/clinic"}).exit_code, 0) << "twice is fine";
  EXPECT_EQ(run({"app-agent", "enable", "nope", "--workspace", "acme/clinic"}).exit_code, 3);
  ASSERT_EQ(run({"app-agent", "enable", "voice", "--workspace", "acme/shop"}).exit_code, 0);

  EXPECT_EQ(keys(accessible("owner@acme.test")), (std::vector<std::string>{"acme/clinic:voice", "acme/clinic:sales"}));
  EXPECT_TRUE(accessible("ana@acme.test").empty()) << "a member sees nothing until granted";
  EXPECT_EQ(keys(accessible("shop@acme.test")), (std::vector<std::string>{"acme/shop:voice"}));

  EXPECT_EQ(run({"app-agent", "grant", "voice", "shop@acme.test", "--workspace", "acme/clinic"}).exit_code, 3)
      << "only members of the workspace get grants";
  ASSERT_EQ(
      run({"app-agent", "grant", "voice", "ana@acme.test", "--workspace", "acme/clinic", "--as", "owner@acme.test"})
          .exit_code,
      0);
  EXPECT_EQ(keys(accessible("ana@acme.test")), (std::vector<std::string>{"acme/clinic:voice"}));
  auto listed = run_json({"app-agent", "list", "--workspace", "acme/clinic"})["agents"];
  EXPECT_EQ(listed[0]["enabled"], true);
  EXPECT_EQ(listed[0]["members_granted"], 1);
  EXPECT_EQ(listed[2]["enabled"], false);

  ASSERT_EQ(run({"app-agent", "disable", "voice", "--workspace", "acme/clinic"}).exit_code, 0);
  EXPECT_TRUE(accessible("ana@acme.test").empty());
  ASSERT_EQ(run({"app-agent", "enable", "voice", "--workspace", "acme/clinic"}).exit_code, 0);
  EXPECT_EQ(keys(accessible("ana@acme.test")), (std::vector<std::string>{"acme/clinic:voice"})) << "grants kept";
  ASSERT_EQ(run({"app-agent", "revoke", "voice", "ana@acme.test", "--workspace", "acme/clinic"}).exit_code, 0);
  EXPECT_EQ(run({"app-agent", "revoke", "voice", "ana@acme.test", "--workspace", "acme/clinic"}).exit_code, 3);
  EXPECT_TRUE(accessible("ana@acme.test").empty());
  exec("UPDATE workspace_members SET removed_at = now() WHERE user_id = '" + user_id("owner@acme.test") + "'");
  EXPECT_TRUE(accessible("owner@acme.test").empty()) << "a removed member uses nothing";
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action LIKE 'app_agent.%'"), "7");
}

TEST_F(AppAgent, TheVoiceModuleShowsAgentsCallsAndFiguresAndItsActionsNeedTheAgentRights) {
  ASSERT_EQ(run({"app-agent", "enable", "voice", "--workspace", "acme/clinic"}).exit_code, 0);
  ASSERT_EQ(run({"app-agent", "grant", "voice", "bo@acme.test", "--workspace", "acme/clinic"}).exit_code, 0);
  EXPECT_EQ(run({"app-agent", "data", "voice", "--workspace", "acme/clinic", "--as", "ana@acme.test"}).exit_code, 5)
      << "not granted";
  EXPECT_EQ(run({"app-agent", "data", "voice", "--workspace", "acme/shop", "--as", "bo@acme.test"}).exit_code, 5)
      << "not their workspace";
  auto data = run_json({"app-agent", "data", "voice", "--workspace", "acme/clinic", "--as", "bo@acme.test"});
  EXPECT_EQ(data["live_agents"], 1);
  EXPECT_EQ(data["calls_30d"], 4);
  EXPECT_EQ(data["minutes_30d"], 8);
  ASSERT_EQ(data["recent_calls"].size(), 4u);
  EXPECT_EQ(data["recent_calls"][0]["summary"], "summary 1");
  EXPECT_EQ(data["actions"][0]["action"], "activate");
  EXPECT_EQ(data["actions"][0]["params"], "agent=agents.id");

  auto agent = data["agents"][0]["id"].get<std::string>();
  EXPECT_EQ(run({"app-agent", "act", "voice", "deactivate", "--workspace", "acme/clinic", "--param", "agent=" + agent,
                 "--as", "bo@acme.test"})
                .exit_code,
            5)
      << "a viewer may see the agent but not change it";
  EXPECT_EQ(run({"app-agent", "act", "voice", "deactivate", "--workspace", "acme/clinic"}).exit_code, 2)
      << "the agent parameter is missing";
  EXPECT_EQ(run({"app-agent", "act", "voice", "explode", "--workspace", "acme/clinic", "--param", "agent=x"}).exit_code,
            2);
  auto done = run({"app-agent", "act", "voice", "deactivate", "--workspace", "acme/clinic", "--param",
                   "agent=Reception", "--as", "owner@acme.test"});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_EQ(value("SELECT is_active FROM ai_agents"), "f");
  ASSERT_EQ(
      run({"app-agent", "act", "voice", "sync", "--workspace", "acme/clinic", "--param", "agent=" + agent}).exit_code,
      0);
  EXPECT_EQ(value("SELECT needs_resync FROM ai_agents"), "t");
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action IN ('agent.deactivate', 'agent.sync')"), "2");
}

TEST_F(AppAgent, CustomerServiceListsOpenFollowUpsAndClosesOneWithANote) {
  ASSERT_EQ(run({"app-agent", "enable", "customer_service", "--workspace", "acme/clinic"}).exit_code, 0);
  auto data =
      run_json({"app-agent", "data", "customer_service", "--workspace", "acme/clinic", "--as", "owner@acme.test"});
  EXPECT_EQ(data["open_follow_ups"], 2);
  ASSERT_EQ(data["follow_ups"].size(), 2u);
  auto call = data["follow_ups"][0]["id"].get<std::string>();
  EXPECT_EQ(run({"app-agent", "act", "customer_service", "close_follow_up", "--workspace", "acme/clinic", "--param",
                 "call=" + call})
                .exit_code,
            2)
      << "a note is required";
  auto closed = run({"app-agent", "act", "customer_service", "close_follow_up", "--workspace", "acme/clinic", "--param",
                     "call=" + call, "--param", "note=Called back, booked", "--as", "owner@acme.test"});
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  EXPECT_EQ(run({"app-agent", "act", "customer_service", "close_follow_up", "--workspace", "acme/clinic", "--param",
                 "call=" + call, "--param", "note=again"})
                .exit_code,
            3)
      << "closed once";
  EXPECT_EQ(
      value("SELECT follow_up_note || ' by ' || follow_up_closed_by FROM conversations WHERE id = '" + call + "'"),
      "Called back, booked by owner@acme.test");
  auto listed = run_json({"calls", "list", "--workspace", "acme/clinic", "--follow-up"})["calls"];
  EXPECT_EQ(listed.size(), 1u) << "calls list --follow-up leaves the closed one out";
}

TEST_F(AppAgent, SalesListsLocationsAndAProposalForAnUnknownLocationIsOneClearError) {
  ASSERT_EQ(run({"app-agent", "enable", "sales", "--workspace", "acme/clinic"}).exit_code, 0);
  exec("INSERT INTO locations (workspace_id, location_key, display_name) VALUES ('" + workspace_id("acme/clinic") +
       "', 'DXB-001', 'Sheikh Zayed Road')");
  auto data = run_json({"app-agent", "data", "sales", "--workspace", "acme/clinic"});
  EXPECT_EQ(data["locations"][0]["key"], "DXB-001");
  EXPECT_TRUE(data["proposals"].empty());
  auto r = run({"app-agent", "act", "sales", "proposal", "--workspace", "acme/clinic", "--param", "location=NOPE",
                "--param", "client=Gulf Motors"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("NOPE"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace wfa
