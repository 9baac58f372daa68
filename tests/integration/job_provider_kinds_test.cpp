// The provider-facing job kinds against the fake VAPI, Retell and Synthflow: agent sync and calls ingest with
// --enqueue return at once, `wfa worker --drain` does the work as the local run would, and a second run adds nothing.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/job_fixture.hpp"
#include "tests/support/fake_providers.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

/// ProviderJobs: acme/main with an integration per provider at the fakes, and two agents (a VAPI one and a Synthflow
/// one) as `agent create` makes them.
class ProviderJobs : public ::testing::Test, protected test::JobFixture {
 protected:
  test::FakeProviders fake{{{"vapi", "vapi-job-key"}, {"retell", "retell-job-key"}, {"synthflow", "sf-job-key"}}};

  ProviderJobs() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    for (const char* provider : {"vapi", "retell", "synthflow"}) {
      std::string upper = provider;
      for (auto& c : upper) c = static_cast<char>(toupper(c));
      env["WFA_" + upper + "_BASE_URL"] = fake.base_url(provider);
    }
    env["WFA_PROVIDER_RETRIES"] = "1";
    for (const auto& [provider, key] : std::map<std::string, std::string>{
             {"vapi", "vapi-job-key"}, {"retell", "retell-job-key"}, {"synthflow", "sf-job-key"}})
      EXPECT_EQ(run({"integration", "set", "acme/main", provider}, key).exit_code, 0);
  }

  void create_agent(const std::string& name, const std::string& provider) {
    json spec = {{"name", name},
                 {"provider", provider},
                 {"voice", {{"voice_id", "v-" + name}}},
                 {"model", {{"model", "gpt-4.1"}}},
                 {"system_prompt", "You help " + name + "."},
                 {"first_message", "Hello from " + name}};
    if (provider == "vapi") spec["voice"]["provider"] = "11labs", spec["model"]["provider"] = "openai";
    auto made = run({"agent", "create", "--workspace", "acme/main", "--spec", file(name + ".json", spec.dump())});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  /// mutating counts the requests that change something at the providers.
  std::size_t mutating() {
    std::size_t n = 0;
    for (const auto& r : fake.requests()) n += r["method"] != "GET" && r["path"] != "/v2/list-agents";
    return n;
  }

  /// drain runs `wfa worker --drain` and returns how many jobs it completed.
  long drain() {
    auto drained = run_json({"worker", "--drain"});
    return drained["completed"].get<long>();
  }

  /// expect_one_line expects ARGS to exit CODE with one line on standard error that contains NEEDLE.
  void expect_one_line(const std::vector<std::string>& args, int code, const std::string& needle) {
    auto r = run(args);
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 2) << "one line (and a hint): " << r.err;
  }
};

