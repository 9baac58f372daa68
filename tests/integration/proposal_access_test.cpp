// Proposals as records of the permission model: the team example (leaders see their members' proposals, not another
// team's; shares to a user and to a team until they expire), `proposal list` and `export proposals` under --as for
// each role, the Mini App's sales module, and the owner each logged proposal gets (generate, and batches through the
// worker acting for whoever enqueued them).
#include <set>

#include "core/file_io.hpp"
#include "core/process.hpp"
#include "tests/integration/job_fixture.hpp"
#include "tests/integration/perm_fixture.hpp"
#include "tests/integration/proposal_seed.hpp"

using namespace wfa;
using perm_test::json;

namespace {

using Names = std::set<std::string>;

/// ProposalWorld: team Sales (alice leads, bob and carol members) and team Support (erin leads, frank member); bob,
/// carol, frank and dave (no team) each own one logged proposal, whose client is their name.
struct ProposalWorld : perm_test::Fixture {
  ProposalWorld() {
    add_teams();
    for (const char* who : {"bob", "carol", "frank", "dave"}) {
      exec(
          "INSERT INTO proposals_log (workspace_id, proposal_id, client_name, location_keys, start_date, end_date,"
          " currency, total, file_path, sha256, bytes, pages, created_by) VALUES ('" +
          workspace_id("acme/main") + "', '" + id(who) + "', '" + who +
          "', '{BB-1}', '2026-01-01', '2026-01-07', 'AED', 100, 'p.pdf', repeat('a', 64), 1, 1, '" + who +
          "@acme.test')");
      exec("INSERT INTO record_owners (workspace_id, record_type, record_id, owner_user_id, set_by) VALUES ('" +
           workspace_id("acme/main") + "', 'proposal', '" + id(who) + "', '" +
           user_id(std::string(who) + "@acme.test") + "', 'test')");
    }
  }

  static std::string id(const std::string& who) { return "PR-" + who; }

  ProcessResult as(const std::string& email, std::vector<std::string> args) {
    args.insert(args.end(), {"--as", email});
    return run(args);
  }

  /// seen is the set of clients of the proposals `proposal list` shows to EMAIL.
  Names seen(const std::string& email) {
    auto r = as(email, {"proposal", "list", "--workspace", "acme/main", "-o", "json"});
    EXPECT_EQ(r.exit_code, 0) << email << ": " << r.err;
    Names names;
    auto doc = json::parse(r.out, nullptr, false);
    if (doc.is_discarded()) return names;
    for (const auto& p : doc["proposals"]) names.insert(p["client_name"].get<std::string>());
    return names;
  }

  /// exported is the set of clients `export proposals` writes for EMAIL, read back from the CSV.
  Names exported(const std::string& email) {
    auto out = (dir.path() / "proposals.csv").string();
    auto r = as(email, {"export", "proposals", "--workspace", "acme/main", "--out", out});
    EXPECT_EQ(r.exit_code, 0) << email << ": " << r.err;
    auto read = run_process(
        {"/usr/bin/python3", (test::source_dir() / "tests" / "support" / "export_reader.py").string(), out});
    Names names;
    auto rows = json::parse(read.out, nullptr, false)["rows"];
    for (std::size_t i = 1; i < rows.size(); ++i) names.insert(rows[i][2].get<std::string>());
    return names;
  }
};

const Names all{"bob", "carol", "frank", "dave"};

}  // namespace

