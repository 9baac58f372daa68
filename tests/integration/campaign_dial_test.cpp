// Issue 29's acceptance: a 2,000-recipient campaign across the UAE and three US zones dialed through the fake VAPI by
// four `wfa worker` processes, the calls' ends arriving as signed webhooks at `wfa serve`, with the clock set (two
// instants of one Tuesday, so each country's hours open and close), a worker killed (kill -9) mid-run, a pause and a
// resume, and every do-not-call scope.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "tests/integration/job_fixture.hpp"
#include "tests/support/fake_providers.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

/// DialRun: workspace acme/main with VAPI at the fake, agent Vera, caller id +97145550100, campaign spring.
struct DialRun : test::JobFixture {
  test::FakeProviders fake{{{"vapi", "vapi-dial-key"}}};
  pid_t serve = -1;
  std::vector<pid_t> dialers;

  DialRun() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    exec(
        "INSERT INTO campaigns (workspace_id, name, timezone, created_by) SELECT id, 'spring', 'UTC', 'test' FROM"
        " workspaces");
    env["WFA_VAPI_BASE_URL"] = fake.base_url("vapi");
    env["WFA_MAX_CALL_SECONDS"] = "5";
    env["WFA_PROVIDER_TIMEOUT"] = "3";
    EXPECT_EQ(run({"integration", "set", "acme/main", "vapi"}, "vapi-dial-key").exit_code, 0);
    EXPECT_EQ(run({"integration", "webhook-secret", "acme/main", "vapi"}, "vapi-dial-hook-secret").exit_code, 0);
    exec("UPDATE workspace_integrations SET max_concurrent_calls = 40");
    auto ws = workspace_id("acme/main");
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" + ws +
         "', 'Vera', 'vapi', '{}', 'asst-vera')");
    exec("INSERT INTO phone_numbers (workspace_id, provider, number, provider_number_id, source) VALUES ('" + ws +
         "', 'vapi', '+97145550100', 'pn-1', 'provider')");
    start_serve();
  }
  ~DialRun() {
    for (auto pid : dialers) ::kill(pid, SIGKILL), ::waitpid(pid, nullptr, 0);
    if (serve > 0) ::kill(serve, SIGKILL), ::waitpid(serve, nullptr, 0);
  }

  void start_serve() {
    auto log = (dir.path() / "serve.log").string();
    serve = test::spawn_wfa({"serve", "--listen", "127.0.0.1:0", "--threads", "2"}, env, "", log);
    int port = 0;
    test::eventually(
        [&] {
          std::ifstream in(log);
          std::string line;
          while (std::getline(in, line))
            if (line.rfind("listening on 127.0.0.1:", 0) == 0) port = std::stoi(line.substr(23));
          return port != 0;
        },
        20);
    ASSERT_NE(port, 0) << "serve did not start";
    auto shown = run_json({"integration", "show", "acme/main", "vapi"});
    fake.dial({{"duration_ms", 300},
               {"outcomes",
                {{"completed", 0.5},
                 {"no_answer", 0.2},
                 {"busy", 0.1},
                 {"voicemail", 0.1},
                 {"refused", 0.05},
                 {"opted_out", 0.05}}},
               {"webhooks",
                {{"vapi",
                  {{"url", "http://127.0.0.1:" + std::to_string(port) + shown["webhook_path"].get<std::string>()},
                   {"secret", "vapi-dial-hook-secret"}}}}},
               {"reset_stats", true}});
  }

  /// at_clock starts N workers whose clock reads ISO now (and moves on in real time).
  void workers_at(const std::string& iso, int n) {
    auto target = std::stoll(value("SELECT extract(epoch FROM '" + iso + "'::timestamptz)::bigint"));
    env["WFA_TEST_CLOCK_SHIFT"] = std::to_string(target - std::time(nullptr));
    for (int i = 0; i < n; ++i) dialers.push_back(worker({"--concurrency", "1", "--rescue-after", "3"}));
  }
  void stop_workers() {
    for (auto pid : dialers) ::kill(pid, SIGKILL), ::waitpid(pid, nullptr, 0);
    dialers.clear();
    workers.clear();
  }
  long recipients(const std::string& where) {
    return std::stol(value("SELECT count(*) FROM campaign_recipients WHERE " + where));
  }
};

/// recipients_csv: 800 UAE numbers (no zone: the country's one), then 400 each in New York, Chicago and Los Angeles.
std::string recipients_csv() {
  std::string csv = "phone,first_name,timezone\n";
  const char* zones[] = {"America/New_York", "America/Chicago", "America/Los_Angeles"};
  const char* areas[] = {"212", "312", "213"};
  for (int i = 0; i < 800; ++i) csv += "+9715012" + std::to_string(10000 + i) + ",U" + std::to_string(i) + ",\n";
  for (int z = 0; z < 3; ++z)
    for (int i = 0; i < 400; ++i)
      csv += "+1" + std::string(areas[z]) + "555" + std::to_string(1000 + i) + ",A" + std::to_string(i) + "," +
             zones[z] + "\n";
  return csv;
}

}  // namespace

