// `wfa calls ingest --file`: the providers' shapes, exactly-once usage, quarantine, concurrency and kill -9.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/fake_providers.hpp"
#include "tests/support/integration_fixture.hpp"

extern char** environ;

namespace wfa {
namespace {

using json = nlohmann::json;

/// vapi_call is a VAPI call object of SECONDS (plus half a second) costing DOLLARS.
json vapi_call(const std::string& id, const std::string& assistant, int seconds, const std::string& dollars) {
  return json::parse(R"({"id": ")" + id + R"(", "orgId": "org-1", "assistantId": ")" + assistant +
                     R"(", "type": "outboundPhoneCall", "status": "ended", "endedReason": "customer-ended-call",
      "startedAt": "2026-11-03T10:00:00.250Z", "endedAt": "2026-11-03T10:)" +
                     (seconds / 60 < 10 ? "0" : "") + std::to_string(seconds / 60) + ":" +
                     (seconds % 60 < 10 ? "0" : "") + std::to_string(seconds % 60) + R"(.750Z",
      "cost": )" + dollars +
                     R"(, "costBreakdown": {"stt": 0.01, "total": )" + dollars + R"(},
      "customer": {"number": "+971501234567"}, "transcript": "old top-level transcript",
      "artifact": {"transcript": "AI: Hello\nUser: I need a \"refund\"", "recordingUrl": "https://rec.example/)" +
                     id + R"(.wav"}, "analysis": {"summary": "Refund asked", "successEvaluation": "true"}})");
}

class CallsIngest : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  CallsIngest() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    add_workspace("acme", "other", "Other");
    exec("UPDATE workspaces SET per_minute_rate_cents = 12");
    exec("INSERT INTO workspace_credits (workspace_id, amount_cents, reason, actor) SELECT id, 10000, 'topup', 't'"
         " FROM workspaces");
    agent("acme/main", "Vera", "vapi", "asst-vera");
    agent("acme/main", "Rhea", "retell", "agent-rhea");
    agent("acme/main", "Sol", "synthflow", "model-sol");
    agent("acme/other", "Olga", "vapi", "asst-olga");
  }

  void agent(const std::string& workspace, const std::string& name, const std::string& provider,
             const std::string& external) {
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" +
         workspace_id(workspace) + "', '" + name + "', '" + provider + "', '{}', '" + external + "')");
  }

  std::string ndjson(const std::string& name, const std::vector<json>& calls) {
    std::string text;
    for (const auto& c : calls) text += c.dump() + "\n";
    return file(name, text);
  }

  /// balanced: every counter equals the sum of the usage rows it is made of.
  void expect_balanced() {
    EXPECT_EQ(value("SELECT count(*) FROM workspaces w WHERE current_month_minutes <> (SELECT coalesce(sum("
                    "billable_minutes), 0) FROM usage_tracking u WHERE u.workspace_id = w.id) OR"
                    " current_month_cost_micros <> (SELECT coalesce(sum(cost_micros), 0) FROM usage_tracking u WHERE"
                    " u.workspace_id = w.id) OR credit_balance_cents <> 10000 - (SELECT coalesce(sum(charged_cents), 0)"
                    " FROM usage_tracking u WHERE u.workspace_id = w.id) OR credit_balance_cents <> (SELECT"
                    " sum(amount_cents) FROM workspace_credits c WHERE c.workspace_id = w.id)"),
              "0");
    EXPECT_EQ(value("SELECT count(*) FROM ai_agents a WHERE total_calls <> (SELECT count(*) FROM usage_tracking u"
                    " WHERE u.workspace_id = a.workspace_id AND u.agent_id = a.id) OR total_seconds <> (SELECT"
                    " coalesce(sum(duration_seconds), 0) FROM usage_tracking u WHERE u.agent_id = a.id)"),
              "0");
    EXPECT_EQ(value("SELECT count(*) FROM conversations c WHERE NOT EXISTS (SELECT 1 FROM usage_tracking u WHERE"
                    " u.workspace_id = c.workspace_id AND u.source_id = c.id)"),
              "0");
  }

  std::string usage() {
    return value(
        "SELECT current_month_minutes || '/' || current_month_cost_micros || '/' || credit_balance_cents"
        " FROM workspaces WHERE slug = 'main'");
  }

  pid_t spawn(const std::vector<std::string>& args) { return test::spawn_wfa(args, env); }
};