TEST(ProposalAccess, LeadersSeeTheirMembersProposalsNotTheOtherTeamsAndListsShowExactlyThePermittedRows) {
  ProposalWorld w;
  EXPECT_EQ(w.seen("alice@acme.test"), (Names{"bob", "carol"})) << "the Sales leader sees her members' proposals";
  EXPECT_EQ(w.seen("erin@acme.test"), (Names{"frank"})) << "the Support leader sees only Support's";
  EXPECT_EQ(w.seen("bob@acme.test"), (Names{"bob"})) << "a member sees their own";
  EXPECT_EQ(w.seen("dave@acme.test"), (Names{"dave"}));
  EXPECT_EQ(w.seen("viewer@acme.test"), (Names{})) << "a viewer reaches no proposal";
  EXPECT_EQ(w.seen("admin@acme.test"), all) << "admins hold sales:proposals:*";
  EXPECT_EQ(w.seen("owner@acme.test"), all) << "owners hold sales:*:*";
  EXPECT_EQ(w.seen("padmin@acme.test"), all) << "a partner admin holds the partner's workspaces";
  EXPECT_EQ(w.run({"proposal", "list", "--workspace", "acme/main", "-o", "json"}).exit_code, 0);
  auto outsider = w.as("outsider@else.test", {"proposal", "list", "--workspace", "acme/main"});
  EXPECT_EQ(outsider.exit_code, 5);
  EXPECT_EQ(test::lines(outsider.err), 1u) << outsider.err;

  EXPECT_TRUE(w.allowed("alice@acme.test", "sales:proposals:read", {"--record", "proposal:PR-carol"}));
  EXPECT_FALSE(w.allowed("erin@acme.test", "sales:proposals:read", {"--record", "proposal:PR-carol"}));
  EXPECT_TRUE(w.allowed("admin@acme.test", "sales:proposals:read"));
  EXPECT_FALSE(w.allowed("bob@acme.test", "sales:proposals:read")) << "members read proposals by record access only";

  EXPECT_EQ(w.exported("admin@acme.test"), all);
  EXPECT_EQ(
      w.as("alice@acme.test", {"export", "proposals", "--workspace", "acme/main", "--format", "csv", "--out", "-"})
          .exit_code,
      5)
      << "exporting needs workspace:proposals:export";
  w.ok({"profile", "create", "Exporters"});
  w.ok({"profile", "grant", "Exporters", "workspace:proposals:export"});
  w.ok({"profile", "assign", "Exporters", "alice@acme.test"});
  EXPECT_EQ(w.exported("alice@acme.test"), (Names{"bob", "carol"})) << "the export writes what the list shows";
}

TEST(ProposalAccess, SharesToAUserAndToATeamShowProposalsUntilTheyExpire) {
  ProposalWorld w;
  w.ok({"share", "proposal:PR-dave", "--user", "viewer@acme.test", "--level", "read", "--expires",
        "2099-01-01T00:00:00Z"});
  w.ok({"share", "proposal:PR-frank", "--team", "Sales", "--level", "read_write"});
  EXPECT_EQ(w.seen("viewer@acme.test"), (Names{"dave"}));
  EXPECT_EQ(w.seen("bob@acme.test"), (Names{"bob", "frank"})) << "a team share reaches the team's members";
  EXPECT_EQ(w.seen("alice@acme.test"), (Names{"bob", "carol", "frank"}));
  EXPECT_EQ(w.seen("erin@acme.test"), (Names{"frank"}));
  EXPECT_EQ(w.check("viewer@acme.test", "sales:proposals:read", {"--record", "proposal:PR-dave"}, 0)["decided_by"],
            "share");

  w.exec("UPDATE record_shares SET expires_at = now() - interval '1 second'");
  EXPECT_EQ(w.seen("viewer@acme.test"), (Names{})) << "expired shares show nothing";
  EXPECT_EQ(w.seen("bob@acme.test"), (Names{"bob"}));
  EXPECT_FALSE(w.allowed("viewer@acme.test", "sales:proposals:read", {"--record", "proposal:PR-dave"}));
}

TEST(ProposalAccess, TheSalesModuleShowsAMemberOnlyTheProposalsTheyReach) {
  ProposalWorld w;
  ASSERT_EQ(w.run({"app-agent", "enable", "sales", "--workspace", "acme/main"}).exit_code, 0);
  for (const char* who : {"bob", "alice"})
    ASSERT_EQ(
        w.run({"app-agent", "grant", "sales", std::string(who) + "@acme.test", "--workspace", "acme/main"}).exit_code,
        0);
  auto shown = [&](const std::string& email) {
    auto data = w.run_json({"app-agent", "data", "sales", "--workspace", "acme/main", "--as", email});
    Names names;
    for (const auto& p : data["proposals"]) names.insert(p["client"].get<std::string>());
    EXPECT_EQ(data["proposals_30d"], names.size()) << email << ": the count is of the same proposals";
    return names;
  };
  EXPECT_EQ(shown("bob@acme.test"), (Names{"bob"}));
  EXPECT_EQ(shown("alice@acme.test"), (Names{"bob", "carol"}));
  EXPECT_EQ(shown("admin@acme.test"), all);
  EXPECT_EQ(w.run({"app-agent", "data", "sales", "--workspace", "acme/main", "--as", "carol@acme.test"}).exit_code, 5)
      << "carol holds no grant of the agent";
}

