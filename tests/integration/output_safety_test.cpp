// What wfa writes: never half a file, never through a planted symlink, never over an input, never before the
// arguments are valid; a stdout that cannot be written is exit 1 with one line; killed runs' leftovers go.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/process.hpp"
#include "tests/integration/campaign_fixture.hpp"

namespace fs = std::filesystem;
using namespace wfa;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// dead_pid is the id of a process that has ended.
pid_t dead_pid() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

struct ExportFixture : test::CampaignFixture {
  ExportFixture() {
    exec(
        "INSERT INTO campaign_recipients (workspace_id, campaign_id, phone) SELECT workspace_id, id, '+971500000001'"
        " FROM campaigns");
  }
};

}  // namespace

TEST(OutputSafety, AnExportThatFailsValidationLeavesTheExistingFileIntact) {
  ExportFixture f;
  auto out = f.file("keep.csv", "precious\n");
  auto missing = f.run({"campaign", "recipients", "export", "acme/main/nope", "--out", out});
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  EXPECT_EQ(slurp(out), "precious\n");
  auto bad_flag = f.run({"campaign", "recipients", "export", "acme/main/spring", "--out", out, "--limit", "x"});
  EXPECT_EQ(bad_flag.exit_code, 2) << bad_flag.err;
  EXPECT_EQ(slurp(out), "precious\n");
}