TEST_F(CallsIngest, VapiCallsAreNormalisedAndCountedOnceAndAChangeMovesTheDifference) {
  auto calls = ndjson("vapi.ndjson",
                      {vapi_call("call-1", "asst-vera", 61, "0.4233"), vapi_call("call-2", "asst-vera", 30, "0.1"),
                       vapi_call("call-1", "asst-vera", 61, "0.4233")});
  auto first = run_json({"calls", "ingest", "--provider", "vapi", "--file", calls});
  EXPECT_EQ(first["read"], 3);
  EXPECT_EQ(first["inserted"], 2) << "a call twice in the file counts once";
  auto c =
      sql("SELECT direction, status, phone_number, started_at::text, ended_at::text, duration_seconds,"
          " recording_url, transcript, summary, total_cost_micros, cost_breakdown->>'stt', ended_reason,"
          " metadata->>'orgId', metadata->'analysis'->>'successEvaluation' FROM conversations WHERE"
          " external_call_id = 'call-1'")[0];
  EXPECT_EQ(c[0].as<std::string>(), "outbound");
  EXPECT_EQ(c[1].as<std::string>(), "completed");
  EXPECT_EQ(c[2].as<std::string>(), "+971501234567");
  EXPECT_EQ(c[3].as<std::string>(), "2026-11-03 10:00:00.25+00");
  EXPECT_EQ(c[4].as<std::string>(), "2026-11-03 10:01:01.75+00");
  EXPECT_EQ(c[5].as<int>(), 61) << "the seconds between start and end, whole";
  EXPECT_EQ(c[6].as<std::string>(), "https://rec.example/call-1.wav");
  EXPECT_EQ(c[7].as<std::string>(), "AI: Hello\nUser: I need a \"refund\"") << "artifact.transcript wins";
  EXPECT_EQ(c[8].as<std::string>(), "Refund asked") << "analysis.summary";
  EXPECT_EQ(c[9].as<long>(), 423300) << "dollars to micro-dollars, exactly";
  EXPECT_EQ(c[10].as<std::string>(), "0.01");
  EXPECT_EQ(c[11].as<std::string>(), "customer-ended-call");
  EXPECT_EQ(c[12].as<std::string>(), "org-1");
  EXPECT_EQ(c[13].as<std::string>(), "true");
  // 61 s bills 2 minutes, 30 s bills 1; at 12 cents a minute.
  EXPECT_EQ(usage(), "3/523300/9964");
  EXPECT_EQ(value("SELECT total_calls || '/' || total_seconds || '/' || total_cost_micros FROM ai_agents WHERE name ="
                  " 'Vera'"),
            "2/91/523300");
  expect_balanced();

  auto again = run_json({"calls", "ingest", "--provider", "vapi", "--file", calls});
  EXPECT_EQ(again["unchanged"], 2);
  EXPECT_EQ(again["inserted"], 0);
  EXPECT_EQ(usage(), "3/523300/9964") << "a re-ingest changes nothing";

  auto longer = ndjson("longer.ndjson", {vapi_call("call-2", "asst-vera", 150, "0.35")});
  auto changed = run_json({"calls", "ingest", "--provider", "vapi", "--file", longer});
  EXPECT_EQ(changed["updated"], 1);
  EXPECT_EQ(usage(), "5/773300/9940") << "30 s -> 150 s is 2 more minutes; $0.10 -> $0.35";
  EXPECT_EQ(value("SELECT count(*) FROM usage_tracking"), "2");
  expect_balanced();
}

