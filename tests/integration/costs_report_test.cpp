// `wfa costs report` and `wfa export costs` over calls ingested from VAPI, Retell and Synthflow files.
#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "core/file_io.hpp"
#include "core/process.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

class CostsReport : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  CostsReport() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    add_partner("zeta", "Zeta");
    add_workspace("zeta", "ops", "Ops");
    agent("acme/main", "Vera", "vapi", "asst-vera", "gpt-4.1");
    agent("acme/main", "Rhea", "retell", "agent-rhea", "gpt-4o-mini");
    agent("acme/main", "Sol", "synthflow", "model-sol", "");
    agent("zeta/ops", "Zed", "vapi", "asst-zed", "gpt-4.1");
    auto vapi =
        file("vapi.ndjson", vapi_call("v-1", "asst-vera", "2026-11-03", "0.4233",
                                      R"({"llm": 0.2, "stt": 0.05, "tts": 0.1, "transport": 0.05, "vapi": 0.0233,
                                   "llmPromptTokens": 1200, "llmCompletionTokens": 300, "total": 0.4233})") +
                                vapi_call("v-2", "asst-vera", "2026-11-04", "0.1000001",
                                          R"({"llm": 0.05, "tts": 0.02, "chat": 0.01, "total": 0.1000001})") +
                                vapi_call("z-1", "asst-zed", "2026-11-04", "1.5", R"({"llm": 1.5})"));
    EXPECT_EQ(run({"calls", "ingest", "--provider", "vapi", "--file", vapi}).exit_code, 0);
    auto retell = file("retell.json", R"([{"call_id": "r-1", "agent_id": "agent-rhea", "call_status": "ended",
      "call_type": "phone_call", "direction": "inbound", "from_number": "+14155550100",
      "start_timestamp": 1762164000000, "end_timestamp": 1762164125500, "duration_ms": 125500,
      "call_cost": {"combined_cost": 12.5, "product_costs": [{"product": "elevenlabs_tts", "cost": 5},
        {"product": "gpt_4o_mini", "cost": 2.25}, {"product": "retell_platform", "cost": 3},
        {"product": "twilio_telephony", "cost": 1.75}, {"product": "deepgram_stt", "cost": 0.5}]}}])");
    EXPECT_EQ(run({"calls", "ingest", "--provider", "retell", "--file", retell}).exit_code, 0);
  }

  void agent(const std::string& workspace, const std::string& name, const std::string& provider,
             const std::string& external, const std::string& model) {
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" +
         workspace_id(workspace) + "', '" + name + "', '" + provider + "', '" +
         (model.empty() ? std::string("{}") : R"({"model": {"model": ")" + model + R"("}})") + "', '" + external +
         "')");
  }

  static std::string vapi_call(const std::string& id, const std::string& assistant, const std::string& day,
                               const std::string& dollars, const std::string& breakdown) {
    return json::parse(R"({"id": ")" + id + R"(", "assistantId": ")" + assistant +
                       R"(", "type": "outboundPhoneCall", "status": "ended", "startedAt": ")" + day +
                       R"(T10:00:00Z", "endedAt": ")" + day + R"(T10:01:00Z", "cost": )" + dollars +
                       R"(, "costBreakdown": )" + breakdown + R"(, "customer": {"number": "+971501234567"}})")
               .dump() +
           "\n";
  }

  /// groups is the report's rows by their group.
  std::map<std::string, json> groups(std::vector<std::string> args) {
    args.insert(args.begin(), {"costs", "report"});
    auto key = std::find(args.begin(), args.end(), "--by") == args.end()
                   ? std::string("workspace")
                   : *(std::find(args.begin(), args.end(), "--by") + 1);
    auto report = run_json(args);
    std::map<std::string, json> by;
    for (const auto& row : report["costs"]) by[row[key].get<std::string>()] = row;
    return by;
  }
};

