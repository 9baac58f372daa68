// `wfa campaign update` and `wfa campaign due`: the dispatcher's decision for each recipient — do-not-call lists,
// refusals, live calls, retry gaps, the country's attempts per local day and per week, and the calling window of
// every zone, narrowed by the campaign's own — and the campaign's gate.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "tests/integration/campaign_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

/// DialWorld: campaign acme/main/spring, running with an agent, and one recipient per verdict; "now" is Tuesday
/// 2027-01-12 06:00 UTC (10:00 in Dubai, 01:00 in New York).
struct DialWorld : test::CampaignFixture {
  DialWorld() {
    auto ws = workspace_id("acme/main");
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" + ws +
         "', 'Vera', 'vapi', '{}', 'asst-vera')");
    auto csv = file("r.csv",
                    "phone,first_name\n+971501234561,due\n+971501234562,dnc\n+971501234563,refused\n"
                    "+971501234564,today\n+12125550123,us\n+971501234565,live\n+971501234566,gap\n"
                    "+971501234567,week\n");
    auto r = run({"campaign", "import", "acme/main/spring", csv});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    exec("UPDATE campaigns SET status = 'running', agent_id = (SELECT id FROM ai_agents)");
    EXPECT_EQ(run({"dnc", "add", "+971501234562", "--workspace", "acme/main"}).exit_code, 0);
    attempt("+971501234563", "2026-12-01T06:00:00Z", "'2026-12-01T06:01:00Z'", "refused");
    attempt("+971501234564", "2027-01-12T05:30:00Z", "'2027-01-12T05:31:00Z'", "no_answer");
    attempt("+971501234565", "2027-01-12T05:58:00Z", "NULL", "");
    attempt("+971501234567", "2027-01-07T06:00:00Z", "'2027-01-07T06:01:00Z'", "no_answer");
    attempt("+971501234567", "2027-01-09T06:00:00Z", "'2027-01-09T06:01:00Z'", "busy");
    exec("UPDATE campaign_recipients SET next_attempt_at = '2027-01-12T09:00:00Z' WHERE phone = '+971501234566'");
  }

  /// attempt records a dial of PHONE's recipient at REQUESTED, ended at ENDED (SQL, NULL = live) with OUTCOME.
  void attempt(const std::string& phone, const std::string& requested, const std::string& ended,
               const std::string& outcome) {
    exec(
        "INSERT INTO call_attempts (workspace_id, campaign_id, recipient_id, phone_e164, attempt_no, provider,"
        " requested_at, ended_at, outcome) SELECT workspace_id, campaign_id, id, phone, 1, 'vapi', '" +
        requested + "', " + ended + ", " + (outcome.empty() ? "NULL" : "'" + outcome + "'") +
        " FROM campaign_recipients WHERE phone = '" + phone + "'");
  }

  /// verdicts maps each recipient's phone to "VERDICT NEXT_AT" at AT.
  std::map<std::string, std::string> verdicts(const std::string& at, json* doc = nullptr) {
    auto d = run_json({"campaign", "due", "acme/main/spring", "--at", at});
    if (doc) *doc = d;
    std::map<std::string, std::string> out;
    for (const auto& r : d["recipients"])
      out[r["phone"].get<std::string>()] =
          r["verdict"].get<std::string>() + (r["next_at"].is_null() ? "" : " " + r["next_at"].get<std::string>());
    return out;
  }
};

}  // namespace