TEST_F(CallsIngest, RetellAndSynthflowShapesFromAPrettyPrintedArrayWithARejectFile) {
  auto retell = file("retell.json", R"([
  {"call_id": "r-1", "agent_id": "agent-rhea", "agent_version": 3, "call_status": "ended", "call_type": "phone_call",
   "direction": "inbound", "from_number": "+14155550100", "to_number": "+14155550199",
   "start_timestamp": 1762164000000, "end_timestamp": 1762164125500, "duration_ms": 125500,
   "transcript": "Agent: Hi\nUser: Bye\n", "recording_url": "https://retell.example/r-1.wav",
   "disconnection_reason": "user_hangup",
   "call_analysis": {"call_summary": "Short call", "user_sentiment": "Positive"},
   "call_cost": {"combined_cost": 12.5, "product_costs": [{"product": "elevenlabs_tts", "cost": 5}]}},
  {"call_id": "r-2", "agent_id": "agent-rhea", "call_status": "ended", "call_type": "web_call",
   "start_timestamp": "soon", "end_timestamp": 1762164125500},
  {"call_id": "r-3", "agent_id": "agent-rhea", "call_status": "ended", "call_type": "phone_call",
   "direction": "outbound", "to_number": "+14155550111", "disconnection_reason": "dial_no_answer",
   "start_timestamp": 1762164000000, "end_timestamp": 1762164000000, "call_cost": {"combined_cost": 0}}
])");
  auto rejects = (dir.path() / "rejects.csv").string();
  auto r = run({"calls", "ingest", "--provider", "retell", "--file", retell, "--reject-file", rejects});
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(r.err.find("retell.json:9: start_timestamp is not a whole number"), std::string::npos) << r.err;
  std::ifstream reject_file(rejects);
  std::string header, line;
  std::getline(reject_file, header);
  std::getline(reject_file, line);
  EXPECT_EQ(line, "9,\"start_timestamp is not a whole number\"");
  auto c =
      sql("SELECT direction, status, phone_number, duration_seconds, total_cost_micros, summary, sentiment,"
          " started_at::text, metadata->>'agent_version' FROM conversations WHERE external_call_id = 'r-1'")[0];
  EXPECT_EQ(c[0].as<std::string>(), "inbound");
  EXPECT_EQ(c[1].as<std::string>(), "completed");
  EXPECT_EQ(c[2].as<std::string>(), "+14155550100") << "an inbound call's customer is the caller";
  EXPECT_EQ(c[3].as<int>(), 125);
  EXPECT_EQ(c[4].as<long>(), 125000) << "12.5 cents";
  EXPECT_EQ(c[5].as<std::string>(), "Short call");
  EXPECT_EQ(c[6].as<std::string>(), "Positive");
  EXPECT_EQ(c[7].as<std::string>(), "2025-11-03 10:00:00+00");
  EXPECT_EQ(c[8].as<std::string>(), "3");
  EXPECT_EQ(value("SELECT status FROM conversations WHERE external_call_id = 'r-3'"), "no_answer");

  auto synthflow = ndjson("synthflow.ndjson", {json::parse(R"({"call_id": "s-1", "model_id": "model-sol",
      "call_status": "completed", "type_of_call": "outbound", "lead_phone_number": "+971509998877",
      "start_time": "1762164000000", "duration": 95, "transcript": "bot: hi", "end_call_reason": "human_ended_call",
      "lead_name": "Zoë"})")});
  auto s = run_json({"calls", "ingest", "--provider", "synthflow", "--file", synthflow});
  EXPECT_EQ(s["inserted"], 1);
  EXPECT_EQ(value("SELECT phone_number || ' ' || duration_seconds || ' ' || ended_at::text || ' ' || total_cost_micros"
                  " || ' ' || (metadata->>'lead_name') FROM conversations WHERE external_call_id = 's-1'"),
            "+971509998877 95 2025-11-03 10:01:35+00 0 Zoë");
  expect_balanced();
}

