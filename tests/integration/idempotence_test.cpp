// Re-running a create with --if-not-exists succeeds without change, removing what is already removed is "nothing to
// do" (exit 0), and an invitation can be resent with a fresh token that retires the old one.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

struct IdempotenceFixture : test::IntegrationFixture {
  IdempotenceFixture()
      : IntegrationFixture({"users", "partner_domains", "partner_requests", "workspace_members",
                            "workspace_invitations", "audit_log"}) {
    env["WFA_ACTOR"] = "ops@wfa.test";
    add_partner("acme", "Acme");
    add_workspace("acme", "clinic", "Clinic");
    add_user("ana@acme.test", "Ana", "Lopez");
    add_workspace_member("acme/clinic", "ana@acme.test", "admin");
    add_user("owner@acme.test");
    add_workspace_member("acme/clinic", "owner@acme.test", "owner");
  }
};

TEST(Idempotence, IfNotExistsMakesASecondCreateANoOp) {
  IdempotenceFixture f;
  ASSERT_EQ(f.run({"domain", "add", "app.acme.example", "--partner", "acme"}).exit_code, 0);
  ASSERT_EQ(f.run({"invite", "create", "bo@acme.test", "--workspace", "acme/clinic", "--role", "member"}).exit_code, 0);
  ASSERT_EQ(f.run({"partner", "request", "submit", "--company", "Beta", "--contact-name", "Bo", "--contact-email",
                   "bo@beta.example", "--subdomain", "beta"})
                .exit_code,
            0);
  auto before = f.counts();
  struct Again {
    std::vector<std::string> args;
    std::string said;
  };
  const Again agains[] = {
      {{"domain", "add", "app.acme.example", "--partner", "acme"}, "already a domain of partner acme"},
      {{"member", "add", "ana@acme.test", "--workspace", "acme/clinic", "--role", "member"}, "already a member"},
      {{"invite", "create", "bo@acme.test", "--workspace", "acme/clinic", "--role", "member"},
       "already has a pending invitation"},
      {{"partner", "request", "submit", "--company", "Beta", "--contact-name", "Bo", "--contact-email",
        "BO@beta.example", "--subdomain", "beta"},
       "already open"},
  };
  for (const auto& again : agains) {
    auto plain = f.run(again.args);
    EXPECT_EQ(plain.exit_code, 4) << "without the flag it is a conflict: " << plain.err;
    auto args = again.args;
    args.push_back("--if-not-exists");
    auto r = f.run(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_NE(r.err.find(again.said), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing changed"), std::string::npos) << r.err;
  }
  EXPECT_EQ(f.counts(), before);
  auto other = f.run({"domain", "add", "app.acme.example", "--partner", "acme", "--if-not-exists"});
  EXPECT_EQ(other.exit_code, 0);
  f.add_partner("zeta", "Zeta");
  auto taken = f.run({"domain", "add", "app.acme.example", "--partner", "zeta", "--if-not-exists"});
  EXPECT_EQ(taken.exit_code, 4) << "another partner's domain is still a conflict: " << taken.err;
}

TEST(Idempotence, RemovingARemovedMemberIsNothingToDo) {
  IdempotenceFixture f;
  ASSERT_EQ(f.run({"member", "remove", "ana@acme.test", "--workspace", "acme/clinic", "--yes"}).exit_code, 0);
  auto audits = f.count("audit_log");
  auto again = f.run({"member", "remove", "ana@acme.test", "--workspace", "acme/clinic", "--yes"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("nothing to do"), std::string::npos) << again.err;
  EXPECT_EQ(f.count("audit_log"), audits);
  EXPECT_EQ(f.run({"member", "remove", "owner@acme.test", "--partner", "acme", "--yes"}).exit_code, 3)
      << "someone who never was a member is not found";
}

TEST(Idempotence, ResendRetiresTheOldTokenAndNamesNoOperator) {
  IdempotenceFixture f;
  auto first = f.run_json({"invite", "create", "bo@acme.test", "--workspace", "acme/clinic", "--role", "member"});
  auto old_token = first["token"].get<std::string>();
  auto id = first["id"].get<std::string>();
  auto resent = f.run_json({"invite", "resend", id});
  auto new_token = resent["token"].get<std::string>();
  EXPECT_NE(new_token, old_token);
  EXPECT_NE(resent["id"], id);
  EXPECT_EQ(f.value("SELECT status FROM workspace_invitations WHERE id = '" + id + "'"), "revoked");
  EXPECT_EQ(f.run({"invite", "accept", old_token, "--create-user"}).exit_code, 6) << "the old token is dead";
  EXPECT_EQ(f.run({"invite", "resend", id}).exit_code, 4) << "a revoked invitation is not resent";

  auto mail = f.run({"invite", "resend", resent["id"].get<std::string>(), "--render"});
  ASSERT_EQ(mail.exit_code, 0) << mail.err;
  EXPECT_EQ(mail.out.find("ops@wfa.test"), std::string::npos) << "no operator id in a customer's e-mail: " << mail.out;
  EXPECT_NE(mail.out.find("The Acme team"), std::string::npos) << "the partner's brand, not the operator: " << mail.out;
  auto latest = f.value("SELECT id FROM workspace_invitations WHERE status = 'pending'");
  f.env["WFA_AS"] = "ana@acme.test";
  auto by_admin = f.run({"invite", "resend", latest, "--render"});
  ASSERT_EQ(by_admin.exit_code, 0) << by_admin.err;
  EXPECT_NE(by_admin.out.find("Ana Lopez"), std::string::npos) << by_admin.out;
}

TEST(Idempotence, InviteListAllShowsPendingInvitationsAcrossScopesTheUserMayRead) {
  IdempotenceFixture f;
  f.add_partner("zeta", "Zeta");
  f.add_workspace("zeta", "other", "Other");
  ASSERT_EQ(f.run({"invite", "create", "a@x.test", "--workspace", "acme/clinic", "--role", "member"}).exit_code, 0);
  ASSERT_EQ(f.run({"invite", "create", "b@x.test", "--partner", "acme", "--role", "member"}).exit_code, 0);
  ASSERT_EQ(f.run({"invite", "create", "c@x.test", "--workspace", "zeta/other", "--role", "member"}).exit_code, 0);
  ASSERT_EQ(f.run({"invite", "create", "d@x.test", "--workspace", "zeta/other", "--role", "member"}).exit_code, 0);
  f.exec("UPDATE workspace_invitations SET status = 'revoked' WHERE email = 'd@x.test'");
  auto all = f.run_json({"invite", "list", "--all-scopes"})["invitations"];
  ASSERT_EQ(all.size(), 3u) << all.dump();
  std::set<std::string> references;
  for (const auto& i : all) references.insert(i["reference"].get<std::string>());
  EXPECT_EQ(references, (std::set<std::string>{"acme", "acme/clinic", "zeta/other"}));
  EXPECT_EQ(f.run_json({"invite", "list", "--all-scopes", "--status", "revoked"})["invitations"].size(), 1u);
  f.env["WFA_AS"] = "ana@acme.test";
  auto mine = f.run_json({"invite", "list", "--all-scopes"})["invitations"];
  ASSERT_EQ(mine.size(), 1u) << "ana manages acme/clinic only: " << mine.dump();
  EXPECT_EQ(mine[0]["email"], "a@x.test");
  f.env.erase("WFA_AS");
  EXPECT_EQ(f.run({"invite", "list", "--all-scopes", "--workspace", "acme/clinic"}).exit_code, 2);
}

}  // namespace
