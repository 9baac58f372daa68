// A partner's bot's updates on the real server: chat_member reports change a linked group's admins and so the
// workspace's memberships (once, in order of report), my_chat_member records the bot's standing, a group that becomes
// a supergroup keeps its link, `/start CODE` accepts an invitation, and `telegram health` shows how the bot fares.
#include <chrono>
#include <ctime>
#include <map>
#include <string>
#include <thread>

#include "tests/integration/serve_fixture.hpp"
#include "tests/support/fake_providers.hpp"

namespace wfa {
namespace {

using namespace serve_test;

const std::string bot_token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
constexpr std::int64_t chat = -1001500;

class TelegramUpdates : public Serve {
 protected:
  test::FakeProviders fake{std::map<std::string, std::string>{{"telegram", bot_token}}};
  std::string path, secret;
  std::int64_t next_update = 700000;
  std::time_t now = std::time(nullptr);

  TelegramUpdates() {
    env["WFA_TELEGRAM_API_BASE_URL"] = fake.base_url("telegram");
    env["WFA_PUBLIC_URL"] = "https://hooks.acme.test";
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    add_user("owner@acme.test", "Olivia");
    add_user("rami@acme.test", "Rami");
    exec("UPDATE users SET telegram_id = 1003 WHERE email = 'owner@acme.test'");
    exec("UPDATE users SET telegram_id = 1002 WHERE email = 'rami@acme.test'");
    EXPECT_EQ(run({"telegram", "bot", "set", "acme"}, bot_token + "\n").exit_code, 0);
    EXPECT_EQ(run({"telegram", "webhook", "set", "acme"}).exit_code, 0);
    path = run_json({"telegram", "bot", "show", "acme"})["webhook_path"].get<std::string>();
    secret = fake.objects()["telegram_webhook"]["secret_token"].get<std::string>();
    auto linked =
        run({"telegram", "sync-admins", "--group", std::to_string(chat), "--admins",
             file("admins.json", R"([{"telegram_id": 1003, "status": "creator"}])"), "--workspace", "acme/main"});
    EXPECT_EQ(linked.exit_code, 0) << linked.err;
  }