namespace {

namespace fs = std::filesystem;

/// ProposalOwner: skyline/sales with the W1 locations and two members, rep and rep2, and a worker at hand.
class ProposalOwner : public ::testing::Test, protected test::JobFixture {
 protected:
  fs::path store;

  void SetUp() override {
    store = dir.path() / "files";
    env["WFA_FILE_STORE"] = store.string();
    env["SOURCE_DATE_EPOCH"] = "1735689600";
    test::seed_w1_workspace(*this, store);
    for (const char* rep : {"rep@skyline.test", "rep2@skyline.test"}) {
      add_user(rep);
      add_workspace_member("skyline/sales", rep, "member");
    }
  }

  /// owners is every logged proposal as ID=OWNER (- for none), by id.
  std::string owners() {
    return value(
        "SELECT string_agg(l.proposal_id || '=' || coalesce(u.email, '-'), ',' ORDER BY l.proposal_id COLLATE \"C\")"
        " FROM proposals_log l LEFT JOIN record_owners o ON o.workspace_id = l.workspace_id AND o.record_type ="
        " 'proposal' AND o.record_id = l.proposal_id LEFT JOIN users u ON u.id = o.owner_user_id");
  }

  ProcessResult generate(const std::vector<std::string>& more) {
    std::vector<std::string> args{"proposal", "generate",    "--workspace", "skyline/sales",
                                  "--client", "Gulf Motors", "--location",  "DXB-001",
                                  "--start",  "2025-03-03",  "--out",       (dir.path() / "out").string()};
    args.insert(args.end(), more.begin(), more.end());
    return run(args);
  }
};

}  // namespace

TEST_F(ProposalOwner, TheUserWhoFirstLogsAProposalOwnsItAlsoThroughTheWorker) {
  auto r = generate({"--id", "G-1", "--as", "rep@skyline.test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(generate({"--id", "G-2"}).exit_code, 0);
  EXPECT_EQ(owners(), "G-1=rep@skyline.test,G-2=-") << "the operator owns nothing";
  ASSERT_EQ(generate({"--id", "G-1", "--as", "rep2@skyline.test"}).exit_code, 0);
  EXPECT_EQ(owners(), "G-1=rep@skyline.test,G-2=-") << "logging the same proposal again keeps its owner";

  auto batch = dir.path() / "batch.csv";
  write_file_atomic(batch,
                    "client_name,location_key,start_date,currency,proposal_id\n"
                    "Emirates Motors,DXB-016,2025-03-17,AED,B-1\n"
                    "Gulf Healthcare,DXB-005,2025-01-13,AED,B-2\n");
  auto enqueued = run_json(
      {"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--enqueue", "--as", "rep2@skyline.test"});
  worker({"--concurrency", "1", "--batch", "1"});
  auto status = run({"job", "status", enqueued["batch_id"].get<std::string>(), "--wait", "-o", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.err << status.out;
  EXPECT_EQ(owners(), "B-1=rep2@skyline.test,B-2=rep2@skyline.test,G-1=rep@skyline.test,G-2=-")
      << "the worker's jobs act for the user who enqueued them";

  auto listed = [&](const std::string& email) {
    Names ids;
    auto doc = run_json({"proposal", "list", "--workspace", "skyline/sales", "--as", email});
    for (const auto& p : doc["proposals"]) ids.insert(p["proposal_id"].get<std::string>());
    return ids;
  };
  EXPECT_EQ(listed("rep@skyline.test"), (Names{"G-1"}));
  EXPECT_EQ(listed("rep2@skyline.test"), (Names{"B-1", "B-2"}));
}