TEST_F(ProviderJobs, AgentSyncEnqueuedPushesTheAgentsTheLocalRunWouldOnceEach) {
  create_agent("Vera", "vapi");
  create_agent("Sol", "synthflow");
  auto plan = run_json({"agent", "sync", "--workspace", "acme/main", "--dry-run"})["agents"];
  ASSERT_EQ(plan.size(), 2u);

  auto batch = run_json({"agent", "sync", "--workspace", "acme/main", "--enqueue"});
  EXPECT_EQ(batch["kind"], "agent.sync") << batch.dump();
  EXPECT_EQ(batch["jobs"], 2) << "one job per agent the plan pushes";
  EXPECT_EQ(mutating(), 0u) << "enqueueing sends nothing";
  EXPECT_EQ(value("SELECT count(*) FROM ai_agents WHERE sync_status = 'synced'"), "0");
  EXPECT_EQ(jobs("available"), 2);
  EXPECT_EQ(value("SELECT string_agg(a.name, ',' ORDER BY a.name) FROM jobs j JOIN ai_agents a ON a.id::text ="
                  " j.payload->>'agent'"),
            "Sol,Vera")
      << "the jobs are the agents the local run selects";

  EXPECT_EQ(drain(), 2);
  auto status = run_json({"job", "status", batch["batch_id"]});
  EXPECT_EQ(status["completed"], 2) << status.dump();
  EXPECT_EQ(value("SELECT count(*) FROM ai_agents WHERE sync_status = 'synced' AND external_agent_id IS NOT NULL"),
            "2");
  EXPECT_EQ(fake.objects()["vapi"].size(), 1u) << fake.objects().dump();
  auto pushed = mutating();
  EXPECT_EQ(pushed, 2u) << "one create each";
  auto after = run_json({"agent", "sync", "--workspace", "acme/main", "--dry-run"});
  EXPECT_EQ(after["agents"].size(), 0u) << "the local run would find nothing left to push: " << after.dump();

  // The same jobs again (a rescued job runs twice): the plan is unchanged, nothing is sent.
  std::string lines;
  for (const auto& row : json::parse(value("SELECT json_agg(payload ORDER BY id) FROM jobs")))
    lines += row.dump() + "\n";
  ASSERT_EQ(run({"job", "enqueue", "agent.sync", "--payloads", file("again.ndjson", lines)}).exit_code, 0);
  EXPECT_EQ(drain(), 2);
  EXPECT_EQ(mutating(), pushed) << "a second run sends nothing";
  EXPECT_EQ(jobs("completed"), 4);
  EXPECT_EQ(fake.objects()["vapi"].size(), 1u);
}

TEST_F(ProviderJobs, AgentSyncEnqueueRefusesWhatItCannotHonourAndBadPayloads) {
  create_agent("Vera", "vapi");
  expect_one_line({"agent", "sync", "--workspace", "acme/main", "--enqueue", "--dry-run"}, 2, "--enqueue");
  expect_one_line({"agent", "sync", "--workspace", "acme/nowhere", "--enqueue"}, 3, "acme/nowhere");
  expect_one_line({"job", "enqueue", "agent.sync", "--payload", R"({"workspace": "main", "agent": "Vera"})"}, 6,
                  "workspace");
  expect_one_line({"job", "enqueue", "agent.sync", "--payload", R"({"agent": "x", "speed": 1})"}, 6, "speed");
  EXPECT_EQ(count("jobs"), 0);
}

/// vapi_call is a finished VAPI call object of assistant asst-vera, created at minute MINUTE of 2026-11-03 10h.
json vapi_call(int i) {
  char at[32];
  std::snprintf(at, sizeof at, "2026-11-03T10:%02d:00.000Z", i);
  return {{"id", "job-call-" + std::to_string(i)},
          {"assistantId", "asst-vera"},
          {"type", "outboundPhoneCall"},
          {"status", "ended"},
          {"createdAt", at},
          {"startedAt", at},
          {"endedAt", std::string(at).replace(17, 2, "42")},
          {"cost", 0.05},
          {"customer", {{"number", "+971501234567"}}},
          {"analysis", {{"summary", "call " + std::to_string(i)}}}};
}

class CallsJobs : public ProviderJobs {
 protected:
  CallsJobs() {
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" +
         workspace_id("acme/main") + "', 'Vera', 'vapi', '{}', 'asst-vera')");
  }
  std::string usage() {
    return value(
        "SELECT current_month_minutes || '/' || current_month_cost_micros FROM workspaces WHERE slug ="
        " 'main'");
  }
};

