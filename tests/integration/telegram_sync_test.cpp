// `wfa telegram sync-admins`: admins (by telegram_id) become workspace members, former admins are
// demoted, a second run changes nothing, bad files are refused with their position.
#include "tests/integration/member_access_fixture.hpp"

using namespace wfa;
using access_test::AccessFixture;
using nlohmann::json;

namespace {

/// TelegramFixture adds Telegram ids: 1001 outsider@, 1002 member@, 1003 owner@; 1999 has no user.
struct TelegramFixture : AccessFixture {
  TelegramFixture() {
    exec("UPDATE users SET telegram_id = 1001 WHERE email = 'outsider@acme.test'");
    exec("UPDATE users SET telegram_id = 1002 WHERE email = 'member@acme.test'");
    exec("UPDATE users SET telegram_id = 1003 WHERE email = 'owner@acme.test'");
  }
  ProcessResult sync(const std::string& path, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"telegram", "sync-admins", "--group",     "-100200300",
                                     "--admins", path,          "--workspace", "acme/main"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }
};

const char* two_admins = R"({"chat_id": -100200300, "title": "Acme team", "admins": [
  {"telegram_id": 1003, "first_name": "Olivia", "status": "creator"},
  {"telegram_id": 1001, "username": "outsider", "status": "administrator"},
  {"telegram_id": 1002, "status": "administrator"},
  {"telegram_id": 1999, "first_name": "Ghost", "status": "administrator"}]})";

}  // namespace

TEST(TelegramSync, AddsPromotesDemotesAndIsIdempotent) {
  TelegramFixture f;
  f.env["WFA_ACTOR"] = "bot@wfa.test";
  auto first = f.sync(f.file("a.json", two_admins), {"-o", "json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto doc = json::parse(first.out);
  EXPECT_EQ(doc["changed"], true);
  EXPECT_EQ(doc["admins"].size(), 4u);
  EXPECT_EQ(f.role_in_main("outsider@acme.test"), "admin") << "a new administrator is added as admin";
  EXPECT_EQ(f.role_in_main("member@acme.test"), "admin") << "a member who is administrator is promoted";
  EXPECT_EQ(f.role_in_main("owner@acme.test"), "owner");
  EXPECT_EQ(f.value("SELECT title FROM telegram_groups WHERE chat_id = -100200300"), "Acme team");
  EXPECT_EQ(f.value("SELECT count(*) FROM telegram_group_admins WHERE user_id IS NULL"), "1") << "1999 has no user";
  EXPECT_NE(first.err.find("1 added, 1 promoted, 0 demoted, 1 without a user"), std::string::npos) << first.err;
  EXPECT_EQ(f.value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE actor = 'bot@wfa.test'"),
            "telegram_group.create,workspace_member.add,workspace_member.role,telegram_group.sync_admins");

  auto before = f.counts();
  auto second = f.sync(f.file("a.json", two_admins));
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("nothing changed"), std::string::npos) << second.err;
  EXPECT_EQ(f.counts(), before);

  // 1001 and 1002 are no longer admins: both are demoted to member.
  auto only_creator =
      f.file("b.json", R"([{"user": {"id": 1003, "is_bot": false, "first_name": "Olivia"}, "status": "creator"},
                                           {"user": {"id": 777, "is_bot": true}, "status": "administrator"}])");
  auto third = f.sync(only_creator, {"-o", "json"});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(f.role_in_main("outsider@acme.test"), "member");
  EXPECT_EQ(f.role_in_main("member@acme.test"), "member");
  EXPECT_NE(third.err.find("2 demoted"), std::string::npos) << third.err;
  EXPECT_NE(third.err.find("1 bots skipped"), std::string::npos) << third.err;
  EXPECT_EQ(f.value("SELECT count(*) FROM telegram_group_admins WHERE status = 'former'"), "3");

  before = f.counts();
  auto fourth = f.sync(only_creator);
  EXPECT_EQ(fourth.exit_code, 0) << fourth.err;
  EXPECT_NE(fourth.err.find("nothing changed"), std::string::npos) << fourth.err;
  EXPECT_EQ(f.counts(), before);
}

TEST(TelegramSync, TheLastOwnerIsKeptWhenTheCreatorLeavesTheList) {
  TelegramFixture f;
  ASSERT_EQ(f.sync(f.file("a.json", R"([{"telegram_id": 1003, "status": "creator"}])")).exit_code, 0);
  auto r = f.sync(f.file("b.json", R"({"admins": []})"), {"-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["admins"][0]["action"], "kept_last_owner");
  EXPECT_EQ(f.role_in_main("owner@acme.test"), "owner");
}

TEST(TelegramSync, DryRunChangesNothing) {
  TelegramFixture f;
  auto before = f.counts();
  auto r = f.sync(f.file("a.json", two_admins), {"--dry-run"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("dry run: would sync"), std::string::npos) << r.err;
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.role_in_main("member@acme.test"), "member");
}

TEST(TelegramSync, BadFilesAndGroupsAreRefusedWithTheirPosition) {
  TelegramFixture f;
  auto broken = f.file("broken.json", "{\"admins\": [\n  {\"telegram_id\": 1001,\n   \"status\": creator}\n]}");
  auto r = f.sync(broken);
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find(broken + ":3:"), std::string::npos) << r.err;

  auto bad_status = f.file("status.json", R"([{"telegram_id": 1001, "status": "member"}])");
  r = f.sync(bad_status);
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find(bad_status + ":/0/status: 'member' is not creator or administrator"), std::string::npos)
      << r.err;

  auto twice =
      f.file("twice.json",
             R"({"admins": [{"telegram_id": 5, "status": "creator"}, {"telegram_id": 5, "status": "administrator"}]})");
  r = f.sync(twice);
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find(twice + ":/admins/1: telegram id 5 is listed twice"), std::string::npos) << r.err;

  auto other_chat = f.file("chat.json", R"({"chat_id": -1, "admins": []})");
  EXPECT_EQ(f.sync(other_chat).exit_code, 6);
  EXPECT_EQ(f.sync((f.dir.path() / "missing.json").string()).exit_code, 6);
  EXPECT_EQ(f.run({"telegram", "sync-admins", "--group", "abc", "--admins", bad_status}).exit_code, 6);

  auto empty = f.file("empty.json", "[]");
  auto unlinked = f.run({"telegram", "sync-admins", "--group", "-5", "--admins", empty});
  EXPECT_EQ(unlinked.exit_code, 3);
  EXPECT_NE(unlinked.err.find("add --workspace"), std::string::npos) << unlinked.err;
  EXPECT_EQ(f.db.count("telegram_groups"), 0);
}

TEST(TelegramSync, DeeplyNestedAdminsFilesAreRefusedInOneLine) {
  TelegramFixture f;
  auto before = f.counts();
  auto deep = f.file("deep.json", R"({"admins": )" + std::string(100000, '[') + std::string(100000, ']') + "}");
  auto r = f.sync(deep);
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(test::lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find(deep + ": admins file nests arrays and objects deeper than 64 levels"), std::string::npos)
      << r.err;
  EXPECT_EQ(f.counts(), before);
}