TEST_F(CostsReport, TotalsEqualTheCallsCostsAndThePartsAddUpToThem) {
  auto by = groups({"--by", "provider"});
  ASSERT_EQ(by.size(), 2u);
  EXPECT_EQ(by["vapi"]["calls"], 3);
  EXPECT_EQ(by["vapi"]["total_micros"], 423300 + 100000 + 1500000) << "v-2's 0.1000001 rounds to whole micros";
  EXPECT_EQ(by["vapi"]["model_micros"], 200000 + 50000 + 1500000);
  EXPECT_EQ(by["vapi"]["transcriber_micros"], 50000);
  EXPECT_EQ(by["vapi"]["voice_micros"], 100000 + 20000);
  EXPECT_EQ(by["vapi"]["transport_micros"], 50000);
  EXPECT_EQ(by["vapi"]["platform_micros"], 23300);
  EXPECT_EQ(by["vapi"]["other_micros"], 30000) << "v-2's chat and the cents its parts leave";
  EXPECT_EQ(by["vapi"]["prompt_tokens"], 1200);
  EXPECT_EQ(by["vapi"]["completion_tokens"], 300);
  EXPECT_EQ(by["retell"]["total_micros"], 125000) << "Retell reports cents";
  EXPECT_EQ(by["retell"]["voice_micros"], 50000);
  EXPECT_EQ(by["retell"]["model_micros"], 22500);
  EXPECT_EQ(by["retell"]["platform_micros"], 30000);
  EXPECT_EQ(by["retell"]["transport_micros"], 17500);
  EXPECT_EQ(by["retell"]["transcriber_micros"], 5000);
  EXPECT_EQ(by["retell"]["other_micros"], 0);
  long sum = 0;
  for (auto& [key, row] : by) {
    long parts = 0;
    for (const char* part : {"model", "transcriber", "voice", "transport", "platform", "other"})
      parts += row[std::string(part) + "_micros"].get<long>();
    EXPECT_EQ(parts, row["total_micros"].get<long>()) << key;
    sum += row["total_micros"].get<long>();
  }
  EXPECT_EQ(std::to_string(sum), value("SELECT sum(total_cost_micros) FROM conversations"));
  for (const char* grouping : {"model", "agent", "workspace", "day"}) {
    long total = 0;
    for (auto& [key, row] : groups({"--by", grouping})) total += row["total_micros"].get<long>();
    EXPECT_EQ(total, sum) << grouping;
  }
  auto models = groups({"--by", "model"});
  EXPECT_EQ(models["gpt-4.1"]["calls"], 3);
  EXPECT_EQ(models["gpt-4o-mini"]["calls"], 1);
  auto days = groups({"--by", "day", "--since", "2026-11-04", "--until", "2026-11-05"});
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days["2026-11-04"]["calls"], 2);
}

TEST_F(CostsReport, ScopesFollowTheActorsRightsAndBadInputIsOneLine) {
  auto acme = groups({"--by", "workspace", "--partner", "acme"});
  ASSERT_EQ(acme.size(), 1u);
  EXPECT_EQ(acme.count("acme/main"), 1u);
  exec("INSERT INTO users (email) VALUES ('ana@acme.example')");
  exec("INSERT INTO workspace_members (workspace_id, user_id, role) SELECT '" + workspace_id("acme/main") +
       "', id, 'member' FROM users WHERE email = 'ana@acme.example'");
  auto ana = groups({"--by", "workspace", "--as", "ana@acme.example"});
  EXPECT_EQ(ana.size(), 1u) << "a member sees her workspace's costs only";
  EXPECT_EQ(ana.count("zeta/ops"), 0u);
  auto refused = run({"costs", "report", "--partner", "zeta", "--as", "ana@acme.example"});
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  for (const auto& [args, code, text] : std::vector<std::tuple<std::vector<std::string>, int, std::string>>{
           {{"--by", "month"}, 2, "--by"},
           {{"--workspace", "acme/main", "--partner", "acme"}, 2, "not both"},
           {{"--since", "2026-13-01"}, 6, "--since"},
           {{"--since", "2026-11-05", "--until", "2026-11-01"}, 6, "is not before"},
           {{"--workspace", "acme/nope"}, 3, "nope"}}) {
    std::vector<std::string> full{"costs", "report"};
    full.insert(full.end(), args.begin(), args.end());
    auto r = run(full);
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST_F(CostsReport, TheExportWritesTheSameRowsAsAWorkbook) {
  auto out = (dir.path() / "costs.xlsx").string();
  auto r = run({"export", "costs", "--by", "provider", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto csv = run({"export", "costs", "--by", "provider", "--out", "-", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find("provider,calls,total_usd,model_usd"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("retell,1,0.125000,0.022500,0.005000,0.050000,0.017500,0.030000,0.000000,0,0"),
            std::string::npos)
      << csv.out;
  auto listed = run_process({"unzip", "-p", out, "xl/worksheets/sheet1.xml"});
  EXPECT_NE(listed.out.find("retell"), std::string::npos) << "the workbook holds the rows";
  auto enqueued = run_json({"export", "costs", "--by", "provider", "--format", "csv", "--enqueue"});
  ASSERT_EQ(run({"worker", "--drain"}).exit_code, 0);
  EXPECT_EQ(read_file(enqueued["file"].get<std::string>(), "enqueued"), csv.out) << "a worker writes the same rows";
}

}  // namespace
}  // namespace wfa