TEST(CampaignDial, TwoThousandRecipientsFourWorkersTheLawTheCapsAndACrash) {
  DialRun w;
  auto csv = w.file("r.csv", recipients_csv());
  ASSERT_EQ(w.run({"campaign", "import", "acme/main/spring", csv}).exit_code, 0);
  // One of each do-not-call scope.
  ASSERT_EQ(w.run({"dnc", "add", "+971501210001", "--workspace", "acme/main"}).exit_code, 0);
  ASSERT_EQ(w.run({"dnc", "add", "+971501210002", "--scope", "partner", "--partner", "acme"}).exit_code, 0);
  ASSERT_EQ(w.run({"dnc", "add", "+12125551003", "--scope", "platform"}).exit_code, 0);
  w.exec("UPDATE campaigns SET agent_id = (SELECT id FROM ai_agents)");
  ASSERT_EQ(w.run({"campaign", "update", "acme/main/spring", "--max-concurrent", "30", "--calls-per-minute", "60000",
                   "--from-number", "+97145550100", "--retry", "no_answer=1", "--retry", "busy=1", "--retry",
                   "voicemail=1", "--retry", "failed=1"})
                .exit_code,
            0);
  auto scheduled = w.run(
      {"campaign", "schedule", "acme/main/spring", "--now", "--end", "2027-01-20T00:00:00Z", "--dispatchers", "4"});
  ASSERT_EQ(scheduled.exit_code, 0) << scheduled.err;

  // 13:30 UTC: 17:30 in Dubai and 08:30 in New York are open; Chicago (07:30) and Los Angeles (05:30) are not.
  w.workers_at("2027-01-12T13:30:00Z", 4);
  ASSERT_TRUE(test::eventually([&] { return w.recipients("status <> 'pending'") > 300; }, 60))
      << w.log(0)
      << w.value(
             "SELECT string_agg(s, '; ') FROM (SELECT status || ' ' || count(*) s FROM"
             " campaign_recipients GROUP BY status) x");
  ::kill(w.dialers[1], SIGKILL);  // one dispatcher dies mid-run; its job is rescued by another worker
  // Pause: no new call within a second; resume: dialing goes on.
  ASSERT_EQ(w.run({"campaign", "pause", "acme/main/spring"}).exit_code, 0);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto created = w.fake.dial_stats()["created"].get<long>();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(w.fake.dial_stats()["created"].get<long>(), created) << "paused: no new dial after a second";
  ASSERT_EQ(w.run({"campaign", "resume", "acme/main/spring", "--dispatchers", "4"}).exit_code, 0);
  ASSERT_TRUE(test::eventually(
      [&] {
        return w.recipients(
                   "status IN ('pending', 'queued', 'calling') AND (timezone IS NULL OR timezone ="
                   " 'America/New_York')") == 0;
      },
      90))
      << w.value(
             "SELECT string_agg(status || ':' || n, ' ') FROM (SELECT status, count(*) n FROM"
             " campaign_recipients GROUP BY status) s");
  EXPECT_EQ(w.value("SELECT status FROM campaigns"), "running") << "Chicago and Los Angeles are still to call";
  EXPECT_EQ(w.recipients("timezone IN ('America/Chicago', 'America/Los_Angeles') AND status <> 'pending'"), 0);
  w.stop_workers();

  // 16:30 UTC: Dubai (20:30) is closed; Chicago (10:30) and Los Angeles (08:30) are open.
  w.workers_at("2027-01-12T16:30:00Z", 4);
  ASSERT_TRUE(test::eventually([&] { return w.value("SELECT status FROM campaigns") == "completed"; }, 90)) << w.value(
      "SELECT string_agg(status || ':' || n, ' ') FROM (SELECT status, count(*) n FROM"
      " campaign_recipients GROUP BY status) s");
  w.stop_workers();

  auto stats = w.fake.dial_stats();
  EXPECT_LE(stats["max_in_flight"].get<int>(), 30) << "the campaign's cap (the account's is 40)";
  // No recipient with two overlapping calls; each dialed once (one attempt in the policy).
  std::map<std::string, int> per_number;
  for (const auto& c : stats["calls"]) ++per_number[c["to"].get<std::string>()];
  for (const auto& [number, n] : per_number) EXPECT_EQ(n, 1) << number << " dialed " << n << " times";
  EXPECT_EQ(w.value("SELECT count(*) FROM call_attempts WHERE ended_at IS NULL"), "0") << "none left live";
  EXPECT_EQ(w.recipients("status IN ('pending', 'queued', 'calling')"), 0) << "no recipient lost";
  // Every call inside its recipient's hours, in the recipient's zone, at the instant it was placed.
  EXPECT_EQ(w.value("SELECT count(*) FROM call_attempts a JOIN campaign_recipients r ON r.id = a.recipient_id WHERE"
                    " NOT (CASE WHEN r.timezone IS NULL THEN (a.requested_at AT TIME ZONE 'Asia/Dubai')::time"
                    " BETWEEN '09:00' AND '18:00' ELSE (a.requested_at AT TIME ZONE r.timezone)::time BETWEEN"
                    " '08:00' AND '21:00' END)"),
            "0");
  EXPECT_EQ(w.recipients("phone IN ('+971501210001', '+971501210002', '+12125551003') AND status = 'skipped' AND"
                         " skip_reason = 'do_not_call'"),
            3);
  // Refusals and opt-outs ended contact and put the number on the workspace's list.
  EXPECT_EQ(w.value("SELECT count(*) FROM campaign_recipients r WHERE r.outcome IN ('refused', 'opted_out') AND NOT"
                    " EXISTS (SELECT 1 FROM do_not_call d WHERE d.phone_e164 = r.phone)"),
            "0");
  EXPECT_GT(std::stol(w.value("SELECT count(*) FROM campaign_recipients WHERE outcome IN ('refused', 'opted_out')")),
            0);
  EXPECT_EQ(w.value("SELECT count(*) FROM campaigns c WHERE c.status_changed_at < (SELECT max(ended_at) FROM"
                    " call_attempts)"),
            "0")
      << "completed when the last call ended, not before";
}