TEST_F(CallsIngest, UnknownAgentsAreQuarantinedThenLinkedAndAWorkspaceIngestRefusesOthers) {
  auto calls =
      ndjson("mixed.ndjson", {vapi_call("q-1", "asst-new", 45, "0.2"), vapi_call("q-2", "asst-olga", 10, "0.05"),
                              vapi_call("q-3", "asst-vera", 10, "0.05")});
  auto scoped = run({"calls", "ingest", "--provider", "vapi", "--file", calls, "--workspace", "acme/main"});
  EXPECT_EQ(scoped.exit_code, 8) << scoped.err;
  EXPECT_NE(scoped.err.find("mixed.ndjson:2: agent asst-olga belongs to another workspace"), std::string::npos)
      << scoped.err;
  EXPECT_EQ(value("SELECT workspace_id FROM unmatched_calls"), workspace_id("acme/main"))
      << "an unknown agent's call waits, marked with the workspace that met it";
  EXPECT_EQ(count("conversations"), 1);

  auto all = run_json({"calls", "ingest", "--provider", "vapi", "--file", calls});
  EXPECT_EQ(all["quarantined"], 1);
  EXPECT_EQ(all["inserted"], 1) << "Olga's call, in her workspace";
  auto listed = run_json({"calls", "unmatched"});
  ASSERT_EQ(listed["calls"].size(), 1u);
  EXPECT_EQ(listed["calls"][0]["external_call_id"], "q-1");
  EXPECT_EQ(listed["calls"][0]["source"], "mixed.ndjson:1");

  agent("acme/main", "Nova", "vapi", "asst-new");
  auto linked = run_json({"calls", "unmatched", "--link"});
  EXPECT_EQ(linked["linked"], 1);
  EXPECT_EQ(count("unmatched_calls"), 0);
  EXPECT_EQ(value("SELECT a.name FROM conversations c JOIN ai_agents a ON a.id = c.agent_id WHERE"
                  " c.external_call_id = 'q-1'"),
            "Nova");
  expect_balanced();
  EXPECT_EQ(run({"calls", "ingest", "--provider", "vapi", "--file", calls, "--workspace", "acme/main", "--as",
                 "nobody@acme.test"})
                .exit_code,
            5);
}

TEST_F(CallsIngest, OverlappingIngestsRunningTogetherCountEachCallOnce) {
  std::vector<json> a, b;
  for (int i = 0; i < 600; ++i) {
    auto call = vapi_call("c-" + std::to_string(i), i % 2 ? "asst-vera" : "asst-olga", 20 + i % 100, "0.05");
    if (i < 400) a.push_back(call);
    if (i >= 200) b.push_back(call);
  }
  auto first = ndjson("a.ndjson", a), second = ndjson("b.ndjson", b);
  for (int round = 0; round < 3; ++round) {
    pid_t one = spawn({"calls", "ingest", "--provider", "vapi", "--file", first});
    pid_t two = spawn({"calls", "ingest", "--provider", "vapi", "--file", second});
    int status_one = 0, status_two = 0;
    ::waitpid(one, &status_one, 0);
    ::waitpid(two, &status_two, 0);
    EXPECT_EQ(WEXITSTATUS(status_one), 0);
    EXPECT_EQ(WEXITSTATUS(status_two), 0);
  }
  EXPECT_EQ(count("conversations"), 600);
  EXPECT_EQ(count("usage_tracking"), 600);
  EXPECT_EQ(value("SELECT sum(total_calls) FROM ai_agents"), "600");
  expect_balanced();
}

