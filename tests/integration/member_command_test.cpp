// `wfa member add|list|role|remove`: roles from the roles table, bad input, max_users,
// last-owner protection, the actor's own rights, --dry-run and audit rows.
#include "tests/integration/member_access_fixture.hpp"

using namespace wfa;
using access_test::AccessFixture;
using nlohmann::json;

TEST(MemberCommand, AddListRoleRemoveWithDocumentedFieldsAndAudit) {
  AccessFixture f;
  f.env["WFA_ACTOR"] = "ops@wfa.test";
  auto added = f.run_json({"member", "add", "outsider@acme.test", "--workspace", "acme/main", "--role", "viewer"});
  ASSERT_TRUE(added.is_object());
  for (const char* field : {"id", "scope", "partner_id", "workspace_id", "user_id", "email", "first_name", "last_name",
                            "role", "invited_by", "created_at", "updated_at", "removed_at", "removed_by"})
    EXPECT_TRUE(added.contains(field)) << field;
  EXPECT_EQ(added["role"], "viewer");
  EXPECT_EQ(added["scope"], "workspace");
  EXPECT_EQ(added["invited_by"], "ops@wfa.test");

  auto list = f.run_json({"member", "list", "--workspace", "acme/main"})["members"];
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0]["role"], "owner") << "highest role first";
  EXPECT_EQ(list[3]["role"], "viewer");
  f.env["WFA_ACTOR"] = "ops@wfa.test";

  EXPECT_EQ(f.run_json({
                "member",
                "role",
                "outsider@acme.test",
                "--workspace",
                "acme/main",
                "admin",
            })["role"],
            "admin");
  f.env["WFA_ACTOR"] = "ops@wfa.test";
  auto removed = f.run_json({"member", "remove", "outsider@acme.test", "--workspace", "acme/main", "--yes"});
  EXPECT_EQ(removed["removed_by"], "ops@wfa.test");
  EXPECT_FALSE(removed["removed_at"].is_null());
  EXPECT_EQ(f.run_json({"member", "list", "--workspace", "acme/main"})["members"].size(), 3u) << "removal is soft";
  EXPECT_EQ(f.run_json({"member", "list", "--workspace", "acme/main", "--include-removed"})["members"].size(), 4u);

  EXPECT_EQ(f.value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE actor = 'ops@wfa.test'"),
            "workspace_member.add,workspace_member.role,workspace_member.remove");
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE actor = 'ops@wfa.test' AND partner_id IS NOT NULL"
                    " AND workspace_id IS NOT NULL AND new_values IS NOT NULL"),
            "3");
  EXPECT_EQ(f.value("SELECT old_values->>'role' || '>' || (new_values->>'role') FROM audit_log WHERE action = "
                    "'workspace_member.role'"),
            "viewer>admin");

  // Re-adding after a removal makes a new live membership; history stays.
  EXPECT_EQ(f.run({"member", "add", "outsider@acme.test", "--workspace", "acme/main", "--role", "member"}).exit_code,
            0);
  EXPECT_EQ(f.value("SELECT count(*) FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE u.email = "
                    "'outsider@acme.test'"),
            "2");
}

TEST(MemberCommand, PartnerScopeUsesPartnerRoles) {
  AccessFixture f;
  auto added = f.run_json({"member", "add", "admin@acme.test", "--partner", "acme", "--role", "admin"});
  EXPECT_EQ(added["scope"], "partner");
  EXPECT_TRUE(added["workspace_id"].is_null());
  auto viewer = f.run({"member", "add", "member@acme.test", "--partner", "acme", "--role", "viewer"});
  EXPECT_EQ(viewer.exit_code, 6);
  EXPECT_NE(viewer.err.find("role 'viewer' does not exist for a partner"), std::string::npos) << viewer.err;
  EXPECT_NE(viewer.err.find("owner, admin, member"), std::string::npos) << viewer.err;
}