TEST(CampaignDial, RunInTheForegroundPausesTheCampaignOnCtrlC) {
  DialRun w;
  w.fake.dial({{"duration_ms", 60000}, {"outcomes", {{"completed", 1.0}}}, {"reset_stats", true}});
  auto csv = w.file("r.csv", recipients_csv());
  ASSERT_EQ(w.run({"campaign", "import", "acme/main/spring", csv}).exit_code, 0);
  w.exec("UPDATE campaigns SET agent_id = (SELECT id FROM ai_agents), max_concurrent = 5");
  ASSERT_EQ(w.run({"campaign", "update", "acme/main/spring", "--from-number", "+97145550100"}).exit_code, 0);
  ASSERT_EQ(w.run({"campaign", "schedule", "acme/main/spring", "--now", "--end", "2027-01-20T00:00:00Z",
                   "--dispatchers", "0"})
                .exit_code,
            0);
  auto target = std::stoll(w.value("SELECT extract(epoch FROM '2027-01-12T06:00:00Z'::timestamptz)::bigint"));
  w.env["WFA_TEST_CLOCK_SHIFT"] = std::to_string(target - std::time(nullptr));
  auto log = (w.dir.path() / "run.log").string();
  auto pid = test::spawn_wfa({"campaign", "run", "acme/main/spring"}, w.env, "", log);
  ASSERT_TRUE(test::eventually([&] { return w.fake.dial_stats()["created"].get<int>() == 5; }, 30));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(w.fake.dial_stats()["created"].get<int>(), 5) << "the campaign's cap of 5";
  ::kill(pid, SIGINT);
  EXPECT_EQ(test::exited(pid, 3), 130);
  EXPECT_EQ(w.value("SELECT status || ' ' || pause_reason FROM campaigns"), "paused interrupted");
  EXPECT_EQ(w.value("SELECT count(*) FROM call_attempts WHERE provider_call_id IS NOT NULL"), "5")
      << "every answer recorded before it stopped";
  EXPECT_EQ(w.value("SELECT count(*) FROM conversations WHERE status = 'initiated'"), "5");
}