TEST_F(CallsIngest, AKillNineMidIngestLeavesNoUsageAndTheRerunCountsOnce) {
  std::vector<json> calls;
  for (int i = 0; i < 300; ++i) calls.push_back(vapi_call("k-" + std::to_string(i), "asst-vera", 65, "0.3"));
  auto path = ndjson("kill.ndjson", calls);
  // Hold the merge lock so the ingest is stopped inside its transaction, after its COPY.
  pqxx::connection holder(db.owner_url());
  pqxx::nontransaction lock(holder);
  lock.exec("SELECT pg_advisory_lock(hashtext('wfa.calls.merge'))");
  pid_t pid = spawn({"calls", "ingest", "--provider", "vapi", "--file", path});
  for (int i = 0; i < 100 && value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") == "0";
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  lock.exec("SELECT pg_advisory_unlock(hashtext('wfa.calls.merge'))");
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(count("conversations"), 0);
  EXPECT_EQ(count("usage_tracking"), 0);
  EXPECT_EQ(usage(), "0/0/10000");
  auto rerun = run_json({"calls", "ingest", "--provider", "vapi", "--file", path});
  EXPECT_EQ(rerun["inserted"], 300);
  EXPECT_EQ(usage(), "600/90000000/2800");
  expect_balanced();
}

TEST_F(CallsIngest, BadFilesAreOneLineAndIngestNothing) {
  auto cut = file("cut.json", R"([{"id": "x-1", "assistantId": "asst-vera"}, {"id": "x-2")");
  auto r = run({"calls", "ingest", "--provider", "vapi", "--file", cut});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("cut.json:1: the JSON array is cut short"), std::string::npos) << r.err;
  EXPECT_EQ(count("conversations"), 0);
  auto missing = run({"calls", "ingest", "--provider", "vapi", "--file", (dir.path() / "none.ndjson").string()});
  EXPECT_EQ(missing.exit_code, 6);
  EXPECT_NE(missing.err.find("none.ndjson: cannot be read"), std::string::npos) << missing.err;
  EXPECT_EQ(run({"calls", "ingest", "--provider", "bland", "--file", cut}).exit_code, 2);
  auto garbage = file("garbage.ndjson", "{\"id\": \"g-1\", \"assistantId\": \"asst-vera\"}\nnot json\n");
  auto partial = run({"calls", "ingest", "--provider", "vapi", "--file", garbage});
  EXPECT_EQ(partial.exit_code, 8);
  EXPECT_NE(partial.err.find("garbage.ndjson:2: the record is not"), std::string::npos) << partial.err;
  EXPECT_EQ(count("conversations"), 1);
}

