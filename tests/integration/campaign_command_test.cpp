// `wfa campaign create|list|show|schedule|pause|resume|cancel`, recipients and `wfa cleanup campaigns`.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>
#include <pqxx/nontransaction>

#include "tests/integration/campaign_fixture.hpp"

using namespace wfa;
using nlohmann::json;

TEST(CampaignCommand, CreateShowsTheDraftAndAudits) {
  test::CampaignFixture f;
  auto r = f.run({"campaign", "create", "summer", "--workspace", "acme/main", "--timezone", "Europe/London", "--start",
                  "2030-06-01T09:00", "--end", "2030-06-30", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["status"], "draft");
  EXPECT_EQ(doc["workspace"], "acme/main");
  EXPECT_EQ(doc["starts_at"], "2030-06-01T08:00:00Z") << "a time without offset is in the campaign's zone (BST)";
  EXPECT_EQ(doc["recipients"], 0);
  EXPECT_EQ(f.db.value("SELECT action FROM audit_log"), "campaign.create");
  auto again = f.run({"campaign", "create", "summer", "--workspace", "acme/main"});
  EXPECT_EQ(again.exit_code, 4) << again.err;
  EXPECT_NE(again.err.find("acme/main/summer already exists"), std::string::npos) << again.err;
  EXPECT_EQ(f.run({"campaign", "create", "summer", "--workspace", "acme/main", "--if-not-exists"}).exit_code, 0);
  EXPECT_EQ(f.run({"campaign", "show", "acme/main/summer", "-o", "json"}).exit_code, 0);
  EXPECT_EQ(f.run({"campaign", "show", doc["id"].get<std::string>()}).exit_code, 0);
}

TEST(CampaignCommand, CreateRefusesBadInput) {
  test::CampaignFixture f;
  EXPECT_EQ(f.run({"campaign", "create", "x", "--workspace", "acme/nope"}).exit_code, 3);
  auto tz = f.run({"campaign", "create", "x", "--workspace", "acme/main", "--timezone", "Mars/Olympus"});
  EXPECT_EQ(tz.exit_code, 6);
  EXPECT_NE(tz.err.find("Mars/Olympus"), std::string::npos) << tz.err;
  EXPECT_EQ(f.run({"campaign", "create", "a/b", "--workspace", "acme/main"}).exit_code, 6);
  EXPECT_EQ(f.run({"campaign", "create", "x", "--workspace", "acme/main", "--agent", "bob"}).exit_code, 6);
  EXPECT_EQ(
      f.run({"campaign", "create", "x", "--workspace", "acme/main", "--start", "2030-02-01", "--end", "2030-01-01"})
          .exit_code,
      6);
  EXPECT_EQ(f.run({"campaign", "create", "x", "--workspace", "acme/main", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(f.db.count("campaigns"), 1);
  EXPECT_EQ(f.run({"campaign", "show", "acme/main/nope"}).exit_code, 3);
  EXPECT_EQ(f.run({"campaign", "show", "spring"}).exit_code, 6);
}

TEST(CampaignCommand, StatusMachineRefusesIllegalTransitions) {
  test::CampaignFixture f;
  auto no_window = f.run({"campaign", "schedule", "acme/main/spring"});
  EXPECT_EQ(no_window.exit_code, 6) << no_window.err;
  EXPECT_EQ(
      f.run({"campaign", "schedule", "acme/main/spring", "--start", "2020-01-01", "--end", "2020-02-01"}).exit_code, 6)
      << "a window in the past";
  auto paused_draft = f.run({"campaign", "pause", "acme/main/spring"});
  EXPECT_EQ(paused_draft.exit_code, 4);
  EXPECT_NE(paused_draft.err.find("it is draft"), std::string::npos) << paused_draft.err;
  auto s = f.run({"campaign", "schedule", "acme/main/spring", "--start", "2020-01-01T00:00:00Z", "--end", "2099-01-01",
                  "-o", "json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(json::parse(s.out)["status"], "scheduled");
  EXPECT_EQ(f.run({"campaign", "pause", "acme/main/spring"}).exit_code, 0);
  auto again = f.run({"campaign", "pause", "acme/main/spring"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("already paused"), std::string::npos) << again.err;
  auto resumed = f.run({"campaign", "resume", "acme/main/spring", "-o", "json"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(json::parse(resumed.out)["status"], "running") << "its window has begun";
  EXPECT_EQ(f.run({"campaign", "cancel", "acme/main/spring"}).exit_code, 2) << "off a terminal without --yes";
  EXPECT_EQ(f.run({"campaign", "cancel", "acme/main/spring", "--yes", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(f.db.value("SELECT status FROM campaigns"), "running");
  EXPECT_EQ(f.run({"campaign", "cancel", "acme/main/spring", "--yes"}).exit_code, 0);
  EXPECT_EQ(f.run({"campaign", "resume", "acme/main/spring"}).exit_code, 4);
  EXPECT_EQ(f.run({"campaign", "schedule", "acme/main/spring", "--end", "2099-02-01"}).exit_code, 4);
  EXPECT_EQ(f.db.value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log"),
            "campaign.schedule,campaign.pause,campaign.resume,campaign.cancel");
}

TEST(CampaignCommand, ListFiltersByWorkspaceAndStatus) {
  test::CampaignFixture f;
  ASSERT_EQ(f.run({"campaign", "create", "autumn", "--workspace", "acme/main"}).exit_code, 0);
  auto all = f.run({"campaign", "list", "-o", "json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(json::parse(all.out)["campaigns"].size(), 2u);
  auto drafts =
      f.run({"campaign", "list", "--workspace", "acme/main", "--status", "draft", "--limit", "1", "-o", "json"});
  ASSERT_EQ(drafts.exit_code, 0) << drafts.err;
  EXPECT_EQ(json::parse(drafts.out)["campaigns"].size(), 1u);
  EXPECT_EQ(f.run({"campaign", "list", "--status", "sleeping"}).exit_code, 2) << "an unknown enum value";
}

TEST(CleanupCampaigns, ExpiresCampaignsPastTheirWindowOnce) {
  test::CampaignFixture f;
  f.db.exec(
      "UPDATE campaigns SET status = 'scheduled', starts_at = now() - interval '2 days', ends_at = now() - interval '1 "
      "day'");
  f.db.exec(
      "INSERT INTO campaigns (workspace_id, name, status, ends_at, created_by) SELECT id, 'old-draft', 'draft',"
      " now() - interval '1 day', 'test' FROM workspaces");
  auto dry = f.run({"cleanup", "campaigns", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(f.db.value("SELECT status FROM campaigns WHERE name = 'spring'"), "scheduled");
  auto r = f.run({"cleanup", "campaigns", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  ASSERT_EQ(doc["campaigns"].size(), 1u);
  EXPECT_EQ(doc["campaigns"][0]["name"], "spring");
  EXPECT_EQ(f.db.value("SELECT status FROM campaigns WHERE name = 'spring'"), "expired");
  EXPECT_EQ(f.db.value("SELECT status FROM campaigns WHERE name = 'old-draft'"), "draft") << "drafts never expire";
  EXPECT_EQ(f.db.value("SELECT count(*) FROM audit_log WHERE action = 'campaign.expire'"), "1");
  auto again = f.run({"cleanup", "campaigns"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("nothing to do"), std::string::npos) << again.err;
}

TEST(CleanupCampaigns, SecondConcurrentRunExitsNine) {
  test::CampaignFixture f;
  pqxx::nontransaction holder(f.db.conn());
  holder.exec("SELECT pg_advisory_lock(hashtext('wfa.cleanup.campaigns'))");
  auto r = f.run({"cleanup", "campaigns"});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  holder.exec("SELECT pg_advisory_unlock(hashtext('wfa.cleanup.campaigns'))");
}

TEST(CampaignRecipients, ListRemoveExport) {
  test::CampaignFixture f;
  auto csv = f.file("r.csv",
                    "phone,name,plan\n+971501234567,Ana Lima,Pro\n"
                    "+971501234568,Bo,\n+447911123456,\"Cé, Dé\",Gold\n");
  auto imp = f.run({"campaign", "import", "acme/main/spring", csv});
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  auto list = f.run({"campaign", "recipients", "list", "acme/main/spring", "-o", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto rows = json::parse(list.out)["recipients"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["first_name"], "Ana");
  EXPECT_EQ(rows[0]["last_name"], "Lima");
  EXPECT_EQ(rows[0]["variables"], (json{{"plan", "Pro"}}));
  EXPECT_EQ(rows[1]["variables"], json::object());
  EXPECT_EQ(rows[0]["status"], "pending");
  auto exported = f.run({"campaign", "recipients", "export", "acme/main/spring"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(exported.out.substr(0, exported.out.find('\n')),
            "phone,first_name,last_name,email,company,timezone,status,variables,created_at,outcome,attempts,"
            "last_attempt_at,next_attempt_at,skip_reason,requires_follow_up");
  EXPECT_NE(exported.out.find("+447911123456,\"Cé,\",Dé,,,,pending,\"{\"\"plan\"\": \"\"Gold\"\"}\","),
            std::string::npos)
      << exported.out;
  auto as_json = f.run({"campaign", "recipients", "export", "acme/main/spring", "-o", "json"});
  EXPECT_EQ(as_json.out, exported.out) << "stdout stays pure CSV";
  auto out = (f.dir.path() / "out.csv").string();
  auto to_file = f.run({"campaign", "recipients", "export", "acme/main/spring", "--out", out, "-o", "json"});
  ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
  EXPECT_EQ(json::parse(to_file.out)["recipients"], 3);
  std::ifstream written(out, std::ios::binary);
  std::string first_line;
  std::getline(written, first_line);
  EXPECT_EQ(first_line,
            "phone,first_name,last_name,email,company,timezone,status,variables,created_at,outcome,attempts,"
            "last_attempt_at,next_attempt_at,skip_reason,requires_follow_up");
  EXPECT_EQ(f.run({"campaign", "recipients", "remove", "acme/main/spring", "050 123 4567", "--default-country", "AE"})
                .exit_code,
            2)
      << "needs --yes";
  auto removed = f.run({"campaign", "recipients", "remove", "acme/main/spring", "050 123 4567", "+44 7911 123456",
                        "--default-country", "AE", "--yes", "-o", "json"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(json::parse(removed.out)["recipients"].size(), 2u);
  EXPECT_EQ(f.recipients(), 1);
  EXPECT_EQ(f.run({"campaign", "recipients", "remove", "acme/main/spring", "N/A", "--yes"}).exit_code, 6);
  EXPECT_EQ(f.db.value("SELECT count(*) FROM audit_log WHERE action = 'campaign.recipients_remove'"), "1");
}