TEST(MemberCommand, BadInputIsRefusedWithReasonAndExitCode) {
  AccessFixture f;
  auto before = f.counts();
  auto unknown = f.run({"member", "add", "new@acme.test", "--workspace", "acme/main", "--role", "member"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_NE(unknown.err.find("user new@acme.test not found"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("--create-user"), std::string::npos) << unknown.err;

  auto bad_role = f.run({"member", "add", "outsider@acme.test", "--workspace", "acme/main", "--role", "boss"});
  EXPECT_EQ(bad_role.exit_code, 6);
  EXPECT_NE(bad_role.err.find("role 'boss' does not exist"), std::string::npos) << bad_role.err;

  auto duplicate = f.run({"member", "add", "admin@acme.test", "--workspace", "acme/main", "--role", "member"});
  EXPECT_EQ(duplicate.exit_code, 4);
  EXPECT_NE(duplicate.err.find("already a member of workspace acme/main (role admin)"), std::string::npos)
      << duplicate.err;

  EXPECT_EQ(f.run({"member", "add", "not-an-email", "--workspace", "acme/main", "--role", "member"}).exit_code, 6);
  EXPECT_EQ(f.run({"member", "list"}).exit_code, 2) << "a scope is required";
  EXPECT_EQ(f.run({"member", "list", "--partner", "acme", "--workspace", "acme/main"}).exit_code, 2);
  EXPECT_EQ(f.run({"member", "list", "--workspace", "acme/nope"}).exit_code, 3);
  EXPECT_EQ(f.run({"member", "role", "outsider@acme.test", "--workspace", "acme/main", "admin"}).exit_code, 3)
      << "not a member";
  auto no_yes = f.run({"member", "remove", "member@acme.test", "--workspace", "acme/main"});
  EXPECT_EQ(no_yes.exit_code, 2) << "destructive without --yes off a terminal";
  EXPECT_EQ(f.counts(), before);

  auto created =
      f.run_json({"member", "add", "New@Acme.test", "--workspace", "acme/main", "--role", "member", "--create-user"});
  EXPECT_EQ(created["email"], "new@acme.test");
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action = 'user.create'"), "1");
}

TEST(MemberCommand, MaxUsersOfTheEffectiveLimitsIsEnforced) {
  AccessFixture f;
  // The workspace override (3) wins over the partner's 10; acme/main already has 3 members.
  f.exec(R"(UPDATE workspaces SET resource_limits = '{"max_users": 3}')");
  auto full = f.run({"member", "add", "outsider@acme.test", "--workspace", "acme/main", "--role", "member"});
  EXPECT_EQ(full.exit_code, 4) << "a state that forbids the change";
  EXPECT_NE(full.err.find("reached its max_users limit (3 of 3 members)"), std::string::npos) << full.err;
  EXPECT_NE(full.err.find("wfa workspace update acme/main --limit max_users=N"), std::string::npos) << full.err;
  f.exec(R"(UPDATE workspaces SET resource_limits = '{}')");
  EXPECT_EQ(f.run({"member", "add", "outsider@acme.test", "--workspace", "acme/main", "--role", "member"}).exit_code, 0)
      << "without an override the partner's 10 applies";

  f.exec(R"(UPDATE partners SET resource_limits = '{"max_users": 4}')");
  auto partner_full =
      f.run({"member", "add", "new@acme.test", "--partner", "acme", "--role", "admin", "--create-user"});
  EXPECT_EQ(partner_full.exit_code, 4);
  EXPECT_NE(partner_full.err.find("partner acme has reached its max_users limit (4 of 4 people across the partner and "
                                  "its workspaces)"),
            std::string::npos)
      << partner_full.err;
  EXPECT_NE(partner_full.err.find("wfa partner update acme --limit max_users=N"), std::string::npos);
}

TEST(MemberCommand, ThePartnersMaxUsersCountsAPersonOncePerPartner) {
  AccessFixture f;
  ASSERT_EQ(f.run({"workspace", "create", "side", "--partner", "acme", "--name", "Side"}).exit_code, 0);
  // owner@ is in the partner and in acme/main, admin@ and member@ in acme/main: three people, four memberships.
  f.exec(R"(UPDATE partners SET resource_limits = '{"max_users": 3}')");
  for (const char* email : {"owner@acme.test", "admin@acme.test", "member@acme.test"}) {
    auto r = f.run({"member", "add", email, "--workspace", "acme/side", "--role", "admin"});
    EXPECT_EQ(r.exit_code, 0) << email << " is already one of acme's people: " << r.err;
  }
  auto partner_role = f.run({"member", "add", "admin@acme.test", "--partner", "acme", "--role", "admin"});
  EXPECT_EQ(partner_role.exit_code, 0) << partner_role.err;
  auto before = f.counts();
  auto stranger = f.run({"member", "add", "outsider@acme.test", "--workspace", "acme/side", "--role", "viewer"});
  EXPECT_EQ(stranger.exit_code, 4) << stranger.err;
  EXPECT_NE(stranger.err.find("(3 of 3 people across the partner and its workspaces)"), std::string::npos)
      << stranger.err;
  auto invited = f.run({"invite", "create", "outsider@acme.test", "--workspace", "acme/main", "--role", "viewer"});
  EXPECT_EQ(invited.exit_code, 4) << "an invitation that could not be accepted is refused up front: " << invited.err;
  EXPECT_EQ(f.counts(), before);

  ASSERT_EQ(f.run({"member", "remove", "member@acme.test", "--workspace", "acme/main", "--yes"}).exit_code, 0);
  EXPECT_EQ(f.run({"member", "add", "outsider@acme.test", "--workspace", "acme/side", "--role", "viewer"}).exit_code, 4)
      << "member@ still counts while a member of acme/side";
  ASSERT_EQ(f.run({"member", "remove", "member@acme.test", "--workspace", "acme/side", "--yes"}).exit_code, 0);
  EXPECT_EQ(f.run({"member", "add", "outsider@acme.test", "--workspace", "acme/side", "--role", "viewer"}).exit_code, 0)
      << "with member@ gone from every scope there is room";
}

TEST(MemberCommand, ConcurrentAddsToTwoWorkspacesAtThePartnersCapLetExactlyOneThrough) {
  AccessFixture f;
  ASSERT_EQ(f.run({"workspace", "create", "side", "--partner", "acme", "--name", "Side"}).exit_code, 0);
  f.add_user("second@acme.test");
  f.exec(R"(UPDATE partners SET resource_limits = '{"max_users": 4}')");
  // Hold the audit log so both adds stop after their checks: without the partner lock both would see 3 of 4.
  auto [a, b] = test::race_to_commit(
      f.db,
      [&] {
        return f.run({"member", "add", "outsider@acme.test", "--workspace", "acme/main", "--role", "viewer"});
      },
      [&] {
        return f.run({"member", "add", "second@acme.test", "--workspace", "acme/side", "--role", "viewer"});
      });
  EXPECT_EQ((a.exit_code == 0) + (b.exit_code == 0), 1) << a.err << " / " << b.err;
  EXPECT_EQ((a.exit_code == 4) + (b.exit_code == 4), 1) << a.err << " / " << b.err;
  EXPECT_EQ(f.value("SELECT count(DISTINCT user_id) FROM workspace_members WHERE removed_at IS NULL"), "4");
}

TEST(MemberCommand, TheLastOwnerCanBeNeitherRemovedNorDemoted) {
  AccessFixture f;
  auto before = f.counts();
  auto remove = f.run({"member", "remove", "owner@acme.test", "--workspace", "acme/main", "--yes"});
  EXPECT_EQ(remove.exit_code, 4);
  EXPECT_NE(remove.err.find("cannot remove owner@acme.test: the last owner of workspace acme/main"), std::string::npos)
      << remove.err;
  auto demote = f.run({"member", "role", "owner@acme.test", "--workspace", "acme/main", "admin"});
  EXPECT_EQ(demote.exit_code, 4);
  EXPECT_NE(demote.err.find("cannot demote owner@acme.test"), std::string::npos) << demote.err;
  EXPECT_EQ(f.run({"member", "remove", "owner@acme.test", "--partner", "acme", "--yes"}).exit_code, 4);
  EXPECT_EQ(f.counts(), before);

  ASSERT_EQ(f.run({"member", "role", "admin@acme.test", "--workspace", "acme/main", "owner"}).exit_code, 0);
  EXPECT_EQ(f.run({"member", "role", "owner@acme.test", "--workspace", "acme/main", "member"}).exit_code, 0)
      << "with a second owner the first may be demoted";
  EXPECT_EQ(f.run({"member", "remove", "admin@acme.test", "--workspace", "acme/main", "--yes"}).exit_code, 4)
      << "and the remaining owner is now the last";
}

TEST(MemberCommand, AMemberActorIsLimitedByItsOwnRole) {
  AccessFixture f;
  auto as_member = f.run({"member", "add", "outsider@acme.test", "--workspace", "acme/main", "--role", "viewer", "--as",
                          "member@acme.test"});
  EXPECT_EQ(as_member.exit_code, 5);
  EXPECT_NE(as_member.err.find("lacks the permission workspace:members:invite"), std::string::npos) << as_member.err;
  auto admin_to_owner = f.run({"member", "add", "outsider@acme.test", "--workspace", "acme/main", "--role", "owner",
                               "--as", "admin@acme.test"});
  EXPECT_EQ(admin_to_owner.exit_code, 5);
  EXPECT_NE(admin_to_owner.err.find("cannot grant the role owner"), std::string::npos) << admin_to_owner.err;
  EXPECT_EQ(
      f.run({"member", "role", "owner@acme.test", "--workspace", "acme/main", "member", "--as", "admin@acme.test"})
          .exit_code,
      5)
      << "an admin cannot change an owner";
  EXPECT_EQ(f.run({"member", "add", "outsider@acme.test", "--workspace", "acme/main", "--role", "member", "--as",
                   "admin@acme.test"})
                .exit_code,
            0);
}

TEST(MemberCommand, DryRunChangesNothing) {
  AccessFixture f;
  auto before = f.counts();
  auto add = f.run_json(
      {"member", "add", "new@acme.test", "--workspace", "acme/main", "--role", "member", "--create-user", "--dry-run"});
  EXPECT_EQ(add["email"], "new@acme.test") << "the dry run shows the membership it would add";
  auto role = f.run({"member", "role", "member@acme.test", "--workspace", "acme/main", "admin", "--dry-run"});
  EXPECT_EQ(role.exit_code, 0) << role.err;
  EXPECT_NE(role.err.find("dry run: would change the role"), std::string::npos) << role.err;
  EXPECT_EQ(f.run({"member", "remove", "member@acme.test", "--workspace", "acme/main", "--dry-run"}).exit_code, 0)
      << "a dry run needs no --yes";
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.role_in_main("member@acme.test"), "member");
}

TEST(MemberCommand, EveryOutputFormatWorks) {
  AccessFixture f;
  for (const char* format : {"table", "plain", "json", "ndjson", "csv"}) {
    auto r = f.run({"member", "list", "--workspace", "acme/main", "-o", format});
    EXPECT_EQ(r.exit_code, 0) << format << ": " << r.err;
    EXPECT_NE(r.out.find("admin@acme.test"), std::string::npos) << format;
  }
}