TEST_F(CallsIngest, ListShowSearchStatsAndExportReadTheWorkspacesCalls) {
  auto refund = vapi_call("rd-1", "asst-vera", 125, "0.5");
  refund["artifact"]["transcript"] = "User: refund please, a refund for the refund";
  auto other = vapi_call("rd-2", "asst-vera", 40, "0.1");
  other["artifact"]["transcript"] = "User: just one refund";
  other["type"] = "inboundPhoneCall";
  auto quiet = vapi_call("rd-3", "asst-vera", 10, "0.05");
  quiet["artifact"]["transcript"] = "=cmd|' /C calc'!A0";
  quiet["endedReason"] = "customer-did-not-answer";
  ASSERT_EQ(
      run({"calls", "ingest", "--provider", "vapi", "--file", ndjson("r.ndjson", {refund, other, quiet})}).exit_code,
      0);
  auto all = run_json({"calls", "list", "--workspace", "acme/main"});
  ASSERT_EQ(all["calls"].size(), 3u);
  for (const auto& call : all["calls"]) {
    if (call["external_call_id"] == "rd-1") {
      EXPECT_EQ(call["cost_usd"], "0.5000");
    }
  }
  EXPECT_EQ(run_json({"calls", "list", "--workspace", "acme/main", "--direction", "inbound"})["calls"].size(), 1u);
  EXPECT_EQ(
      run_json({"calls", "list", "--workspace", "acme/main", "--status", "no_answer"})["calls"][0]["external_call_id"],
      "rd-3");
  EXPECT_EQ(run_json({"calls", "list", "--workspace", "acme/main", "--agent", "Rhea"}, 0)["calls"].size(), 0u);
  EXPECT_EQ(run_json({"calls", "list", "--workspace", "acme/main", "--from", "2026-11-04"})["calls"].size(), 0u);
  EXPECT_EQ(run({"calls", "list", "--workspace", "acme/main", "--status", "lost"}).exit_code, 2);

  auto shown = run_json({"calls", "show", "rd-1", "--workspace", "acme/main"});
  EXPECT_EQ(shown["billable_minutes"], 3);
  EXPECT_EQ(shown["charged_cents"], 36);
  EXPECT_EQ(shown["agent"], "Vera");
  EXPECT_EQ(run({"calls", "show", "rd-9", "--workspace", "acme/main"}).exit_code, 3);

  auto found = run_json({"calls", "search", "refund", "--workspace", "acme/main"});
  ASSERT_EQ(found["calls"].size(), 3u) << "every summary says 'Refund asked'";
  EXPECT_EQ(found["calls"][0]["external_call_id"], "rd-1") << "four mentions rank above two and one";
  EXPECT_EQ(run_json({"calls", "search", "refund -just", "--workspace", "acme/main"})["calls"].size(), 2u);

  auto stats = run_json({"calls", "stats", "--workspace", "acme/main", "--by", "status"});
  ASSERT_EQ(stats["stats"].size(), 2u);
  EXPECT_EQ(stats["stats"][0]["status"], "completed");
  EXPECT_EQ(stats["stats"][0]["calls"], 2);
  EXPECT_EQ(stats["stats"][0]["minutes"], 4);
  EXPECT_EQ(stats["stats"][0]["p50_seconds"], 40);

  auto csv = run({"calls", "export", "--workspace", "acme/main"});
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find("'=cmd"), std::string::npos) << "the formula guard on free text: " << csv.out;
  EXPECT_NE(csv.out.find(",+971501234567,"), std::string::npos) << "phones stay as they are";
  auto nd = run({"calls", "export", "--workspace", "acme/main", "--format", "ndjson", "--status", "completed"});
  ASSERT_EQ(nd.exit_code, 0) << nd.err;
  std::istringstream lines(nd.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    auto call = json::parse(line);
    EXPECT_EQ(call["status"], "completed");
    if (call["external_call_id"] == "rd-1") {
      EXPECT_EQ(call["transcript"], "User: refund please, a refund for the refund");
    }
    ++n;
  }
  EXPECT_EQ(n, 2);
}

TEST_F(CallsIngest, BadFlagsAreUsageErrorsThatNameTheFlag) {
  auto expect = [&](const std::vector<std::string>& args, int exit, const std::string& words) {
    auto r = run(args);
    EXPECT_EQ(r.exit_code, exit) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  };
  auto some = ndjson("some.ndjson", {vapi_call("b-1", "asst-vera", 10, "0.01")});
  expect({"calls", "ingest", "--provider", "vapi"}, 2, "either --file F or --from-api");
  expect({"calls", "ingest", "--provider", "vapi", "--from-api", "--since", "last week", "--workspace", "acme/main"}, 2,
         "--since last week is not a time");
  expect({"calls", "ingest", "--provider", "vapi", "--from-api", "--workspace", "acme/main"}, 3,
         "has no vapi integration");
  expect({"calls", "search", " ", "--workspace", "acme/main"}, 2, "TEXT is empty");
  expect({"calls", "stats", "--workspace", "acme/main", "--by", "week"}, 2, "--by");
  expect({"calls", "export", "--workspace", "acme/main", "--format", "xml"}, 2, "--format");
  expect({"calls", "unmatched", "--provider", "bland"}, 2, "bland");
  expect({"calls", "list", "--workspace", "acme/main", "--from", "yesterday"}, 6, "--from 'yesterday'");
  expect({"calls", "list", "--workspace", "acme/nowhere"}, 3, "acme/nowhere");
  EXPECT_EQ(count("conversations"), 0);
  EXPECT_EQ(run({"calls", "ingest", "--provider", "vapi", "--file", some, "--dry-run"}).exit_code, 0);
  EXPECT_EQ(count("conversations"), 0) << "--dry-run changes nothing";
}