  /// deliver posts UPDATE (its update_id filled in unless it has one) and answers the response.
  std::string deliver(json update) {
    if (!update.contains("update_id")) update["update_id"] = ++next_update;
    auto body = update.dump();
    Connection c(port);
    c.send("POST " + path + " HTTP/1.1\r\nHost: hooks.test\r\nContent-Type: application/json\r\n" +
           "X-Telegram-Bot-Api-Secret-Token: " + secret + "\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body);
    return c.response();
  }
  json chat_member(std::int64_t tid, const std::string& status, std::time_t date, const std::string& old = "member") {
    return {{"chat_member",
             {{"chat", {{"id", chat}, {"type", "supergroup"}, {"title", "Acme team"}}},
              {"from", {{"id", 1003}, {"is_bot", false}, {"first_name", "Olivia"}}},
              {"date", date},
              {"old_chat_member", {{"user", {{"id", tid}, {"is_bot", false}}}, {"status", old}}},
              {"new_chat_member",
               {{"user", {{"id", tid}, {"is_bot", false}, {"first_name", "Rami"}, {"username", "rami"}}},
                {"status", status}}}}}};
  }
  std::string role_of(const std::string& email) {
    return value(
        "SELECT coalesce(max(m.role), 'none') FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE u.email"
        " = '" +
        email + "' AND m.removed_at IS NULL");
  }
  /// settled waits until nothing of the bot's is left to process.
  bool settled() {
    for (int i = 0; i < 200; ++i) {
      if (value("SELECT count(*) FROM webhook_events WHERE provider = 'telegram' AND status = 'received'") == "0")
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }
  std::string last_outcome() {
    return value(
        "SELECT status || ': ' || coalesce(last_error, '') FROM webhook_events WHERE provider = 'telegram' ORDER BY"
        " received_at DESC, event_id DESC LIMIT 1");
  }
};

TEST_F(TelegramUpdates, AChatMemberReportChangesTheGroupsAdminsOnceAndAnOlderReportChangesNothing) {
  auto promoted = chat_member(1002, "administrator", now);
  promoted["update_id"] = 800001;
  ASSERT_EQ(status_of(deliver(promoted)), 200);
  ASSERT_TRUE(settled());
  EXPECT_EQ(last_outcome(), "processed: ") << value("SELECT last_error FROM webhook_events");
  EXPECT_EQ(role_of("rami@acme.test"), "admin") << "a new administrator joins the workspace as admin";
  EXPECT_EQ(value("SELECT status || ' ' || username FROM telegram_group_admins WHERE telegram_user_id = 1002"),
            "administrator rami");
  auto audits = value("SELECT count(*) FROM audit_log");

  EXPECT_EQ(json::parse(body_of(deliver(promoted)))["duplicate"], true) << "update_id dedupes";
  auto id = value("SELECT id FROM webhook_events WHERE event_id = '800001'");
  auto replay = run({"webhooks", "replay", id});
  EXPECT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_EQ(value("SELECT count(*) FROM audit_log"), audits) << "a replay changes nothing";

  ASSERT_EQ(status_of(deliver(chat_member(1002, "member", now + 5, "administrator"))), 200);
  ASSERT_TRUE(settled());
  EXPECT_EQ(role_of("rami@acme.test"), "member") << "an admin no longer listed is demoted";
  EXPECT_EQ(value("SELECT status FROM telegram_group_admins WHERE telegram_user_id = 1002"), "former");

  // Telegram does not promise order: a report older than the stored standing changes nothing.
  ASSERT_EQ(status_of(deliver(chat_member(1002, "administrator", now + 2))), 200);
  ASSERT_TRUE(settled());
  EXPECT_EQ(role_of("rami@acme.test"), "member");
  EXPECT_NE(last_outcome().find("ignored: an older report"), std::string::npos) << last_outcome();

  ASSERT_EQ(status_of(deliver(chat_member(1002, "creator", now + 9))), 200);
  ASSERT_TRUE(settled());
  EXPECT_EQ(role_of("rami@acme.test"), "owner") << "a new creator owns the workspace";
  EXPECT_EQ(value("SELECT action FROM audit_log WHERE action = 'telegram_group.sync_admins' ORDER BY id DESC LIMIT 1"),
            "telegram_group.sync_admins");
  EXPECT_EQ(value("SELECT actor FROM audit_log WHERE action = 'workspace_member.role' ORDER BY id DESC LIMIT 1"),
            "telegram:1003")
      << "audited as the Telegram user who made the change";

  auto health = run_json({"telegram", "health", "acme"})["bots"];
  ASSERT_EQ(health.size(), 1u);
  EXPECT_EQ(health[0]["last_update_id"], next_update);
  EXPECT_EQ(health[0]["failures_24h"], 0);
}

TEST_F(TelegramUpdates, TheBotsOwnStandingAndAGroupThatBecameASupergroupAreKept) {
  json kicked = {{"my_chat_member",
                  {{"chat", {{"id", chat}, {"type", "supergroup"}, {"title", "Acme team (old)"}}},
                   {"from", {{"id", 1003}, {"is_bot", false}}},
                   {"date", now},
                   {"old_chat_member", {{"user", {{"id", 7123456789}, {"is_bot", true}}}, {"status", "member"}}},
                   {"new_chat_member", {{"user", {{"id", 7123456789}, {"is_bot", true}}}, {"status", "kicked"}}}}}};
  ASSERT_EQ(status_of(deliver(kicked)), 200);
  ASSERT_TRUE(settled());
  EXPECT_EQ(value("SELECT bot_status || ' ' || title FROM telegram_groups"), "kicked Acme team (old)");
  kicked["my_chat_member"]["chat"]["id"] = -42;
  ASSERT_EQ(status_of(deliver(kicked)), 200);
  ASSERT_TRUE(settled());
  EXPECT_NE(last_outcome().find("ignored: chat -42 is not linked"), std::string::npos) << last_outcome();

  json migrated = {{"message",
                    {{"message_id", 5},
                     {"date", now},
                     {"chat", {{"id", chat}, {"type", "group"}}},
                     {"migrate_to_chat_id", -1009999}}}};
  ASSERT_EQ(status_of(deliver(migrated)), 200);
  ASSERT_TRUE(settled());
  EXPECT_EQ(value("SELECT chat_id FROM telegram_groups"), "-1009999");
  EXPECT_EQ(value("SELECT chat_id FROM telegram_chat_routes"), "-1009999") << "the link follows the supergroup";
  auto sync = run({"telegram", "sync-admins", "--group", "-1009999", "--admins",
                   file("a.json", R"([{"telegram_id": 1003, "status": "creator"}])")});
  EXPECT_EQ(sync.exit_code, 0) << "found by its new id without --workspace: " << sync.err;
}

TEST_F(TelegramUpdates, StartWithAnInvitationCodeMakesTheSenderAMemberOnce) {
  auto created =
      run({"invite", "create", "omar@acme.test", "--workspace", "acme/main", "--role", "member", "-o", "json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  auto token = json::parse(created.out)["token"].get<std::string>();
  auto start = [&](const std::string& text) {
    return json{{"message",
                 {{"message_id", 1},
                  {"date", now},
                  {"chat", {{"id", 6000000000001}, {"type", "private"}}},
                  {"from", {{"id", 6000000000001}, {"is_bot", false}, {"first_name", "Omar"}}},
                  {"text", text}}}};
  };
  ASSERT_EQ(status_of(deliver(start("/start not-a-code"))), 200);
  ASSERT_TRUE(settled());
  EXPECT_NE(last_outcome().find("ignored: no such invitation"), std::string::npos) << last_outcome();
  ASSERT_EQ(status_of(deliver(start("/start " + token))), 200);
  ASSERT_TRUE(settled());
  EXPECT_EQ(last_outcome(), "processed: ");
  EXPECT_EQ(value("SELECT telegram_id FROM users WHERE email = 'omar@acme.test'"), "6000000000001");
  EXPECT_EQ(role_of("omar@acme.test"), "member");
  EXPECT_EQ(value("SELECT status FROM workspace_invitations"), "accepted");
  EXPECT_EQ(value("SELECT chat_id || ': ' || text FROM notifications"),
            "6000000000001: Welcome! Your invitation is accepted (role: member). Open the app from the menu button to"
            " start.")
      << "the bot answers through the notifications queue";
  auto members = value("SELECT count(*) FROM workspace_members");
  ASSERT_EQ(status_of(deliver(start("/start " + token))), 200) << "the user taps the link again";
  ASSERT_TRUE(settled());
  EXPECT_NE(last_outcome().find("ignored: the invitation was not accepted"), std::string::npos) << last_outcome();
  EXPECT_EQ(value("SELECT count(*) FROM workspace_members"), members);
  EXPECT_EQ(value("SELECT count(*) FROM telegram_health_events WHERE kind = 'update' AND NOT ok"), "0")
      << value("SELECT string_agg(kind || ' ' || coalesce(error, ''), '; ') FROM telegram_health_events WHERE NOT ok");
}

TEST_F(TelegramUpdates, AnUpdateThatCannotBeAppliedFailsVisiblyInTheBotsHealth) {
  json broken = {{"chat_member", {{"chat", {{"id", chat}}}, {"date", now}}}};
  ASSERT_EQ(status_of(deliver(broken)), 200);
  ASSERT_TRUE(settled());
  EXPECT_NE(last_outcome().find("failed: chat_member has no new_chat_member"), std::string::npos) << last_outcome();
  auto health = run_json({"telegram", "health", "acme"})["bots"][0];
  EXPECT_EQ(health["failures_24h"], 1);
  EXPECT_EQ(health["failure_kind"], "update");
  EXPECT_NE(health["last_error"].get<std::string>().find("new_chat_member"), std::string::npos) << health.dump();
  auto denied = run({"--as", "rami@acme.test", "telegram", "health"});
  EXPECT_EQ(denied.exit_code, 5) << denied.err;
}

}  // namespace
}  // namespace wfa