TEST(CampaignDialing, EachRecipientGetsTheVerdictTheRulesGiveAndWhenItMayNextBeDue) {
  DialWorld w;
  json doc;
  auto v = w.verdicts("2027-01-12T06:00:00Z", &doc);
  EXPECT_EQ(doc["may_dial"], true) << doc.dump();
  EXPECT_EQ(doc["due"], 1);
  EXPECT_EQ(v["+971501234561"], "due");
  EXPECT_EQ(v["+971501234562"], "do_not_call");
  EXPECT_EQ(v["+971501234563"], "refused") << "the UAE ends contact after a refusal";
  EXPECT_EQ(v["+971501234564"], "attempts_day 2027-01-13T05:00:00.000Z") << "once a day in the UAE";
  EXPECT_EQ(v["+12125550123"], "outside_window 2027-01-12T18:00:00.000Z") << "08:00 in Honolulu";
  EXPECT_EQ(v["+971501234565"], "live_call");
  EXPECT_EQ(v["+971501234566"], "retry_gap 2027-01-12T09:00:00.000Z");
  EXPECT_EQ(v["+971501234567"], "attempts_week 2027-01-14T06:00:00.000Z")
      << "twice a week: the 7 January call ages out";

  auto late = w.verdicts("2027-01-12T14:30:00Z");
  EXPECT_EQ(late["+971501234561"], "outside_window 2027-01-13T05:00:00.000Z") << "18:30 in Dubai";
}

TEST(CampaignDialing, TheCampaignsOwnWindowOnlyNarrowsTheLaw) {
  DialWorld w;
  auto r = w.run({"campaign", "update", "acme/main/spring", "--call-days", "mon,wed", "--call-from", "07:00",
                  "--call-to", "20:00", "--retry", "no_answer=2@360", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto shown = json::parse(r.out);
  EXPECT_EQ(shown["call_days"], "mon,wed");
  EXPECT_EQ(shown["retry_policy"]["no_answer"]["max_attempts"], 2);
  EXPECT_EQ(shown["retry_policy"]["busy"]["max_attempts"], 3) << "other outcomes keep theirs";
  auto v = w.verdicts("2027-01-12T06:00:00Z");
  EXPECT_EQ(v["+971501234561"], "outside_window 2027-01-13T05:00:00.000Z")
      << "Tuesday is not a campaign day, and 07:00 cannot widen the law's 09:00";
  EXPECT_EQ(w.value("SELECT count(*) FROM audit_log WHERE action = 'campaign.update'"), "1");
  auto same = w.run({"campaign", "update", "acme/main/spring", "--call-days", "mon,wed"});
  EXPECT_EQ(same.exit_code, 0);
  EXPECT_NE(same.err.find("nothing changed"), std::string::npos) << same.err;

  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--call-from", "18:00", "--call-to", "09:00"},
                                              {"--retry", "hangup=2"},
                                              {"--retry", "busy=99"},
                                              {"--call-days", "someday"},
                                              {"--max-concurrent", "0"}}) {
    std::vector<std::string> args = {"campaign", "update", "acme/main/spring"};
    args.insert(args.end(), bad.begin(), bad.end());
    auto refused = w.run(args);
    EXPECT_EQ(refused.exit_code, 6) << bad.front() << ": " << refused.err;
    EXPECT_EQ(test::lines(refused.err), 1u) << refused.err;
  }
  EXPECT_EQ(w.run({"campaign", "update", "acme/main/spring", "--call-from", "10:00"}).exit_code, 2);
  EXPECT_EQ(w.run({"campaign", "update", "acme/main/spring"}).exit_code, 2);
}