/// CallsFromApi: the workspace's integrations point at the fake providers, which hold the calls to list.
class CallsFromApi : public CallsIngest {
 protected:
  test::FakeProviders fake{{{"vapi", "vapi-calls-key"}, {"retell", "retell-calls-key"}, {"synthflow", "sf-calls-key"}}};

  CallsFromApi() {
    env["WFA_VAPI_BASE_URL"] = fake.base_url("vapi");
    env["WFA_RETELL_BASE_URL"] = fake.base_url("retell");
    env["WFA_SYNTHFLOW_BASE_URL"] = fake.base_url("synthflow");
    env["WFA_CALLS_PAGE_SIZE"] = "40";
    env["WFA_PROVIDER_RETRIES"] = "1";
    for (const auto& [provider, key] : std::map<std::string, std::string>{
             {"vapi", "vapi-calls-key"}, {"retell", "retell-calls-key"}, {"synthflow", "sf-calls-key"}})
      EXPECT_EQ(run({"integration", "set", "acme/main", provider}, key).exit_code, 0);
  }

  std::size_t requests_to(const std::string& path) {
    std::size_t n = 0;
    for (const auto& r : fake.requests()) n += r["path"] == path;
    return n;
  }
};

TEST_F(CallsFromApi, VapiPagesByCreatedAtAndAFailureMidwayResumesWithoutGapOrDuplicate) {
  json calls = json::array();
  for (int i = 0; i < 130; ++i) {
    auto call = vapi_call("api-" + std::to_string(i), "asst-vera", 30 + i, "0.02");
    char created[40];
    std::snprintf(created, sizeof created, "2026-11-0%dT%02d:%02d:00.000Z", 1 + i / 60, (i % 60) / 4, i % 60);
    call["createdAt"] = created;
    calls.push_back(call);
  }
  calls[40]["createdAt"] = calls[41]["createdAt"];  // two calls created in the same millisecond, on a page boundary
  fake.add_calls({{"vapi", calls}});
  // Two pages commit; the third request fails past its one retry.
  fake.inject(
      {{{"provider", "vapi"}, {"method", "GET"}, {"path", "^/call$"}, {"status", 503}, {"times", 2}, {"skip", 2}}});
  auto failed = run({"calls", "ingest", "--provider", "vapi", "--from-api", "--workspace", "acme/main"});
  EXPECT_EQ(failed.exit_code, 7) << failed.err;
  auto part = count("conversations");
  EXPECT_EQ(part, 79) << "two pages of 40 stay, with their usage (the call on their boundary is asked twice)";
  EXPECT_TRUE(json::parse(value("SELECT position::text FROM call_ingest_checkpoints WHERE provider = 'vapi'"))
                  .contains("windows"));
  expect_balanced();

  auto resumed = run_json({"calls", "ingest", "--provider", "vapi", "--from-api", "--workspace", "acme/main"});
  EXPECT_EQ(resumed["inserted"].get<long>() + part, 130) << "the rerun picks up where the first stopped";
  EXPECT_EQ(count("conversations"), 130) << "every call, once";
  EXPECT_EQ(count("usage_tracking"), 130);
  expect_balanced();
  EXPECT_TRUE(json::parse(value("SELECT position::text FROM call_ingest_checkpoints WHERE provider = 'vapi'"))
                  .value("complete", false));

  auto before = usage();
  auto again = run_json({"calls", "ingest", "--provider", "vapi", "--from-api", "--workspace", "acme/main"});
  EXPECT_EQ(again["inserted"], 0);
  EXPECT_EQ(usage(), before) << "the overlap of a new run changes nothing";
}

