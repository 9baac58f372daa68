// `wfa cleanup invitations|grants|shares|webhooks|notifications|all`: --dry-run changes nothing and counts exactly,
// a real run retires exactly what is due (audited), a second run finds nothing, a held lock exits 9.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

class CleanupKinds : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  CleanupKinds() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    add_user("ana@acme.test", "Ana");
    auto ws = workspace_id("acme/main");
    auto acme = partner_id("acme");
    auto ana = value("SELECT id FROM users WHERE email = 'ana@acme.test'");
    exec("INSERT INTO workspace_invitations (workspace_id, email, role, token_hash, expires_at, invited_by) VALUES ('" +
         ws + "', 'a@x.test', 'member', 'h1', now() - interval '1 hour', 't'), ('" + ws +
         "', 'b@x.test', 'member', 'h2', now() + interval '1 day', 't')");
    exec("INSERT INTO partner_invitations (partner_id, email, role, token_hash, expires_at, invited_by) VALUES ('" +
         acme + "', 'c@x.test', 'admin', 'h3', now() - interval '1 day', 't')");
    exec("INSERT INTO permission_sets (workspace_id, name) VALUES ('" + ws + "', 'Temp')");
    auto set = value("SELECT id FROM permission_sets");
    exec(
        "INSERT INTO user_permission_sets (workspace_id, user_id, permission_set_id, granted_by, expires_at) VALUES"
        " ('" +
        ws + "', '" + ana + "', '" + set + "', 't', now() - interval '1 minute')");
    exec(
        "INSERT INTO record_shares (workspace_id, record_type, record_id, user_id, access_level, shared_by,"
        " expires_at) VALUES ('" +
        ws + "', 'lead', 'l1', '" + ana +
        "', 'read', 't', now() - interval '1 minute'),"
        " ('" +
        ws + "', 'lead', 'l2', '" + ana + "', 'read', 't', NULL)");
    exec(
        "INSERT INTO webhook_events (provider, endpoint, event_id, body, status, processed_at) VALUES"
        " ('slack', 'slack', 'e1', 'x', 'processed', now() - interval '40 days'),"
        " ('slack', 'slack', 'e2', 'x', 'processed', now() - interval '10 days'),"
        " ('slack', 'slack', 'e3', 'x', 'failed', NULL)");
    exec("INSERT INTO notifications (partner_id, chat_id, text, status, sent_at) VALUES ('" + acme +
         "', 1, 'old', 'sent', now() - interval '31 days'), ('" + acme + "', 1, 'new', 'sent', now()), ('" + acme +
         "', 1, 'waiting', 'queued', NULL)");
  }
  std::string state() {
    return value(
        "SELECT (SELECT count(*) FROM workspace_invitations WHERE status = 'expired') || '/' || (SELECT count(*) FROM"
        " partner_invitations WHERE status = 'expired') || '/' || (SELECT count(*) FROM user_permission_sets) || '/'"
        " || (SELECT count(*) FROM record_shares) || '/' || (SELECT count(*) FROM webhook_events) || '/' || (SELECT"
        " count(*) FROM notifications)");
  }
};

TEST_F(CleanupKinds, ADryRunCountsExactlyAndARealRunRetiresOnlyWhatIsDue) {
  auto before = state();
  EXPECT_EQ(before, "0/0/1/2/3/3");
  const std::pair<const char*, int> expected[] = {
      {"invitations", 2}, {"grants", 1}, {"shares", 1}, {"webhooks", 1}, {"notifications", 1}};
  for (const auto& [kind, count] : expected) {
    auto dry = run_json({"cleanup", kind, "--dry-run"});
    EXPECT_EQ(dry["count"], count) << kind << ": " << dry.dump();
  }
  EXPECT_EQ(state(), before) << "dry runs change nothing";
  for (const auto& [kind, count] : expected) EXPECT_EQ(run_json({"cleanup", kind})["count"], count) << kind;
  EXPECT_EQ(state(), "1/1/0/1/2/2");
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action IN ('workspace_invitation.expire',"
                  " 'partner_invitation.expire', 'permission_set.grant_expire', 'record_share.expire')"),
            "4");
  auto shorter = run_json({"cleanup", "webhooks", "--older-than", "7d"});
  EXPECT_EQ(shorter["count"], 1) << "a shorter retention takes the 10-day-old one; the failed one stays";
  auto all = run({"cleanup", "all"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.err.find("invitations: 0"), std::string::npos) << all.err;
  EXPECT_EQ(state(), "1/1/0/1/1/2");
  auto quiet = run({"--quiet", "cleanup", "all"});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.out + quiet.err, "") << "cron's success prints nothing";
}

TEST_F(CleanupKinds, AHeldLockExitsNineAndABadDurationSix) {
  pqxx::connection holder(db.url());
  pqxx::work lock(holder);
  lock.exec("SELECT pg_advisory_xact_lock(hashtext('wfa.cleanup.shares'))");
  auto held = run({"--quiet", "cleanup", "shares"});
  EXPECT_EQ(held.exit_code, 9) << held.err;
  EXPECT_EQ(held.out, "");
  EXPECT_EQ(std::count(held.err.begin(), held.err.end(), '\n'), 1) << "cron's failure is one line: " << held.err;
  lock.abort();
  auto bad = run({"cleanup", "webhooks", "--older-than", "soon"});
  EXPECT_EQ(bad.exit_code, 6) << bad.err;
  EXPECT_NE(bad.err.find("--older-than 'soon' is not a duration"), std::string::npos) << bad.err;
  EXPECT_EQ(state(), "0/0/1/2/3/3");
}

TEST_F(CleanupKinds, FilesNoRowNamesGoAfterTheGracePeriodAndNamedOnesNeverDo) {
  auto root = dir.path() / "files";
  auto blob = [&](const std::string& kind, char fill, int age_hours) {
    std::string name(64, fill);
    auto path = root / kind / name.substr(0, 2) / (name + ".png");
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << "blob";
    std::filesystem::last_write_time(path,
                                     std::filesystem::file_time_type::clock::now() - std::chrono::hours(age_hours));
    return path;
  };
  auto logo = blob("logos", 'a', 72);           // named by the partner's branding
  auto orphan = blob("logos", 'b', 72);         // named by nothing, old
  auto fresh = blob("photos", 'c', 1);          // named by nothing yet, inside the grace period
  auto foreign = root / "logos" / "notes.txt";  // not the store's
  std::ofstream(foreign) << "keep";
  exec("UPDATE partners SET branding = jsonb_build_object('logo', 'store:" + logo.lexically_relative(root).string() +
       "') WHERE slug = 'acme'");
  auto dry = run_json({"cleanup", "files", "--dry-run"});
  EXPECT_EQ(dry["unreferenced"], 1) << dry.dump();
  EXPECT_TRUE(std::filesystem::exists(orphan)) << "a dry run removes nothing";
  auto done = run_json({"cleanup", "files"});
  EXPECT_EQ(done["unreferenced"], 1) << done.dump();
  EXPECT_FALSE(std::filesystem::exists(orphan));
  for (const auto& kept : {logo, fresh, foreign}) EXPECT_TRUE(std::filesystem::exists(kept)) << kept;
  auto shorter = run_json({"cleanup", "files", "--older-than", "30m"});
  EXPECT_EQ(shorter["unreferenced"], 1) << "a shorter grace takes the hour-old one";
  EXPECT_TRUE(std::filesystem::exists(logo)) << "a file a row names is never removed";
}

}  // namespace
}  // namespace wfa