TEST_F(CallsJobs, AFileEnqueuedIsKeptInTheFileStoreAndIngestedOnceByAWorker) {
  std::string lines;
  for (int i = 0; i < 5; ++i) lines += vapi_call(i).dump() + "\n";
  auto calls = file("calls.ndjson", lines);
  auto batch =
      run_json({"calls", "ingest", "--provider", "vapi", "--file", calls, "--workspace", "acme/main", "--enqueue"});
  EXPECT_EQ(batch["kind"], "calls.ingest") << batch.dump();
  EXPECT_EQ(batch["jobs"], 1);
  EXPECT_EQ(count("conversations"), 0) << "enqueueing ingests nothing";
  auto payload = json::parse(value("SELECT payload::text FROM jobs"));
  EXPECT_EQ(payload["name"], "calls.ndjson");
  auto stored = dir.path() / "files" / payload["file"].get<std::string>();
  ASSERT_TRUE(std::filesystem::exists(stored)) << stored;
  std::filesystem::remove(calls);  // the worker reads the store's copy, not the file given
  std::filesystem::last_write_time(stored, std::filesystem::file_time_type::clock::now() - std::chrono::hours(48));
  ASSERT_EQ(run({"cleanup", "files"}).exit_code, 0);
  ASSERT_TRUE(std::filesystem::exists(stored)) << "a job's input is named by its row, so cleanup keeps it";

  EXPECT_EQ(drain(), 1);
  EXPECT_EQ(run_json({"job", "status", batch["batch_id"]})["completed"], 1);
  EXPECT_EQ(count("conversations"), 5);
  EXPECT_EQ(count("usage_tracking"), 5);
  auto counted = usage();
  auto result = json::parse(value("SELECT result::text FROM jobs"));
  EXPECT_EQ(result["inserted"], 5) << result.dump();

  // The local run of the same file finds every call already there as it would have made it.
  auto local = run_json(
      {"calls", "ingest", "--provider", "vapi", "--file", file("local.ndjson", lines), "--workspace", "acme/main"});
  EXPECT_EQ(local["unchanged"], 5) << local.dump();
  // The same job again changes nothing more.
  ASSERT_EQ(run({"job", "enqueue", "calls.ingest", "--payload", payload.dump()}).exit_code, 0);
  EXPECT_EQ(drain(), 1);
  EXPECT_EQ(count("conversations"), 5);
  EXPECT_EQ(usage(), counted) << "usage is counted once";
}

TEST_F(CallsJobs, FromTheApiOneJobPerWorkspaceListsFromItsCheckpoint) {
  json calls = json::array();
  for (int i = 0; i < 7; ++i) calls.push_back(vapi_call(i));
  fake.add_calls({{"vapi", calls}});
  auto batch = run_json({"calls", "ingest", "--provider", "vapi", "--from-api", "--enqueue"});
  EXPECT_EQ(batch["jobs"], 1) << "one workspace has a VAPI integration: " << batch.dump();
  EXPECT_EQ(value("SELECT payload->>'workspace' FROM jobs"), workspace_id("acme/main"));
  EXPECT_EQ(count("conversations"), 0);
  EXPECT_EQ(drain(), 1);
  EXPECT_EQ(count("conversations"), 7);
  auto counted = usage();
  ASSERT_EQ(run({"job", "enqueue", "calls.ingest", "--payload", value("SELECT payload::text FROM jobs")}).exit_code, 0);
  EXPECT_EQ(drain(), 1);
  EXPECT_EQ(count("conversations"), 7);
  EXPECT_EQ(usage(), counted) << "the second listing counts nothing again";
}

TEST_F(CallsJobs, EnqueueRefusesWhatItCannotHonourAndBadPayloads) {
  auto calls = file("calls.ndjson", vapi_call(1).dump() + "\n");
  auto ingest = [&](std::vector<std::string> more) {
    std::vector<std::string> args{"calls", "ingest", "--provider", "vapi", "--file", calls, "--enqueue"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  expect_one_line(ingest({"--dry-run"}), 2, "--dry-run");
  expect_one_line(ingest({"--reject-file", file("r.csv", "")}), 2, "--reject-file");
  expect_one_line({"calls", "ingest", "--provider", "vapi", "--file", "/nonexistent.ndjson", "--enqueue"}, 6,
                  "/nonexistent.ndjson");
  expect_one_line(
      {"job", "enqueue", "calls.ingest", "--payload", R"({"provider": "vapi", "file": "../../etc/passwd"})"}, 6,
      "file");
  expect_one_line({"job", "enqueue", "calls.ingest", "--payload", R"({"provider": "bland", "workspace": "x"})"}, 6,
                  "bland");
  EXPECT_EQ(count("jobs"), 0);
}

}  // namespace
}  // namespace wfa
