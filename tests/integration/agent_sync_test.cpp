// `wfa agent sync` against the fake VAPI, Retell and Synthflow: payloads, rollback, kill -9, Retry-After, the circuit.
#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "pipelines/providers/http.hpp"
#include "tests/support/fake_providers.hpp"
#include "tests/support/integration_fixture.hpp"

extern char** environ;

namespace wfa {
namespace {

using json = nlohmann::json;

const std::string vapi_key = "sk_live_sync_0000000000000a1b2";
const std::string retell_key = "key_sync_11111111111111112b3c";
const std::string synthflow_key = "sf-sync-2222222222222222221c0b";

class AgentSync : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  test::FakeProviders fake{{{"vapi", vapi_key}, {"retell", retell_key}, {"synthflow", synthflow_key}}};
  std::string outputs;

  AgentSync() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    env["WFA_VAPI_BASE_URL"] = fake.base_url("vapi");
    env["WFA_RETELL_BASE_URL"] = fake.base_url("retell");
    env["WFA_SYNTHFLOW_BASE_URL"] = fake.base_url("synthflow");
    for (const auto& [provider, key] :
         std::map<std::string, std::string>{{"vapi", vapi_key}, {"retell", retell_key}, {"synthflow", synthflow_key}})
      EXPECT_EQ(wfa({"integration", "set", "acme/main", provider}, key).exit_code, 0);
  }

  ProcessResult wfa(const std::vector<std::string>& args, const std::string& input = "") {
    auto r = run(args, input);
    outputs += r.out + r.err;
    return r;
  }

  void create(const std::string& name, const std::string& provider) {
    std::string voice = provider == "vapi" ? R"("provider": "11labs", )" : "";
    std::string model = provider == "vapi" ? R"("provider": "openai", )" : "";
    auto spec =
        file(name + ".json", R"({"name": ")" + name + R"(", "provider": ")" + provider + R"(", "voice": {)" + voice +
                                 R"("voice_id": "v-)" + name + R"("}, "model": {)" + model + R"("model": "gpt-4.1"},
      "system_prompt": "You help )" +
                                 name + R"(.", "first_message": "Hello from )" + name + R"("})");
    ASSERT_EQ(wfa({"agent", "create", "--workspace", "acme/main", "--spec", spec}).exit_code, 0);
  }

  /// mutating counts the requests that change something at the providers.
  std::size_t mutating() {
    std::size_t n = 0;
    for (const auto& r : fake.requests()) {
      auto method = r["method"].get<std::string>();
      auto path = r["path"].get<std::string>();
      n += method != "GET" && path != "/v2/list-agents";
    }
    return n;
  }

  /// spawn starts the binary with ARGS and the fixture's environment in DIR (default: this one), without waiting.
  pid_t spawn(const std::vector<std::string>& args, const std::string& dir = "") {
    return test::spawn_wfa(args, env, dir);
  }

  /// kill_during starts a sync, lets the provider receive PATH, then kills the sync with SIGKILL mid-request.
  void kill_during(const std::string& provider, const std::string& path) {
    fake.inject({{{"provider", provider}, {"method", "POST"}, {"path", path}, {"delay_ms", 1500}, {"times", 1}}});
    auto pid = spawn({"agent", "sync", "--workspace", "acme/main"});
    std::this_thread::sleep_for(std::chrono::milliseconds(900));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(900));  // the provider finishes the request it got
  }
};

