// The actor model's holes found in review, closed: --as is checked for everyone (not only live members of the
// scope), grants never escalate, the actor's name is validated, and `wfa user` / `wfa super-admin` work.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

struct ActorFixture : test::IntegrationFixture {
  ActorFixture()
      : IntegrationFixture({"users", "super_admins", "workspace_members", "partner_members", "profiles",
                            "profile_permissions", "user_profiles", "audit_log"}) {
    env["WFA_ACTOR"] = "ops@wfa.test";
    add_partner("acme", "Acme");
    add_workspace("acme", "clinic", "Clinic");
    for (const char* email : {"pm@acme.test", "wsadmin@acme.test", "owner@acme.test", "ivy@x.test"}) add_user(email);
    add_partner_member("acme", "pm@acme.test", "member");
    add_workspace_member("acme/clinic", "wsadmin@acme.test", "admin");
    add_workspace_member("acme/clinic", "owner@acme.test", "owner");
  }

  ProcessResult as(const std::string& email, std::vector<std::string> args) {
    auto saved = env;
    env["WFA_AS"] = email;
    auto r = run(args);
    env = saved;
    return r;
  }
};

TEST(Actor, APlainPartnerMemberCannotMakeAnOwnerAndNothingChanges) {
  ActorFixture f;
  auto before = f.counts();
  auto r = f.as("pm@acme.test", {"member", "add", "ivy@x.test", "--workspace", "acme/clinic", "--role", "owner"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("pm@acme.test"), std::string::npos) << r.err;
  EXPECT_EQ(f.counts(), before);
  auto removed = f.as("pm@acme.test", {"workspace", "delete", "acme/clinic", "--yes"});
  EXPECT_EQ(removed.exit_code, 5) << "workspace delete checks the actor's role: " << removed.err;
  auto renamed = f.as("pm@acme.test", {"partner", "update", "acme", "--name", "Mine"});
  EXPECT_EQ(renamed.exit_code, 5) << "partner update checks the actor's role: " << renamed.err;
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.value("SELECT name FROM partners WHERE slug = 'acme'"), "Acme");
}

TEST(Actor, AWorkspaceAdminCannotGrantWhatTheyDoNotHoldNorTakeIt) {
  ActorFixture f;
  ASSERT_EQ(f.run({"perm", "profile", "create", "Ops", "--workspace", "acme/clinic"}).exit_code, 0);
  auto before = f.counts();
  auto everything =
      f.as("wsadmin@acme.test", {"perm", "profile", "grant", "Ops", "*:*:*", "--workspace", "acme/clinic"});
  EXPECT_EQ(everything.exit_code, 5) << everything.err;
  EXPECT_NE(everything.err.find("may not give *:*:*"), std::string::npos) << everything.err;
  auto billing = f.as("wsadmin@acme.test",
                      {"perm", "profile", "grant", "Ops", "partner:billing:update", "--workspace", "acme/clinic"});
  EXPECT_EQ(billing.exit_code, 6) << "a workspace never gives partner permissions: " << billing.err;
  EXPECT_EQ(f.counts(), before);

  // The owner may put *:*:* in a profile; it still means only the workspace.
  ASSERT_EQ(
      f.as("owner@acme.test", {"perm", "profile", "grant", "Ops", "*:*:*", "--workspace", "acme/clinic"}).exit_code, 0);
  auto self = f.as("wsadmin@acme.test",
                   {"perm", "profile", "assign", "Ops", "wsadmin@acme.test", "--workspace", "acme/clinic"});
  EXPECT_EQ(self.exit_code, 5) << "assigning a profile gives its permissions: " << self.err;
  ASSERT_EQ(
      f.as("owner@acme.test", {"perm", "profile", "assign", "Ops", "wsadmin@acme.test", "--workspace", "acme/clinic"})
          .exit_code,
      0);
  auto check = f.run({"perm", "check", "wsadmin@acme.test", "partner:billing:update", "--workspace", "acme/clinic"});
  EXPECT_EQ(check.exit_code, 5) << "a workspace profile's *:*:* never reaches partner permissions: " << check.out;
  EXPECT_EQ(f.run({"perm", "check", "wsadmin@acme.test", "crm:leads:delete", "--workspace", "acme/clinic"}).exit_code,
            0);
}

