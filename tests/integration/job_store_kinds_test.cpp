// webhook.process and export as jobs: `webhooks replay --enqueue` and `export … --enqueue` return at once, a worker
// processes the event once (the claim serve's processor uses) and writes the export byte for byte as the local verb.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/integration/job_fixture.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

const std::string vapi_report =
    R"({"message":{"type":"end-of-call-report","endedReason":"customer-ended-call",)"
    R"("startedAt":"2026-12-01T10:00:00.000Z","endedAt":"2026-12-01T10:02:00.000Z","cost":0.25,)"
    R"("artifact":{"transcript":"hello there"},"analysis":{"summary":"booked a viewing"},)"
    R"("call":{"id":"call-j1","assistantId":"asst-1","type":"inboundPhoneCall","customer":{"number":"+971500000001"}}}})";

class StoreJobs : public ::testing::Test, protected test::JobFixture {
 protected:
  StoreJobs() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" +
         workspace_id("acme/main") + "', 'Desk', 'vapi', '{}', 'asst-1')");
  }

  long drain() { return run_json({"worker", "--drain"})["completed"].get<long>(); }

  void expect_one_line(const std::vector<std::string>& args, int code, const std::string& needle) {
    auto r = run(args);
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 2) << "one line (and a hint): " << r.err;
  }

  /// event stores a delivery of the VAPI report as serve would, with STATUS, and returns its id.
  std::string event(const std::string& status) {
    return value(
        "INSERT INTO webhook_events (workspace_id, provider, endpoint, event_id, event_type, body, status)"
        " VALUES ('" +
        workspace_id("acme/main") + "', 'vapi', 'e', 'call-j1:end-of-call-report', 'end-of-call-report', convert_to('" +
        vapi_report + "', 'UTF8'), '" + status + "') RETURNING id");
  }

  static std::string bytes_of(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
};

TEST_F(StoreJobs, AReplayEnqueuedProcessesEachEventOnceThroughServesClaim) {
  auto id = event("failed");
  auto batch = run_json({"webhooks", "replay", id, "--enqueue"});
  EXPECT_EQ(batch["kind"], "webhook.process") << batch.dump();
  EXPECT_EQ(batch["jobs"], 1);
  EXPECT_EQ(value("SELECT status FROM webhook_events"), "received") << "due again, for a job or serve's processor";
  EXPECT_EQ(count("conversations"), 0) << "enqueueing processes nothing";

  EXPECT_EQ(drain(), 1);
  EXPECT_EQ(run_json({"job", "status", batch["batch_id"]})["completed"], 1);
  EXPECT_EQ(value("SELECT status FROM webhook_events"), "processed");
  EXPECT_EQ(count("conversations"), 1);
  EXPECT_EQ(count("usage_tracking"), 1);
  EXPECT_EQ(json::parse(value("SELECT result::text FROM jobs"))["detail"], "call inserted");
  auto attempts = value("SELECT attempts FROM webhook_events");

  // The same job again: the event is no longer received, so it is skipped and nothing moves.
  ASSERT_EQ(run({"job", "enqueue", "webhook.process", "--payload", json{{"event", id}}.dump()}).exit_code, 0);
  EXPECT_EQ(drain(), 1);
  EXPECT_EQ(json::parse(value("SELECT result::text FROM jobs ORDER BY id DESC LIMIT 1"))["outcome"], "skipped");
  EXPECT_EQ(value("SELECT attempts FROM webhook_events"), attempts) << "a skipped event is not touched";
  EXPECT_EQ(count("usage_tracking"), 1);
  // The local replay of the same event finds what the job made.
  auto local = run_json({"webhooks", "replay", id});
  EXPECT_EQ(local["events"][0]["detail"], "call unchanged") << local.dump();
}

TEST_F(StoreJobs, WebhookEnqueueRefusesWhatItCannotHonourAndBadPayloads) {
  auto id = event("processed");
  expect_one_line({"webhooks", "replay", id, "--enqueue", "--dry-run"}, 2, "--enqueue");
  expect_one_line({"webhooks", "replay", "not-an-id", "--enqueue"}, 2, "not-an-id");
  expect_one_line({"job", "enqueue", "webhook.process", "--payload", R"({"event": "e-1"})"}, 6, "event");
  expect_one_line({"job", "enqueue", "webhook.process", "--payload", R"({"id": 1})"}, 6, "id");
  EXPECT_EQ(count("jobs"), 0);
  EXPECT_EQ(value("SELECT status FROM webhook_events"), "processed");
}

TEST_F(StoreJobs, AnExportEnqueuedIsWrittenToTheBatchOutputAsTheLocalExport) {
  ASSERT_EQ(run({"webhooks", "replay", event("received")}).exit_code, 0);  // one call to export
  for (const char* format : {"csv", "xlsx"}) {
    auto local = (dir.path() / (std::string("local.") + format)).string();
    ASSERT_EQ(run({"export", "calls", "--workspace", "acme/main", "--out", local}).exit_code, 0);
    auto batch = run_json({"export", "calls", "--workspace", "acme/main", "--format", format, "--enqueue"});
    EXPECT_EQ(batch["kind"], "export") << batch.dump();
    EXPECT_EQ(batch["jobs"], 1);
    std::filesystem::path out = batch["file"].get<std::string>();
    EXPECT_EQ(out, dir.path() / "files" / "batches" / batch["batch_id"].get<std::string>() /
                       (std::string("calls.") + format));
    EXPECT_FALSE(std::filesystem::exists(out)) << "enqueueing writes nothing";
    EXPECT_EQ(drain(), 1);
    EXPECT_EQ(run_json({"job", "status", batch["batch_id"]})["completed"], 1);
    ASSERT_TRUE(std::filesystem::exists(out));
    bool csv = std::string(format) == "csv";
    if (csv) {
      EXPECT_EQ(bytes_of(out), bytes_of(local)) << "the same bytes as the local export";
    } else {
      EXPECT_GT(std::filesystem::file_size(out), 1000u);
    }

    // The same job again rewrites the same file, and leaves nothing else.
    auto before = bytes_of(out);
    ASSERT_EQ(run({"job", "enqueue", "export", "--payload",
                   value("SELECT payload::text FROM jobs WHERE payload->>'batch' = '" +
                         batch["batch_id"].get<std::string>() + "'")})
                  .exit_code,
              0);
    EXPECT_EQ(drain(), 1);
    if (csv) {
      EXPECT_EQ(bytes_of(out), before);
    }
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(out.parent_path()), {}), 1);
  }
}

TEST_F(StoreJobs, ExportEnqueueRefusesWhatItCannotHonourAndBadPayloads) {
  add_user("nobody@acme.test");
  expect_one_line({"export", "calls", "--workspace", "acme/main", "--enqueue", "--out", "x.csv"}, 2, "--out");
  expect_one_line({"export", "calls", "--workspace", "acme/main", "--enqueue"}, 2, "--format");
  expect_one_line({"export", "calls", "--workspace", "acme/nowhere", "--format", "csv", "--enqueue"}, 3,
                  "acme/nowhere");
  expect_one_line(
      {"export", "usage", "--workspace", "acme/main", "--format", "csv", "--enqueue", "--as", "nobody@acme.test"}, 5,
      "");
  expect_one_line({"job", "enqueue", "export", "--payload", R"({"export": "secrets", "format": "csv"})"}, 6, "secrets");
  expect_one_line({"job", "enqueue", "export", "--payload",
                   R"({"export": "calls", "format": "csv", "batch": "b", "campaign": "x"})"},
                  6, "campaign");
  EXPECT_EQ(count("jobs"), 0);
}

}  // namespace
}  // namespace wfa