TEST_F(AgentSync, PlansThenCreatesUpdatesAndDeletesAtEachProvider) {
  create("Vera", "vapi");
  create("Rhea", "retell");
  create("Sol", "synthflow");
  auto plan = wfa({"agent", "sync", "--workspace", "acme/main", "--dry-run", "-o", "csv"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.err.find("plan: 3 to create"), std::string::npos) << plan.err;
  EXPECT_NE(plan.out.find("acme/main,Vera,vapi,create,planned"), std::string::npos) << plan.out;
  EXPECT_EQ(mutating(), 0u) << "--dry-run sends nothing";

  auto synced = wfa({"agent", "sync", "--workspace", "acme/main"});
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_NE(synced.err.find("3 created, 0 updated, 0 deleted, 0 unchanged, 0 failed"), std::string::npos) << synced.err;
  auto objects = fake.objects();
  ASSERT_EQ(objects["vapi"].size(), 1u);
  auto assistant = objects["vapi"].begin().value();
  EXPECT_EQ(assistant["name"], "Vera");
  EXPECT_EQ(assistant["firstMessage"], "Hello from Vera");
  EXPECT_EQ(assistant["model"]["messages"][0]["content"], "You help Vera.");
  EXPECT_EQ(assistant["voice"], json({{"provider", "11labs"}, {"voiceId", "v-Vera"}}));
  EXPECT_EQ(assistant["metadata"]["wfa_agent_id"], value("SELECT id FROM ai_agents WHERE name = 'Vera'"));
  ASSERT_EQ(objects["retell_llm"].size(), 1u);
  ASSERT_EQ(objects["retell_agent"].size(), 1u);
  auto llm = objects["retell_llm"].begin().value();
  auto agent = objects["retell_agent"].begin().value();
  EXPECT_EQ(llm["general_prompt"], "You help Rhea.");
  EXPECT_EQ(llm["begin_message"], "Hello from Rhea");
  EXPECT_EQ(agent["response_engine"]["llm_id"], llm["llm_id"]);
  EXPECT_EQ(agent["voice_id"], "v-Rhea");
  EXPECT_EQ(agent["agent_name"], "Rhea");
  EXPECT_EQ(agent["published_versions"], json::array({0})) << "the new agent's draft is published";
  ASSERT_EQ(objects["synthflow"].size(), 1u);
  auto sf = objects["synthflow"].begin().value();
  EXPECT_EQ(sf["name"], "Sol");
  EXPECT_EQ(sf["agent"]["prompt"], "You help Sol.");
  EXPECT_EQ(sf["agent"]["greeting_message"], "Hello from Sol");
  EXPECT_EQ(value("SELECT string_agg(sync_status || '/' || needs_resync::text, ',') FROM ai_agents"),
            "synced/false,synced/false,synced/false");
  EXPECT_EQ(value("SELECT external_llm_id FROM ai_agents WHERE name = 'Rhea'"), llm["llm_id"].get<std::string>());

  ASSERT_EQ(wfa({"agent", "update", "Rhea", "--workspace", "acme/main", "--first-message", "Hi!"}).exit_code, 0);
  auto update_plan = wfa({"agent", "sync", "--workspace", "acme/main", "--dry-run", "-o", "csv"});
  EXPECT_NE(
      update_plan.out.find("Rhea,retell,update,planned," + agent["agent_id"].get<std::string>() + ",llm.begin_message"),
      std::string::npos)
      << update_plan.out;
  ASSERT_EQ(wfa({"agent", "sync", "--workspace", "acme/main"}).exit_code, 0);
  EXPECT_EQ(fake.objects()["retell_llm"].begin().value()["begin_message"], "Hi!");
  EXPECT_EQ(fake.objects()["retell_agent"].begin().value()["published_versions"], json::array({0, 1}))
      << "an update is published as the agent's next version";
  auto again = wfa({"agent", "sync", "--workspace", "acme/main", "--agent", "Vera"});
  EXPECT_NE(again.err.find("0 created, 1 updated"), std::string::npos) << "--agent pushes even when unchanged";

  for (const char* name : {"Vera", "Rhea", "Sol"})
    ASSERT_EQ(wfa({"agent", "delete", name, "--workspace", "acme/main", "--yes"}).exit_code, 0);
  auto removed = wfa({"agent", "sync", "--workspace", "acme/main"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  objects = fake.objects();
  for (const char* table : {"vapi", "retell_llm", "retell_agent", "synthflow"})
    EXPECT_EQ(objects[table].size(), 0u) << table;
  auto requests = fake.requests();
  std::vector<std::string> retell_deletes;
  for (const auto& r : requests)
    if (r["method"] == "DELETE" && r["provider"] == "retell") retell_deletes.push_back(r["path"]);
  ASSERT_EQ(retell_deletes.size(), 2u);
  EXPECT_EQ(retell_deletes[0].rfind("/delete-agent/", 0), 0u) << "the agent goes before its LLM";
  EXPECT_EQ(value("SELECT string_agg(DISTINCT sync_status, ',') FROM ai_agents"), "removed");
  for (const auto& key : {vapi_key, retell_key, synthflow_key}) EXPECT_EQ(outputs.find(key), std::string::npos);
}

TEST_F(AgentSync, RetellsLlmIsDeletedAgainWhenItsAgentCannotBeMade) {
  create("Rhea", "retell");
  fake.inject({{{"provider", "retell"},
                {"path", "^/create-agent$"},
                {"status", 422},
                {"body", {{"error_message", "voice v-Rhea does not exist"}}}}});
  auto r = wfa({"agent", "sync", "--workspace", "acme/main"});
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(r.err.find("retell refused the new agent (HTTP 422): voice v-Rhea does not exist"), std::string::npos)
      << r.err;
  EXPECT_EQ(fake.objects()["retell_llm"].size(), 0u) << "the LLM was rolled back";
  EXPECT_EQ(value("SELECT coalesce(external_llm_id, 'none') || '/' || sync_status FROM ai_agents"), "none/failed");
  EXPECT_NE(value("SELECT last_sync_error FROM ai_agents").find("HTTP 422"), std::string::npos);
  auto retried = wfa({"agent", "sync", "--workspace", "acme/main"});
  EXPECT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_EQ(fake.objects()["retell_llm"].size(), 1u);
  EXPECT_EQ(fake.objects()["retell_agent"].size(), 1u);
}

TEST_F(AgentSync, AKillNineAtAnyPointLeavesExactlyOneObjectPerAgent) {
  // Each agent is created just before its kill, so each run dies inside that agent's create request.
  create("Vera", "vapi");
  kill_during("vapi", "^/assistant$");
  create("Rhea", "retell");
  kill_during("retell", "^/create-retell-llm$");
  create("Sol", "synthflow");
  kill_during("synthflow", "^/assistants$");
  EXPECT_EQ(value("SELECT count(*) FROM ai_agents WHERE sync_attempt IS NOT NULL AND external_agent_id IS NULL"), "1")
      << "the last run died with Sol's create in flight, its marker recorded";
  auto rerun = wfa({"agent", "sync", "--workspace", "acme/main"});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  kill_during("retell", "^/create-agent$");  // no-op now: everything exists; kept to prove reruns stay idempotent
  ASSERT_EQ(wfa({"agent", "update", "Rhea", "--workspace", "acme/main", "--first-message", "Again"}).exit_code, 0);
  EXPECT_EQ(wfa({"agent", "sync", "--workspace", "acme/main"}).exit_code, 0);
  auto objects = fake.objects();
  EXPECT_EQ(objects["vapi"].size(), 1u);
  EXPECT_EQ(objects["retell_llm"].size(), 1u);
  EXPECT_EQ(objects["retell_agent"].size(), 1u);
  EXPECT_EQ(objects["synthflow"].size(), 1u);
  EXPECT_EQ(value("SELECT count(*) FROM ai_agents WHERE sync_status = 'synced' AND external_agent_id IS NOT NULL"),
            "3");
}

TEST_F(AgentSync, ACrashWhileHoldingAnApiKeyLeavesNoCoreDump) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "sanitizer builds keep core dumps (LeakSanitizer needs ptrace)";
#endif
  std::ifstream pattern_file("/proc/sys/kernel/core_pattern");
  std::string pattern;
  std::getline(pattern_file, pattern);
  if (pattern.rfind("core", 0) != 0) GTEST_SKIP() << "core dumps go to " << pattern << ", not to a file here";
  rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
  ASSERT_EQ(::setrlimit(RLIMIT_CORE, &unlimited), 0);
  auto cores_in = [](const std::filesystem::path& dir) {
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      n += entry.path().filename().string().rfind("core", 0) == 0;
    return n;
  };
  auto abort_after = [](pid_t pid, int ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    ::kill(pid, SIGABRT);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
  };
  auto control = dir.path() / "control";
  auto crash = dir.path() / "crash";
  std::filesystem::create_directories(control);
  std::filesystem::create_directories(crash);
  pid_t sleeper = -1;
  char sleep_path[] = "/bin/sleep", seconds[] = "30";
  char* sleep_argv[] = {sleep_path, seconds, nullptr};
  posix_spawn_file_actions_t in_control;
  posix_spawn_file_actions_init(&in_control);
  posix_spawn_file_actions_addchdir_np(&in_control, control.c_str());
  ASSERT_EQ(posix_spawn(&sleeper, sleep_path, &in_control, nullptr, sleep_argv, environ), 0);
  posix_spawn_file_actions_destroy(&in_control);
  abort_after(sleeper, 200);
  if (cores_in(control) == 0) GTEST_SKIP() << "this machine writes no core dumps at all";

  create("Vera", "vapi");
  fake.inject({{{"provider", "vapi"}, {"method", "POST"}, {"path", "^/assistant$"}, {"delay_ms", 3000}, {"times", 1}}});
  auto status = abort_after(spawn({"agent", "sync", "--workspace", "acme/main"}, crash.string()), 900);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) << "the sync was mid-request when it was aborted";
  EXPECT_FALSE(WCOREDUMP(status));
  EXPECT_EQ(cores_in(crash), 0) << "the process held the decrypted VAPI key";
  EXPECT_EQ(fake.requests().back()["authorized"], true) << "the key had been used";
}

TEST_F(AgentSync, AKillBetweenRetellsLlmAndItsAgentIsFinishedByTheNextRun) {
  create("Rhea", "retell");
  kill_during("retell", "^/create-agent$");
  EXPECT_NE(value("SELECT coalesce(external_llm_id, '') FROM ai_agents"), "")
      << "the LLM id was recorded before the agent was asked";
  auto rerun = wfa({"agent", "sync", "--workspace", "acme/main"});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  auto objects = fake.objects();
  EXPECT_EQ(objects["retell_llm"].size(), 1u);
  EXPECT_EQ(objects["retell_agent"].size(), 1u) << "the agent the killed run asked for is adopted, not made twice";
}

TEST_F(AgentSync, A429WithRetryAfterIsWaitedOut) {
  create("Vera", "vapi");
  fake.inject({{{"provider", "vapi"},
                {"method", "POST"},
                {"path", "^/assistant$"},
                {"status", 429},
                {"retry_after", 2},
                {"times", 1}}});
  auto started = std::chrono::steady_clock::now();
  auto r = wfa({"agent", "sync", "--workspace", "acme/main"});
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(took, std::chrono::seconds(2));
  EXPECT_EQ(fake.objects()["vapi"].size(), 1u);
}

TEST_F(AgentSync, AnOpenCircuitSendsNothingAndExits7) {
  for (const char* name : {"A1", "A2", "A3", "A4"}) create(name, "vapi");
  env["WFA_PROVIDER_RETRIES"] = "0";
  env["WFA_CIRCUIT_FAILURES"] = "2";
  fake.inject({{{"provider", "vapi"}, {"method", "POST"}, {"path", "^/assistant$"}, {"status", 503}, {"times", 10}}});
  auto r = wfa({"agent", "sync", "--workspace", "acme/main", "--concurrency", "1"});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_NE(r.err.find("the vapi circuit is open"), std::string::npos) << r.err;
  std::size_t posts = 0;
  for (const auto& request : fake.requests()) posts += request["method"] == "POST";
  EXPECT_EQ(posts, 2u) << "after two failures no request reaches the provider";
  EXPECT_EQ(value("SELECT count(*) FROM ai_agents WHERE sync_status = 'failed'"), "4");
}

TEST_F(AgentSync, BadSelectionsAreUsageErrorsAndAnUnsyncedAgentHasNoDiff) {
  create("Vera", "vapi");
  auto no_scope = wfa({"agent", "sync"});
  EXPECT_EQ(no_scope.exit_code, 2);
  EXPECT_NE(no_scope.err.find("give --workspace, or --all"), std::string::npos) << no_scope.err;
  EXPECT_EQ(wfa({"agent", "sync", "--agent", "Vera"}).exit_code, 2);
  EXPECT_EQ(wfa({"agent", "sync", "--workspace", "acme/main", "--concurrency", "0"}).exit_code, 2);
  EXPECT_EQ(wfa({"agent", "sync", "--workspace", "acme/main", "--agent", "Nobody"}).exit_code, 3);
  auto unsynced = wfa({"agent", "diff", "Vera", "--workspace", "acme/main"});
  EXPECT_EQ(unsynced.exit_code, 4);
  EXPECT_NE(unsynced.err.find("agent 'Vera' is not at vapi yet"), std::string::npos) << unsynced.err;
  EXPECT_EQ(wfa({"agent", "pull", "--workspace", "acme/main", "--provider", "zoom"}).exit_code, 2);
  EXPECT_EQ(mutating(), 0u);
  env.erase("WFA_VAPI_BASE_URL");
  ASSERT_EQ(wfa({"integration", "remove", "acme/main", "vapi", "--yes"}).exit_code, 0);
  auto no_key = wfa({"agent", "sync", "--workspace", "acme/main"});
  EXPECT_EQ(no_key.exit_code, 8) << no_key.err;
  EXPECT_NE(no_key.err.find("has no vapi integration"), std::string::npos) << no_key.err;
  EXPECT_EQ(value("SELECT sync_status FROM ai_agents"), "failed");
}

TEST_F(AgentSync, DiffShowsDriftAtTheProviderAndPullAdoptsWhatWfaLacks) {
  create("Vera", "vapi");
  ASSERT_EQ(wfa({"agent", "sync", "--workspace", "acme/main"}).exit_code, 0);
  auto same = wfa({"agent", "diff", "Vera", "--workspace", "acme/main"});
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.err.find("matches wfa"), std::string::npos) << same.err;

  auto at_vapi = [&](const std::string& method, const std::string& path, const json& body) {
    HttpRequest request;
    request.method = method;
    request.url = fake.base_url("vapi") + path;
    request.body = body.dump();
    request.headers = {{"Authorization", "Bearer " + vapi_key}, {"Content-Type", "application/json"}};
    return send_http(request);
  };
  auto id = value("SELECT external_agent_id FROM ai_agents WHERE name = 'Vera'");
  at_vapi("PATCH", "/assistant/" + id, {{"firstMessage", "Changed at VAPI"}});
  auto drift = wfa({"agent", "diff", "Vera", "--workspace", "acme/main", "-o", "csv"});
  EXPECT_EQ(drift.exit_code, 0) << drift.err;
  EXPECT_NE(drift.out.find("firstMessage,\"\"\"Changed at VAPI\"\"\",\"\"\"Hello from Vera\"\"\""), std::string::npos)
      << drift.out;

  at_vapi("POST", "/assistant",
          {{"name", "Outside"},
           {"firstMessage", "Hi"},
           {"model",
            {{"provider", "openai"},
             {"model", "gpt-4.1"},
             {"messages", {{{"role", "system"}, {"content", "Made in the dashboard."}}}}}},
           {"voice", {{"provider", "11labs"}, {"voiceId", "v-out"}}}});
  auto pulled = wfa({"agent", "pull", "--workspace", "acme/main", "--provider", "vapi", "-o", "csv"});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.err;
  EXPECT_NE(pulled.err.find("1 of 2 vapi agents adopted"), std::string::npos) << pulled.err;
  EXPECT_NE(pulled.out.find("Vera," + id + ",known"), std::string::npos) << pulled.out;
  auto again = wfa({"agent", "pull", "--workspace", "acme/main", "--provider", "vapi"});
  EXPECT_NE(again.err.find("0 of 2 vapi agents adopted"), std::string::npos) << again.err;
  auto outside = run_json({"agent", "show", "Outside", "--workspace", "acme/main"});
  EXPECT_EQ(outside["sync_status"], "synced");
  EXPECT_EQ(nlohmann::json::parse(outside["spec"].get<std::string>())["system_prompt"], "Made in the dashboard.");
  auto forced = wfa({"agent", "sync", "--workspace", "acme/main", "--agent", "Outside", "--dry-run", "-o", "csv"});
  EXPECT_NE(forced.out.find("Outside,vapi,update,planned," + outside["external_agent_id"].get<std::string>() + ",,"),
            std::string::npos)
      << "an adopted agent has nothing to change: " << forced.out;
}

}  // namespace
}  // namespace wfa