TEST(OutputSafety, ASymlinkPlantedAtTheOutputIsReplacedNotFollowed) {
  ExportFixture f;
  auto victim = f.file("victim.txt", "do not touch\n");
  auto out = f.dir.path() / "out.csv";
  fs::create_symlink(victim, out);
  auto r = f.run({"campaign", "recipients", "export", "acme/main/spring", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(victim), "do not touch\n");
  EXPECT_FALSE(fs::is_symlink(out));
  EXPECT_NE(slurp(out).find("+971500000001"), std::string::npos);
}

TEST(OutputSafety, TemporariesOfAKilledRunAreRemovedByTheNextRunAndByCleanupFiles) {
  ExportFixture f;
  auto out = f.dir.path() / "out.csv";
  auto stale = f.dir.path() / (".out.csv.wfa-tmp-" + std::to_string(dead_pid()) + "-0");
  std::ofstream(stale) << "half";
  ASSERT_EQ(f.run({"campaign", "recipients", "export", "acme/main/spring", "--out", out.string()}).exit_code, 0);
  EXPECT_FALSE(fs::exists(stale)) << "the next writer of out.csv removes a dead run's temporary";

  auto store = f.dir.path() / "files" / "mockups" / "ab";
  fs::create_directories(store);
  auto dead = store / (".ab12.jpg.wfa-tmp-" + std::to_string(dead_pid()) + "-3");
  auto live = store / (".ab34.jpg.wfa-tmp-" + std::to_string(getpid()) + "-0");
  std::ofstream(dead) << "half a mockup";
  std::ofstream(live) << "being written";
  auto dry = f.run_json({"cleanup", "files", "--dry-run"});
  ASSERT_EQ(dry["files"].size(), 1u) << dry;
  EXPECT_TRUE(fs::exists(dead));
  auto done = f.run_json({"cleanup", "files"});
  ASSERT_EQ(done["files"].size(), 1u) << done;
  EXPECT_EQ(done["files"][0]["file"], dead.string());
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(live)) << "a running writer's temporary is kept";
  auto again = f.run({"cleanup", "files"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("nothing to do"), std::string::npos) << again.err;
}

TEST(OutputSafety, AFullStandardOutputIsExit1WithOneLineInEveryFormat) {
  test::IntegrationFixture f;
  f.add_partner("acme", "Acme");
  ProcessOptions options;
  options.set_env = f.env;
  for (const char* format : {"table", "plain", "json", "ndjson", "csv"}) {
    auto r = run_process({"sh", "-c", std::string("'") + WFA_BINARY + "' partner list -o " + format + " > /dev/full"},
                         options);
    EXPECT_EQ(r.exit_code, 1) << format << ": " << r.err;
    EXPECT_EQ(test::lines(r.err), 1u) << format << ": " << r.err;
    EXPECT_NE(r.err.find("standard output"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("No space left"), std::string::npos) << r.err;
  }
  auto streamed =
      run_process({"sh", "-c", std::string("'") + WFA_BINARY + "' audit list --all -o json > /dev/full"}, options);
  EXPECT_EQ(streamed.exit_code, 1) << streamed.err;
  EXPECT_EQ(test::lines(streamed.err), 1u) << streamed.err;
}

TEST(OutputSafety, AClosedPipeEndsWfaBySigpipeWithoutAWord) {
  test::IntegrationFixture f;
  for (int i = 0; i < 3; ++i) f.add_partner("p" + std::to_string(i), "P");
  ProcessOptions options;
  options.set_env = f.env;
  // `true` has exited long before wfa has read its rows and writes them.
  auto r = run_process(
      {"bash", "-c", std::string("'") + WFA_BINARY + "' partner list -o plain | true; echo status=${PIPESTATUS[0]}"},
      options);
  EXPECT_NE(r.out.find("status=141"), std::string::npos) << r.out << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(OutputSafety, AnOutputThatIsAnInputIsRefusedBeforeAnythingIsWritten) {
  test::IntegrationFixture f;
  auto batch = f.file("batch.csv", "client,location\nAcme,DXB-1\n");
  auto r = f.run({"proposal", "batch", batch, "--workspace", "acme/main", "--out", f.dir.path().string(),
                  "--combined-pdf", batch});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("--combined-pdf"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(batch), "client,location\nAcme,DXB-1\n");
  auto creative = f.file("creative.png", "not really a png");
  auto m =
      f.run({"mockup", "generate", "DXB-1", "--workspace", "acme/main", "--creative", creative, "--out", creative});
  EXPECT_EQ(m.exit_code, 6) << m.err;
  EXPECT_NE(m.err.find("--out"), std::string::npos) << m.err;
  EXPECT_EQ(slurp(creative), "not really a png");
}

TEST(OutputSafety, OutputsArePrivateUnlessGroupReadableIsAskedFor) {
  ExportFixture f;
  auto out = f.dir.path() / "new" / "dir" / "out.csv";
  ASSERT_EQ(f.run({"campaign", "recipients", "export", "acme/main/spring", "--out", out.string()}).exit_code, 0);
  EXPECT_EQ(fs::status(out).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(fs::status(out.parent_path()).permissions() & fs::perms::all, fs::perms::owner_all);
  f.env["WFA_GROUP_READABLE_OUTPUTS"] = "1";
  auto shared = f.dir.path() / "team" / "out.csv";
  ASSERT_EQ(f.run({"campaign", "recipients", "export", "acme/main/spring", "--out", shared.string()}).exit_code, 0);
  EXPECT_EQ(fs::status(shared).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  EXPECT_EQ(fs::status(shared.parent_path()).permissions() & fs::perms::all,
            fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
}

TEST(OutputSafety, AWorldWritableDirectoryWithoutTheStickyBitIsRefused) {
  ExportFixture f;
  auto open_dir = f.dir.path() / "open";
  fs::create_directories(open_dir);
  fs::permissions(open_dir, fs::perms::all);
  auto out = (open_dir / "out.csv").string();
  auto refused = f.run({"campaign", "recipients", "export", "acme/main/spring", "--out", out});
  EXPECT_EQ(refused.exit_code, 6) << refused.err;
  EXPECT_EQ(test::lines(refused.err), 1u) << refused.err;
  EXPECT_NE(refused.err.find("sticky"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(out));
  fs::permissions(open_dir, fs::perms::all | fs::perms::sticky_bit);
  EXPECT_EQ(f.run({"campaign", "recipients", "export", "acme/main/spring", "--out", out}).exit_code, 0)
      << "a sticky directory such as /tmp is fine";
  fs::permissions(open_dir, fs::perms::all);
  f.env["WFA_ALLOW_SHARED_OUTPUT_DIRS"] = "1";
  EXPECT_EQ(f.run({"campaign", "recipients", "export", "acme/main/spring", "--out", out}).exit_code, 0);
}
