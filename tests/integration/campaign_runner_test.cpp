// The campaign runner (dispatch_campaign) with the clock set: caps, windows, refusals for concurrency, unanswered
// requests and their reconciliation, credit, the status edges, pause, and --force kept inside the country's rules.
// Calls are "placed" by a recording dialer and ended the way a call's end arrives: attempt ended, NOTIFY wfa_dial.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "commands/campaign/campaign_dispatch.hpp"
#include "core/config.hpp"
#include "core/session.hpp"
#include "pipelines/providers/http.hpp"
#include "tests/integration/campaign_fixture.hpp"
#include "tests/support/fake_providers.hpp"

using namespace wfa;

namespace {

/// RunnerWorld: campaign acme/main/spring (Asia/Dubai) running with VAPI agent Vera, caller id +97145550100, and the
/// recipients given; the clock reads CLOCK (UTC) and moves only when a test moves it.
struct RunnerWorld : test::CampaignFixture {
  test::FakeProviders fake{{{"vapi", "vapi-runner-key"}}};
  std::atomic<std::int64_t> clock{0};
  std::string ws;
  std::unique_ptr<Session> runner;

  explicit RunnerWorld(const std::string& recipients_csv) {
    ws = workspace_id("acme/main");
    EXPECT_EQ(run({"integration", "set", "acme/main", "vapi"}, "vapi-runner-key").exit_code, 0);
    exec("UPDATE workspace_integrations SET max_concurrent_calls = 3");
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" + ws +
         "', 'Vera', 'vapi', '{}', 'asst-vera')");
    exec("INSERT INTO phone_numbers (workspace_id, provider, number, provider_number_id, source) VALUES ('" + ws +
         "', 'vapi', '+97145550100', 'pn-1', 'provider')");
    auto r = run({"campaign", "import", "acme/main/spring", file("r.csv", recipients_csv)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    exec(
        "UPDATE campaigns SET status = 'running', agent_id = (SELECT id FROM ai_agents), max_concurrent = 2,"
        " from_numbers = '{+97145550100}', starts_at = '2027-01-01T00:00:00Z', ends_at = '2027-02-01T00:00:00Z'");
    set_clock("2027-01-12T06:00:00Z");  // 10:00 in Dubai, a Tuesday
    std::map<std::string, std::string> flags{{"database_url", db.url()},
                                             {"database_owner_url", db.owner_url()},
                                             {"actor", "tester@wfa.example"},
                                             {"data_dir", dir.path().string()},
                                             {"migrations_dir", (test::source_dir() / "migrations").string()},
                                             {"vapi_base_url", fake.base_url("vapi")},
                                             {"provider_timeout", "2"}};
    auto settings = Config::load(flags, [](const std::string&) { return std::optional<std::string>(); });
    runner = std::make_unique<Session>(settings, SessionHooks{}, [this] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(clock.load()));
    });
  }

  void set_clock(const std::string& iso) {
    clock = std::stoll(value("SELECT extract(epoch FROM '" + iso + "'::timestamptz)::bigint"));
  }
  std::string campaign_id() { return value("SELECT id FROM campaigns"); }
  std::string status() { return value("SELECT status FROM campaigns"); }
  long live() { return std::stol(value("SELECT count(*) FROM call_attempts WHERE ended_at IS NULL")); }

  /// end_calls ends every answered live call with OUTCOME as a call's end would, and wakes the dispatchers.
  void end_calls(const std::string& outcome = "completed") {
    exec("WITH e AS (UPDATE call_attempts SET ended_at = now(), outcome = '" + outcome +
         "' WHERE ended_at IS NULL AND provider_call_id IS NOT NULL RETURNING recipient_id) UPDATE"
         " campaign_recipients r SET status = 'completed', outcome = '" +
         outcome + "' FROM e WHERE r.id = e.recipient_id; SELECT pg_notify('wfa_dial', '" + ws + "')");
  }
};

/// Recorder is a dialer that records each call and the live calls seen as it was placed.
struct Recorder {
  std::mutex mutex;
  std::vector<OutboundCall> calls;
  std::function<void(const OutboundCall&)> before;  ///< may throw, as a provider's refusal
  Dialer dialer() {
    return [this](ProviderClient&, const OutboundCall& call) {
      if (before) before(call);
      std::lock_guard lock(mutex);
      calls.push_back(call);
      return OutboundCallResult{"call-" + std::to_string(calls.size()), std::nullopt};
    };
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return calls.size();
  }
};

const std::string uae_ten =
    "phone,first_name\n+971501234501,A\n+971501234502,B\n+971501234503,C\n+971501234504,D\n+971501234505,E\n"
    "+971501234506,F\n+971501234507,G\n+971501234508,H\n+971501234509,I\n+971501234510,J\n";

}  // namespace