TEST(CampaignDialing, ACampaignThatMayNotDialSaysWhyAndDuesNobody) {
  DialWorld w;
  w.exec("UPDATE campaigns SET status = 'paused', pause_reason = 'insufficient_credit'");
  auto doc = w.run_json({"campaign", "due", "acme/main/spring", "--at", "2027-01-12T06:00:00Z"});
  EXPECT_EQ(doc["may_dial"], false);
  EXPECT_EQ(doc["reason"], "the campaign is paused (insufficient_credit)");
  EXPECT_EQ(doc["due"], 0);
  w.exec("UPDATE campaigns SET status = 'running', ends_at = '2027-01-01T00:00:00Z'");
  doc = w.run_json({"campaign", "due", "acme/main/spring", "--at", "2027-01-12T06:00:00Z"});
  EXPECT_EQ(doc["reason"], "the campaign ended at 2027-01-01T00:00:00.000Z");
  w.exec("UPDATE campaigns SET ends_at = NULL");
  w.exec("UPDATE partners SET credit_at_zero = 'suspend_agents'");
  w.exec("UPDATE workspaces SET per_minute_rate_cents = 10");
  ASSERT_EQ(w.run({"credits", "topup", "acme/main", "0.40"}).exit_code, 0);
  doc = w.run_json({"campaign", "due", "acme/main/spring", "--at", "2027-01-12T06:00:00Z"});
  EXPECT_EQ(doc["reason"], "insufficient_credit") << "one live call reserves 30 cents; 10 left cannot cover another";
  ASSERT_EQ(w.run({"credits", "topup", "acme/main", "0.20"}).exit_code, 0);
  EXPECT_EQ(w.run_json({"campaign", "due", "acme/main/spring", "--at", "2027-01-12T06:00:00Z"})["may_dial"], true);
  w.exec("UPDATE partners SET credit_at_zero = 'allow_overage'");
  ASSERT_EQ(w.run({"credits", "adjust", "acme/main", "-5.60", "--note", "test"}).exit_code, 0);
  EXPECT_EQ(w.run_json({"campaign", "due", "acme/main/spring", "--at", "2027-01-12T06:00:00Z"})["may_dial"], true)
      << "a partner that allows overage never stops on credit";
  auto page = w.run_json({"campaign", "due", "acme/main/spring", "--at", "2027-01-12T06:00:00Z", "--limit", "3"});
  ASSERT_EQ(page["recipients"].size(), 3u);
  auto rest = w.run_json({"campaign", "due", "acme/main/spring", "--at", "2027-01-12T06:00:00Z", "--after",
                          std::to_string(page["next_after"].get<long long>())});
  EXPECT_EQ(rest["recipients"].size(), 5u);
}

TEST(CampaignDialing, StatsCountOutcomesAttemptsTheConnectRateAndTheCallsLengths) {
  DialWorld w;
  auto ws = w.workspace_id("acme/main");
  for (const auto& [id, seconds, micros] :
       {std::tuple<const char*, int, int>{"c-1", 60, 120000}, {"c-2", 180, 300000}}) {
    w.exec(
        "INSERT INTO conversations (workspace_id, agent_id, provider, external_call_id, status, duration_seconds,"
        " total_cost_micros) VALUES ('" +
        ws + "', (SELECT id FROM ai_agents), 'vapi', '" + id + "', 'completed', " + std::to_string(seconds) + ", " +
        std::to_string(micros) + ")");
  }
  w.attempt("+971501234561", "2027-01-11T06:00:00Z", "'2027-01-11T06:01:00Z'", "completed");
  w.exec(
      "UPDATE call_attempts SET conversation_id = (SELECT id FROM conversations WHERE external_call_id = 'c-1')"
      " WHERE phone_e164 = '+971501234561'");
  w.exec(
      "UPDATE call_attempts SET outcome = 'completed', conversation_id = (SELECT id FROM conversations WHERE"
      " external_call_id = 'c-2') WHERE phone_e164 = '+971501234567' AND outcome = 'busy'");
  w.exec(
      "UPDATE campaign_recipients SET status = 'completed', outcome = 'completed' WHERE phone IN ('+971501234561',"
      " '+971501234567')");
  auto doc = w.run_json({"campaign", "stats", "acme/main/spring"});
  EXPECT_EQ(doc["attempts"], 6);
  EXPECT_EQ(doc["live_calls"], 1);
  EXPECT_EQ(doc["attempts_ended"], 5);
  EXPECT_EQ(doc["connected"], 3) << "a refusal is a call someone answered";
  EXPECT_EQ(doc["connect_rate_pct"], "60.00");
  EXPECT_EQ(doc["minutes"], 4);
  EXPECT_EQ(doc["cost_micros"], 420000);
  EXPECT_EQ(doc["duration_p50_s"], 60);
  EXPECT_EQ(doc["duration_p95_s"], 180);
  std::map<std::string, long> by_status;
  for (const auto& row : doc["by_status"]) by_status[row["status"]] = row["recipients"];
  EXPECT_EQ(by_status["completed"], 2);
  EXPECT_EQ(by_status["pending"], 6);
}