// Workers killed (kill -9) at random points while they dial, five times over, new ones started each time: after
// reconciliation no recipient had two overlapping calls (wfa's attempts and the fake's own record), none is left
// calling, every one is terminal, every call the fake took is known to wfa, and the campaign completed once. The
// seed is printed; WFA_TEST_SEED repeats a run.
TEST(CampaignDial, WorkersKilledAtRandomPointsNeverCallARecipientTwiceAtOnceNorLoseOne) {
  DialRun w;
  unsigned seed = std::getenv("WFA_TEST_SEED") ? static_cast<unsigned>(std::stoul(std::getenv("WFA_TEST_SEED")))
                                               : std::random_device{}();
  std::cout << "[ kill -9 loop ] seed=" << seed << " (WFA_TEST_SEED=" << seed << " repeats it)" << std::endl;
  ::testing::Test::RecordProperty("seed", static_cast<int>(seed));
  std::mt19937 random(seed);
  w.fake.dial({{"duration_ms", 600},
               {"outcomes", {{"completed", 0.6}, {"no_answer", 0.2}, {"busy", 0.1}, {"voicemail", 0.1}}}});
  std::string csv = "phone\n";
  for (int i = 0; i < 150; ++i) csv += "+9715013" + std::to_string(10000 + i) + "\n";
  ASSERT_EQ(w.run({"campaign", "import", "acme/main/spring", w.file("r.csv", csv)}).exit_code, 0);
  w.exec("UPDATE campaigns SET agent_id = (SELECT id FROM ai_agents)");
  ASSERT_EQ(w.run({"campaign", "update", "acme/main/spring", "--max-concurrent", "10", "--calls-per-minute", "60000",
                   "--from-number", "+97145550100", "--retry", "no_answer=1", "--retry", "busy=1", "--retry",
                   "voicemail=1", "--retry", "failed=1"})
                .exit_code,
            0);
  ASSERT_EQ(w.run({"campaign", "schedule", "acme/main/spring", "--now", "--end", "2027-01-20T00:00:00Z",
                   "--dispatchers", "2"})
                .exit_code,
            0);
  // 08:00 UTC is noon in Dubai, inside the UAE's 09:00-18:00; one clock for every worker of the run.
  auto target = std::stoll(w.value("SELECT extract(epoch FROM '2027-01-12T08:00:00Z'::timestamptz)::bigint"));
  w.env["WFA_TEST_CLOCK_SHIFT"] = std::to_string(target - std::time(nullptr));
  auto start = [&] {
    for (int i = 0; i < 2; ++i) w.dialers.push_back(w.worker({"--concurrency", "1", "--rescue-after", "3"}));
  };
  auto created = [&] { return w.fake.dial_stats()["created"].get<long>(); };
  auto completed = [&] { return w.value("SELECT status FROM campaigns") == "completed"; };
  std::uniform_int_distribution<int> delay_ms(50, 800);
  for (int round = 1; round <= 5 && !completed(); ++round) {
    auto before = created();
    start();
    ASSERT_TRUE(test::eventually([&] { return created() > before || completed(); }, 20)) << "round " << round;
    auto delay = delay_ms(random);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    std::cout << "[ kill -9 loop ] round " << round << ": kill -9 after " << delay << " ms of dialing, " << created()
              << " calls so far" << std::endl;
    w.stop_workers();
  }
  start();
  ASSERT_TRUE(test::eventually(completed, 45)) << w.value(
      "SELECT string_agg(status || ':' || n, ' ') FROM (SELECT status, count(*) n FROM campaign_recipients GROUP BY"
      " status) s");
  w.stop_workers();

  EXPECT_EQ(w.recipients("status NOT IN ('completed', 'failed', 'skipped')"), 0) << "no recipient lost";
  EXPECT_EQ(w.recipients("true"), 150);
  EXPECT_EQ(w.value("SELECT count(*) FROM call_attempts WHERE ended_at IS NULL"), "0") << "none left calling";
  EXPECT_EQ(w.value("SELECT count(*) FROM call_attempts a JOIN call_attempts b ON b.workspace_id = a.workspace_id AND"
                    " b.recipient_id = a.recipient_id AND b.id <> a.id AND a.requested_at <= b.requested_at AND"
                    " b.requested_at < a.ended_at"),
            "0")
      << "no recipient's attempts overlap";
  EXPECT_EQ(w.value("SELECT count(*) FROM audit_log WHERE action = 'campaign.complete'"), "1") << "completed once";
  auto stats = w.fake.dial_stats();
  EXPECT_LE(stats["max_in_flight"].get<int>(), 10) << "the campaign's cap held through the kills";
  std::map<std::string, std::vector<std::pair<long, long>>> calls;
  for (const auto& c : stats["calls"]) {
    calls[c["to"].get<std::string>()].emplace_back(c["created_ms"].get<long>(),
                                                   c["ended_ms"].is_null() ? -1 : c["ended_ms"].get<long>());
    EXPECT_EQ(w.value("SELECT count(*) FROM call_attempts WHERE id = '" + c["attempt_id"].get<std::string>() +
                      "' AND provider_call_id = '" + c["call_id"].get<std::string>() + "'"),
              "1")
        << "the fake's call " << c["call_id"] << " is known to wfa";
  }
  for (auto& [number, spans] : calls) {
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i)
      EXPECT_GE(spans[i].first, spans[i - 1].second) << number << ": two calls at once (the fake's record)";
    EXPECT_EQ(spans.size(), 1u) << number << " dialed " << spans.size() << " times; the policy allows one";
  }
}