TEST(Actor, ActorNamesAreCheckedAndUnknownUsersRefused) {
  ActorFixture f;
  for (const char* bad : {"   ", "cli:\x1b[2Jroot"}) {  // an empty variable is an unset one: the default
    f.env["WFA_ACTOR"] = bad;
    auto r = f.run({"partner", "list"});
    EXPECT_EQ(r.exit_code, 2) << "'" << bad << "': " << r.err;
    EXPECT_NE(r.err.find("WFA_ACTOR"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "the escape is not echoed";
  }
  f.env["WFA_ACTOR"] = "ops@wfa.test";
  auto not_email = f.run({"partner", "list", "--as", "root"});
  EXPECT_EQ(not_email.exit_code, 2) << not_email.err;
  auto ghost = f.run({"partner", "list", "--as", "ghost@x.test"});
  EXPECT_EQ(ghost.exit_code, 5) << ghost.err;
  EXPECT_NE(ghost.err.find("no such user"), std::string::npos) << ghost.err;
  f.exec("UPDATE users SET deleted_at = now() WHERE email = 'ivy@x.test'");
  EXPECT_EQ(f.run({"partner", "list", "--as", "ivy@x.test"}).exit_code, 5) << "a deleted user acts for nobody";
}

TEST(Actor, ListsShowOnlyWhatTheUserMayRead) {
  ActorFixture f;
  f.add_partner("zeta", "Zeta");
  f.add_workspace("zeta", "other", "Other");
  auto partners = json::parse(f.as("pm@acme.test", {"partner", "list", "-o", "json"}).out)["partners"];
  ASSERT_EQ(partners.size(), 1u);
  EXPECT_EQ(partners[0]["slug"], "acme");
  auto workspaces = json::parse(f.as("wsadmin@acme.test", {"workspace", "list", "-o", "json"}).out)["workspaces"];
  ASSERT_EQ(workspaces.size(), 1u);
  EXPECT_EQ(workspaces[0]["slug"], "clinic");
  EXPECT_EQ(json::parse(f.run({"workspace", "list", "-o", "json"}).out)["workspaces"].size(), 2u)
      << "the operator sees all";
  EXPECT_EQ(f.as("wsadmin@acme.test", {"workspace", "show", "zeta/other"}).exit_code, 5);
  EXPECT_EQ(f.as("wsadmin@acme.test", {"audit", "list"}).exit_code, 5) << "the whole log is for super admins";
  EXPECT_EQ(f.as("wsadmin@acme.test", {"audit", "list", "--workspace", "acme/clinic"}).exit_code, 0);
}

TEST(Actor, SuperAdminsAreManagedAndHaveEveryRight) {
  ActorFixture f;
  EXPECT_EQ(f.as("ivy@x.test", {"partner", "create", "newco", "--name", "New"}).exit_code, 5);
  EXPECT_EQ(f.as("ivy@x.test", {"super-admin", "add", "ivy@x.test"}).exit_code, 5) << "no self-promotion";
  auto added = f.run_json({"super-admin", "add", "ivy@x.test"});
  EXPECT_EQ(added["super_admin"], true);
  EXPECT_EQ(f.value("SELECT actor || ' ' || action FROM audit_log WHERE action LIKE 'super_admin.%'"),
            "ops@wfa.test super_admin.add");
  auto again = f.run({"super-admin", "add", "ivy@x.test"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("already a super admin"), std::string::npos) << again.err;
  EXPECT_EQ(f.as("ivy@x.test", {"partner", "create", "newco", "--name", "New"}).exit_code, 0);
  EXPECT_EQ(f.value("SELECT actor FROM audit_log WHERE action = 'partner.create'"), "ivy@x.test")
      << "the audit log names the impersonated user";
  EXPECT_EQ(f.value("SELECT origin->>'operator' FROM audit_log WHERE action = 'partner.create'"), "ops@wfa.test")
      << "and the operator who impersonated them";
  EXPECT_EQ(f.value("SELECT concat_ws(' ', origin->'command'->>1, origin->'command'->>2, (origin->>'pid')::bigint > 0,"
                    " origin->>'host' <> '') FROM audit_log WHERE action = 'partner.create'"),
            "partner create t t");
  auto list = f.run_json({"super-admin", "list"})["super_admins"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["email"], "ivy@x.test");
  EXPECT_EQ(f.run({"super-admin", "remove", "ivy@x.test"}).exit_code, 2) << "not on a terminal: --yes needed";
  EXPECT_EQ(f.run({"super-admin", "remove", "ivy@x.test", "--yes"}).exit_code, 0);
  auto twice = f.run({"super-admin", "remove", "ivy@x.test", "--yes"});
  EXPECT_EQ(twice.exit_code, 0);
  EXPECT_NE(twice.err.find("nothing to do"), std::string::npos) << twice.err;
  EXPECT_EQ(f.as("ivy@x.test", {"partner", "delete", "newco", "--yes"}).exit_code, 5);
}

TEST(Actor, TheAuditOriginMasksSecretsOfTheCommandLine) {
  ActorFixture f;
  auto token = f.run_json({"invite", "create", "new@x.test", "--workspace", "acme/clinic", "--role", "member"})["token"]
                   .get<std::string>();
  ASSERT_EQ(f.run({"invite", "accept", token, "--create-user"}).exit_code, 0);
  auto command = f.value("SELECT origin->>'command' FROM audit_log WHERE action = 'workspace_invitation.accept'");
  EXPECT_EQ(command.find(token), std::string::npos) << command;
  EXPECT_NE(command.find("\"***\""), std::string::npos) << command;
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE origin IS NULL OR origin->>'operator' IS NOT NULL"), "0")
      << "no --as: no operator beside the actor";
}

TEST(Actor, UsersShowTheirMembershipsAndMayRenameOnlyThemselves) {
  ActorFixture f;
  f.add_workspace_member("acme/clinic", "pm@acme.test", "viewer");
  auto shown = f.run_json({"user", "show", "pm@acme.test"});
  EXPECT_EQ(shown["email"], "pm@acme.test");
  ASSERT_EQ(shown["memberships"].size(), 2u);
  EXPECT_EQ(shown["memberships"][0]["scope"], "partner");
  EXPECT_EQ(shown["memberships"][1]["reference"], "acme/clinic");
  EXPECT_EQ(shown["memberships"][1]["role"], "viewer");

  EXPECT_EQ(f.as("pm@acme.test", {"user", "show", "pm@acme.test"}).exit_code, 0) << "anyone may see themselves";
  EXPECT_EQ(f.as("pm@acme.test", {"user", "show", "owner@acme.test"}).exit_code, 5);
  EXPECT_EQ(f.as("pm@acme.test", {"user", "update", "pm@acme.test", "--first-name", "Pat"}).exit_code, 0);
  EXPECT_EQ(f.value("SELECT first_name FROM users WHERE email = 'pm@acme.test'"), "Pat");
  EXPECT_EQ(f.as("pm@acme.test", {"user", "update", "owner@acme.test", "--first-name", "Pat"}).exit_code, 5);
  EXPECT_EQ(f.as("pm@acme.test", {"user", "update", "pm@acme.test", "--email", "boss@acme.test"}).exit_code, 5);
  EXPECT_EQ(f.as("pm@acme.test", {"user", "list"}).exit_code, 5);
  auto bad = f.run({"user", "update", "pm@acme.test", "--last-name", "a\x1b]0;x\x07"});
  EXPECT_EQ(bad.exit_code, 6) << bad.err;

  EXPECT_EQ(f.run({"user", "set-telegram", "pm@acme.test", "123456789"}).exit_code, 0);
  EXPECT_EQ(f.value("SELECT telegram_id FROM users WHERE email = 'pm@acme.test'"), "123456789");
  auto taken = f.run({"user", "set-telegram", "owner@acme.test", "123456789"});
  EXPECT_EQ(taken.exit_code, 4) << taken.err;
  EXPECT_NE(taken.err.find("--clear"), std::string::npos) << taken.err;
  EXPECT_EQ(f.run({"user", "set-telegram", "owner@acme.test", "12x"}).exit_code, 6);
  EXPECT_EQ(f.as("pm@acme.test", {"user", "set-telegram", "pm@acme.test", "--clear"}).exit_code, 5);
  EXPECT_EQ(f.run({"user", "set-telegram", "pm@acme.test", "--clear"}).exit_code, 0);
  EXPECT_EQ(f.value("SELECT telegram_id FROM users WHERE email = 'pm@acme.test'"), "");
  auto found = f.run_json({"user", "list", "--search", "ACME"})["users"];
  EXPECT_EQ(found.size(), 3u);

  auto unknown = f.run({"user", "show", "nobody@acme.test"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.err;
  EXPECT_NE(unknown.err.find("wfa user list --search"), std::string::npos) << unknown.err;
  EXPECT_EQ(f.run({"user", "show", "not-an-address"}).exit_code, 6);
  EXPECT_EQ(f.run({"user", "update", "pm@acme.test"}).exit_code, 2) << "nothing to update";
  EXPECT_EQ(f.run({"user", "set-telegram", "pm@acme.test"}).exit_code, 2) << "an id or --clear";
  auto missing = f.run({"super-admin", "add", "nobody@acme.test"});
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  EXPECT_NE(missing.err.find("--create-user"), std::string::npos) << missing.err;
  EXPECT_EQ(f.run({"super-admin", "add", "new@acme.test", "--create-user"}).exit_code, 0);
  EXPECT_EQ(f.value("SELECT count(*) FROM super_admins s JOIN users u ON u.id = s.user_id"
                    " WHERE u.email = 'new@acme.test'"),
            "1");
}

}  // namespace
