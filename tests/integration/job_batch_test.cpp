// Batch verbs with --enqueue: the work split into jobs, done by several workers sharing one file store, reported by
// `wfa job status` as the local run reports it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "core/file_io.hpp"
#include "core/process.hpp"
#include "tests/integration/job_fixture.hpp"
#include "tests/integration/proposal_seed.hpp"

namespace wfa {
namespace {

namespace fs = std::filesystem;

class JobBatch : public ::testing::Test, protected test::JobFixture {
 protected:
  fs::path store;

  void SetUp() override {
    store = dir.path() / "shared/files";
    env["WFA_FILE_STORE"] = store.string();
    env["SOURCE_DATE_EPOCH"] = "1735689600";
    test::seed_w1_workspace(*this, store);
  }

  /// batch_file writes the first N W1 rows with explicit ids P-1…, so a local run and an enqueued one name the same
  /// proposals, plus EXTRA lines.
  fs::path batch_file(std::size_t n, const std::string& extra = "") {
    std::ifstream in(test::source_dir() / "fixtures/w1/batch.csv");
    std::string line, text;
    std::getline(in, line);
    text = line + ",proposal_id\n";
    for (std::size_t i = 1; i <= n && std::getline(in, line); ++i) text += line + ",P-" + std::to_string(i) + "\n";
    auto path = dir.path() / "batch.csv";
    write_file_atomic(path, text + extra);
    return path;
  }

  /// machines starts N workers, each with a data directory of its own (another machine) and the shared store.
  void machines(int n) {
    auto own = env["WFA_DATA_DIR"];
    for (int i = 0; i < n; ++i) {
      env["WFA_DATA_DIR"] = (dir.path() / ("machine-" + std::to_string(i))).string();
      worker({"--concurrency", "1", "--batch", "1"});
    }
    env["WFA_DATA_DIR"] = own;
  }

  /// finished is `wfa job status BATCH --wait`: once no job of the batch is left to run.
  ProcessResult finished(const std::string& batch) { return run({"job", "status", batch, "--wait", "-o", "json"}); }
};

TEST_F(JobBatch, AProposalBatchAcrossThreeWorkersGivesTheLocalRunsBytes) {
  auto batch = batch_file(24);
  auto local = dir.path() / "local";
  auto r = run({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--out", local.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto enqueued =
      run_json({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--enqueue", "--chunk-size", "3"});
  auto id = enqueued["batch_id"].get<std::string>();
  EXPECT_EQ(enqueued["jobs"], 8);
  EXPECT_EQ(enqueued["kind"], "proposal.chunk");
  EXPECT_EQ(value("SELECT count(*) FROM jobs WHERE batch_id = '" + id + "' AND status = 'available'"), "8")
      << "--enqueue returns before any work is done";
  machines(3);
  auto status = finished(id);
  ASSERT_EQ(status.exit_code, 0) << status.err << status.out;
  auto report = nlohmann::json::parse(status.out);
  EXPECT_EQ(report["completed"], 8) << status.out;
  EXPECT_TRUE(report["failures"].empty()) << status.out;
  auto output = fs::path(report["output"].get<std::string>());
  EXPECT_EQ(output, store / "batches" / id);
  for (int i = 1; i <= 24; ++i) {
    auto name = "P-" + std::to_string(i) + ".pdf";
    ASSERT_TRUE(fs::exists(output / name)) << name;
    EXPECT_EQ(read_file(output / name, "enqueued"), read_file(local / name, "local")) << name << " differs";
  }
  EXPECT_EQ(run_process({"qpdf", "--check", (output / "P-24.pdf").string()}).exit_code, 0);
  EXPECT_GE(std::stol(value("SELECT count(DISTINCT claimed_by) FROM jobs WHERE batch_id = '" + id + "'")), 2)
      << "the chunks spread over the workers";
  EXPECT_EQ(value("SELECT count(*) FROM proposals_log"), "24") << "the same ids, logged once each";
}

TEST_F(JobBatch, FailedRowsOfEnqueuedChunksAreListedByJobStatusAsTheLocalRunReportsThem) {
  auto batch = batch_file(5,
                          "Unknown Place,DXB-999,Nowhere,2025-01-06,AED,P-6\n"
                          "Twice,DXB-001,Again,2025-01-06,AED,P-1\n");
  auto enqueued =
      run_json({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--enqueue", "--chunk-size", "2"});
  auto id = enqueued["batch_id"].get<std::string>();
  machines(1);
  auto status = finished(id);
  EXPECT_EQ(status.exit_code, 8) << "some rows failed, as the local run exits: " << status.err;
  auto report = nlohmann::json::parse(status.out);
  ASSERT_EQ(report["failures"].size(), 2u) << status.out;
  std::string errors =
      report["failures"][0]["error"].get<std::string>() + "\n" + report["failures"][1]["error"].get<std::string>();
  EXPECT_NE(errors.find("batch.csv:7: unknown location 'DXB-999'"), std::string::npos) << errors;
  EXPECT_NE(errors.find("proposal id P-1 is already used on row 1"), std::string::npos)
      << "a clash between rows of different chunks is found before the split: " << errors;
  EXPECT_EQ(report["failures"][0]["status"], "item failed");
  EXPECT_NE(status.err.find("2 item(s) failed"), std::string::npos) << status.err;
  EXPECT_EQ(value("SELECT count(*) FROM proposals_log"), "5");
}

TEST_F(JobBatch, EnqueueRefusesWhatOnlyALocalRunDoesInOneLine) {
  auto batch = batch_file(2);
  for (const auto& [flags, expected] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--out", "x"}, "--out is for a local run"},
           {{"--resume"}, "--resume is for a local run"},
           {{"--combined-pdf", "all.pdf"}, "--combined-pdf is for a local run"},
           {{"--chunk-size", "0"}, "--chunk-size must be from 1 to 1000"}}) {
    std::vector<std::string> args{"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--enqueue"};
    args.insert(args.end(), flags.begin(), flags.end());
    auto r = run(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  auto r = run({"proposal", "batch", batch.string(), "--workspace", "skyline/sales"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--out is required"), std::string::npos) << r.err;
  EXPECT_EQ(jobs("available"), 0) << "nothing was enqueued";
}

}  // namespace
}  // namespace wfa