TEST(CampaignRunner, DialsEveryoneOnceWithinTheCampaignCapAndCompletes) {
  RunnerWorld w(uae_ten);
  auto campaign = w.campaign_id();
  Recorder rec;
  std::atomic<long> most{0};
  std::atomic<bool> done{false};
  rec.before = [&](const OutboundCall&) {};
  std::thread ender([&] {
    while (!done) {
      most = std::max<long>(most, w.live());
      w.end_calls();
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
  });
  DispatchSettings s;
  s.dial = rec.dialer();
  s.run_for = std::chrono::seconds(30);
  auto summary = dispatch_campaign(*w.runner, campaign, s);
  done = true;
  ender.join();
  EXPECT_EQ(summary.ended, "completed");
  EXPECT_EQ(w.status(), "completed");
  EXPECT_EQ(rec.size(), 10u);
  std::set<std::string> to;
  for (const auto& c : rec.calls) {
    to.insert(c.to);
    EXPECT_EQ(c.from_number, "+97145550100");
    EXPECT_EQ(c.from_provider_number_id, "pn-1");
    EXPECT_EQ(c.agent_external_id, "asst-vera");
    EXPECT_FALSE(c.attempt_id.empty());
  }
  EXPECT_EQ(to.size(), 10u) << "nobody dialed twice";
  EXPECT_LE(most.load(), 2) << "the campaign's cap of 2 live calls";
  EXPECT_EQ(w.value("SELECT count(*) FROM call_attempts WHERE provider_call_id LIKE 'call-%'"), "10");
  EXPECT_EQ(w.value("SELECT count(*) FROM audit_log WHERE action = 'campaign.complete'"), "1");
  auto to_a = std::find_if(rec.calls.begin(), rec.calls.end(), [](const auto& c) { return c.to == "+971501234501"; });
  ASSERT_NE(to_a, rec.calls.end());
  const auto& variables = to_a->variables;  // senders run in parallel: the calls' order is not the recipients'
  EXPECT_NE(std::find(variables.begin(), variables.end(), std::pair<std::string, std::string>{"first_name", "A"}),
            variables.end());
}

TEST(CampaignRunner, TheAccountCapIsSharedAndAConcurrencyRefusalIsNoAttempt) {
  RunnerWorld w(uae_ten);
  w.exec("UPDATE campaigns SET max_concurrent = 10");
  w.exec("UPDATE workspace_integrations SET max_concurrent_calls = 3");
  // A single call and an inbound call in progress hold two of the account's three slots.
  w.exec("INSERT INTO call_attempts (workspace_id, phone_e164, attempt_no, provider, provider_call_id) VALUES ('" +
         w.ws + "', '+971509999999', 1, 'vapi', 'single')");
  w.exec(
      "INSERT INTO conversations (workspace_id, agent_id, provider, external_call_id, direction, status, started_at)"
      " SELECT workspace_id, id, 'vapi', 'inbound-1', 'inbound', 'in_progress',"
      " '2027-01-12T05:59:00Z' FROM ai_agents");
  Recorder rec;
  std::atomic<int> refusals{2};
  rec.before = [&](const OutboundCall&) {
    if (refusals-- > 0) throw ConcurrencyRefused("Over Concurrency Limit");
  };
  DispatchSettings s;
  s.dial = rec.dialer();
  s.run_for = std::chrono::milliseconds(2500);
  auto summary = dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(summary.ended, "time_up");
  EXPECT_EQ(summary.tally.refused, 2);
  EXPECT_EQ(w.live(), 2) << "the single call and one campaign call: with the inbound call, the account's cap";
  EXPECT_EQ(w.value("SELECT sum(attempts) FROM campaign_recipients"), "1") << "refusals are not attempts";
  EXPECT_EQ(w.value("SELECT count(*) FROM campaign_recipients WHERE status = 'queued' AND next_attempt_at IS NOT NULL"),
            "2");
}

TEST(CampaignRunner, ARequestThatNeverReachedTheProviderIsNoAttemptAndHoldsNoSlot) {
  RunnerWorld w(uae_ten);
  Recorder rec;
  std::atomic<int> unreachable{3};
  rec.before = [&](const OutboundCall&) {
    if (unreachable-- > 0) throw NotSent("POST /call failed: Couldn't connect to server");
  };
  DispatchSettings s;
  s.dial = rec.dialer();
  s.run_for = std::chrono::milliseconds(2500);
  auto summary = dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(summary.tally.not_sent, 3);
  EXPECT_EQ(summary.tally.uncertain, 0) << "nothing was sent, so nothing waits for reconciliation";
  EXPECT_EQ(w.live(), 2) << "the slots went to calls that were placed";
  EXPECT_EQ(w.value("SELECT sum(attempts) FROM campaign_recipients"), "2");
  EXPECT_EQ(w.value("SELECT count(*) FROM campaign_recipients WHERE status = 'queued' AND next_attempt_at IS NOT NULL"),
            "3")
      << "each waits a few seconds and is dialed later";
}

TEST(CampaignRunner, ACallWhoseEndHasArrivedHoldsNoSlotThoughItsAttemptStaysLive) {
  RunnerWorld w(uae_ten);
  Recorder rec;
  DispatchSettings s;
  s.dial = rec.dialer();
  s.run_for = std::chrono::milliseconds(1200);
  dispatch_campaign(*w.runner, w.campaign_id(), s);
  ASSERT_EQ(rec.size(), 2u) << "the campaign's cap of 2";
  // What serve does when it stores the calls' end events: the end is seen, the merge has not ended the attempts yet.
  w.exec("UPDATE call_attempts SET end_seen_at = now()");
  dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(rec.size(), 4u) << "the two ended calls' slots went to the next two";
  EXPECT_EQ(w.live(), 4) << "every attempt stays live until its outcome is merged";
  std::set<std::string> to;
  for (const auto& c : rec.calls) to.insert(c.to);
  EXPECT_EQ(to.size(), 4u) << "nobody dialed twice while an attempt is live";
}

TEST(CampaignRunner, OutsideTheWindowNobodyIsDialedAndEachWaitsForItsNextAllowedTime) {
  RunnerWorld w(uae_ten + "+12125550123,NY\n");
  // Its own zone (without it, every US zone's window applies: Honolulu's 08:00 is 18:00 UTC).
  w.exec("UPDATE campaign_recipients SET timezone = 'America/New_York' WHERE phone = '+12125550123'");
  w.set_clock("2027-01-12T15:00:00Z");  // 19:00 in Dubai, 10:00 in New York
  Recorder rec;
  DispatchSettings s;
  s.dial = rec.dialer();
  s.run_for = std::chrono::milliseconds(1500);
  dispatch_campaign(*w.runner, w.campaign_id(), s);
  ASSERT_EQ(rec.size(), 1u);
  EXPECT_EQ(rec.calls[0].to, "+12125550123");
  EXPECT_EQ(w.value("SELECT count(*) FROM campaign_recipients WHERE next_attempt_at = '2027-01-13T05:00:00Z'"), "10")
      << "09:00 in Dubai tomorrow";
}

TEST(CampaignRunner, ForceWidensTheCampaignsOwnWindowButNeverTheCountrys) {
  RunnerWorld w(uae_ten);
  w.exec("UPDATE campaigns SET call_window_start = '09:00', call_window_end = '10:00'");
  w.set_clock("2027-01-12T08:00:00Z");  // 12:00 in Dubai: outside the campaign's window, inside the country's
  Recorder rec;
  DispatchSettings s;
  s.dial = rec.dialer();
  s.run_for = std::chrono::milliseconds(1200);
  dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(rec.size(), 0u);
  w.exec("UPDATE campaign_recipients SET next_attempt_at = NULL");
  s.force = true;
  dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(rec.size(), 2u) << "the campaign's cap still holds";
  w.end_calls();
  w.exec("UPDATE campaign_recipients SET next_attempt_at = NULL WHERE status <> 'completed'");
  w.set_clock("2027-01-12T15:00:00Z");  // 19:00 in Dubai: the UAE's 18:00 is not widened
  dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(rec.size(), 2u);
}

TEST(CampaignRunner, AnUnansweredRequestStaysLiveUntilReconciledAndIsNeverDialedTwice) {
  RunnerWorld w(uae_ten.substr(0, uae_ten.find("+971501234503")));
  Recorder rec;
  rec.before = [](const OutboundCall&) { throw TemporaryError("POST /call timed out"); };
  DispatchSettings s;
  s.dial = rec.dialer();
  s.run_for = std::chrono::milliseconds(1500);
  auto first = dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(first.tally.uncertain, 2);
  EXPECT_EQ(w.live(), 2) << "no answer: the calls may exist, so the attempts stay live";
  rec.before = nullptr;
  dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(rec.size(), 0u) << "a recipient with a live attempt is not dialed again";
  // Past the longest call and its margin, reconciliation ends them (not found at the provider) as failed.
  w.clock += 3 * 3600;
  dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(w.live(), 0);
  EXPECT_EQ(w.value("SELECT string_agg(DISTINCT outcome, ',') FROM call_attempts"), "failed");
  EXPECT_EQ(rec.size(), 0u) << "the retry waits for the policy's gap of 60 minutes after the end";
}

TEST(CampaignRunner, NoCreditPausesTheCampaignWithTheReason) {
  RunnerWorld w(uae_ten);
  w.exec("UPDATE partners SET credit_at_zero = 'suspend_agents'");
  w.exec("UPDATE workspaces SET per_minute_rate_cents = 10");
  ASSERT_EQ(w.run({"credits", "adjust", "acme/main", "0.65", "--note", "test"}).exit_code, 0);  // two reservations
  Recorder rec;
  DispatchSettings s;
  s.dial = rec.dialer();
  s.run_for = std::chrono::seconds(5);
  auto summary = dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(rec.size(), 2u);
  EXPECT_EQ(summary.ended, "paused (insufficient_credit)");
  EXPECT_EQ(w.status(), "paused");
  EXPECT_EQ(w.value("SELECT pause_reason FROM campaigns"), "insufficient_credit");
}

TEST(CampaignRunner, AScheduledCampaignStartsAtItsStartAndExpiresAtItsEnd) {
  RunnerWorld w(uae_ten);
  w.exec(
      "UPDATE campaigns SET status = 'scheduled', starts_at = '2027-01-12T07:00:00Z', ends_at ="
      " '2027-01-12T08:00:00Z'");
  Recorder rec;
  DispatchSettings s;
  s.dial = rec.dialer();
  s.run_for = std::chrono::milliseconds(1200);
  dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(w.status(), "scheduled");
  EXPECT_EQ(rec.size(), 0u);
  w.set_clock("2027-01-12T07:00:00Z");
  dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(w.status(), "running");
  EXPECT_EQ(rec.size(), 2u);
  w.set_clock("2027-01-12T08:00:00Z");
  auto summary = dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(summary.ended, "expired");
  EXPECT_EQ(w.status(), "expired");
}

TEST(CampaignRunner, PauseStopsNewDialsWithinASecondAndResumeContinues) {
  RunnerWorld w(uae_ten);
  Recorder rec;
  DispatchSettings s;
  s.dial = rec.dialer();
  s.run_for = std::chrono::seconds(20);
  DispatchSummary summary;
  std::thread dispatcher([&] { summary = dispatch_campaign(*w.runner, w.campaign_id(), s); });
  while (rec.size() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(w.run({"campaign", "pause", "acme/main/spring"}).exit_code, 0);
  auto paused = std::chrono::steady_clock::now();
  w.end_calls();  // slots free up: a dispatcher that had not heard would dial now
  dispatcher.join();
  EXPECT_LT(std::chrono::steady_clock::now() - paused, std::chrono::milliseconds(1500));
  EXPECT_EQ(summary.ended, "paused");
  EXPECT_EQ(rec.size(), 2u);
  EXPECT_EQ(w.run({"campaign", "resume", "acme/main/spring", "--dispatchers", "0"}).exit_code, 0);
  s.run_for = std::chrono::milliseconds(1200);
  dispatch_campaign(*w.runner, w.campaign_id(), s);
  EXPECT_EQ(rec.size(), 4u);
}

TEST(CampaignRunner, BadFlagsOfTheRunnerVerbsSayWhatAndExitAsDocumented) {
  RunnerWorld w(uae_ten);
  test::expect_failure(w.run({"campaign", "run", "acme/main/spring", "--concurrency", "0"}), 6, "--concurrency");
  test::expect_failure(w.run({"campaign", "run", "acme/main/spring", "--for", "-1"}), 6, "--for");
  w.exec("UPDATE campaigns SET status = 'paused'");
  test::expect_failure(w.run({"campaign", "run", "acme/main/spring"}), 4, "resume it first");
  w.exec("UPDATE campaigns SET status = 'draft'");
  test::expect_failure(w.run({"campaign", "schedule", "acme/main/spring", "--now", "--start", "2027-01-01T00:00:00Z"}),
                       2, "--now");
  test::expect_failure(w.run({"campaign", "schedule", "acme/main/spring", "--now", "--dispatchers", "65"}), 6,
                       "--dispatchers");
  test::expect_failure(w.run({"campaign", "update", "acme/main/spring", "--from-number", "+97145559999"}), 6,
                       "--from-number +97145559999");
  test::expect_failure(w.run({"integration", "set", "acme/main", "vapi", "--max-concurrent-calls", "10001"}, "k"), 6,
                       "--max-concurrent-calls");
  EXPECT_EQ(w.value("SELECT max_concurrent_calls FROM workspace_integrations"), "3") << "nothing changed";
  EXPECT_EQ(w.value("SELECT count(*) FROM call_attempts"), "0");
}