TEST_F(CallsFromApi, OneWorkspaceFailingLeavesTheOthersIngested) {
  json calls = json::array();
  for (int i = 0; i < 5; ++i) {
    auto call = vapi_call("ws-" + std::to_string(i), "asst-vera", 30, "0.02");
    call["createdAt"] = "2026-11-05T10:00:0" + std::to_string(i) + ".000Z";
    calls.push_back(call);
  }
  fake.add_calls({{"vapi", calls}});
  EXPECT_EQ(run({"integration", "set", "acme/other", "vapi"}, "a-key-the-fake-refuses").exit_code, 0);
  auto r = run({"calls", "ingest", "--provider", "vapi", "--from-api"});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_NE(r.err.find("acme/other: vapi refused the call list (HTTP 401)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 of 2 workspaces failed"), std::string::npos) << r.err;
  EXPECT_EQ(count("conversations"), 5) << "acme/main's calls are in";
}

TEST_F(CallsFromApi, RetellListsByKeyAndFetchesTranscriptsAndSynthflowPagesPerAgent) {
  json retell = json::array();
  for (int i = 0; i < 50; ++i)
    retell.push_back({{"call_id", "rc-" + std::to_string(i)},
                      {"agent_id", "agent-rhea"},
                      {"call_status", "ended"},
                      {"call_type", "phone_call"},
                      {"direction", "outbound"},
                      {"to_number", "+14155550100"},
                      {"start_timestamp", 1762164000000 + i * 60000},
                      {"end_timestamp", 1762164030000 + i * 60000},
                      {"transcript", "Agent: call " + std::to_string(i)},
                      {"call_cost", {{"combined_cost", 7}}}});
  json synthflow = json::array();
  for (int i = 0; i < 45; ++i)
    synthflow.push_back({{"call_id", "sc-" + std::to_string(i)},
                         {"model_id", i % 3 ? "model-sol" : "model-zed"},
                         {"call_status", "completed"},
                         {"type_of_call", "outbound"},
                         {"start_time", std::to_string(1762164000000 + i * 1000)},
                         {"duration", 61}});
  fake.add_calls({{"retell", retell}, {"synthflow", synthflow}});
  agent("acme/main", "Zed", "synthflow", "model-zed");
  // The second page's list call fails past its retry: the first page stays, the rerun continues from its key.
  fake.inject({{{"provider", "retell"},
                {"method", "POST"},
                {"path", "^/v3/list-calls$"},
                {"status", 502},
                {"times", 2},
                {"skip", 1}}});
  EXPECT_EQ(run({"calls", "ingest", "--provider", "retell", "--from-api", "--workspace", "acme/main"}).exit_code, 7);
  EXPECT_EQ(count("conversations"), 40);
  auto r = run_json({"calls", "ingest", "--provider", "retell", "--from-api", "--workspace", "acme/main"});
  EXPECT_EQ(r["inserted"], 10);
  EXPECT_EQ(count("conversations"), 50);
  EXPECT_EQ(requests_to("/v3/list-calls"), 4u) << "page 1, page 2 failing twice, page 2 by the saved key";
  EXPECT_EQ(value("SELECT transcript FROM conversations WHERE external_call_id = 'rc-7'"), "Agent: call 7")
      << "from get-call: list items carry no transcript";
  EXPECT_EQ(value("SELECT sum(total_cost_micros) FROM conversations WHERE provider = 'retell'"), "3500000");
  fake.inject({{{"provider", "synthflow"},
                {"method", "GET"},
                {"path", "^/calls$"},
                {"status", 500},
                {"times", 2},
                {"skip", 1}}});
  EXPECT_EQ(run({"calls", "ingest", "--provider", "synthflow", "--from-api", "--workspace", "acme/main"}).exit_code, 7);
  run_json({"calls", "ingest", "--provider", "synthflow", "--from-api", "--workspace", "acme/main"});
  EXPECT_EQ(value("SELECT count(*) FROM conversations WHERE provider = 'synthflow'"), "45");
  EXPECT_EQ(requests_to("/calls"), 4u) << "the first agent, the second failing twice, the second again";
  EXPECT_EQ(value("SELECT count(*) FROM conversations c JOIN ai_agents a ON a.id = c.agent_id WHERE a.name = 'Zed'"),
            "15");
  expect_balanced();
}

}  // namespace
}  // namespace wfa
