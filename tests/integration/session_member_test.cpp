// Membership rules in process: run_member_* and the member scope rules through a Session, no binary.
#include <pqxx/transaction>

#include "commands/member/member.hpp"
#include "commands/member/member_rules.hpp"
#include "core/database.hpp"
#include "tests/integration/member_access_fixture.hpp"

using namespace wfa;
using access_test::AccessFixture;
using test::failure;
using test::field;

namespace {

ScopeFlags main_scope() { return {std::nullopt, "acme/main"}; }

MemberAddOptions add(const std::string& email, const std::string& role) {
  return {email, main_scope(), role, false, false};
}
MemberRoleOptions change(const std::string& email, const std::string& role) {
  return {email, main_scope(), role, false};
}
MemberRemoveOptions drop(const std::string& email) { return {email, main_scope(), true, false}; }

}  // namespace

TEST(SessionMember, AddRoleAndRemoveAreAuditedAsTheSessionsActor) {
  AccessFixture f;
  auto& s = f.session("ops@wfa.test");
  auto added = run_member_add(add("outsider@acme.test", "viewer"), s);
  EXPECT_EQ(field(added, "role").as_string(), "viewer");
  EXPECT_EQ(field(added, "invited_by").as_string(), "ops@wfa.test");
  EXPECT_EQ(field(run_member_role(change("outsider@acme.test", "admin"), s), "role").as_string(), "admin");
  auto removed = run_member_remove(drop("outsider@acme.test"), s);
  EXPECT_EQ(field(removed, "removed_by").as_string(), "ops@wfa.test");
  EXPECT_EQ(f.role_in_main("outsider@acme.test"), "");
  EXPECT_EQ(run_member_list({main_scope(), false, {}}, s).tables.at(0).rows.size(), 3u) << "removal is soft";
  EXPECT_EQ(run_member_list({main_scope(), true, {}}, s).tables.at(0).rows.size(), 4u);
  EXPECT_EQ(f.value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE actor = 'ops@wfa.test'"),
            "workspace_member.add,workspace_member.role,workspace_member.remove");
}

TEST(SessionMember, RefusalsCarryTheirCategoryAndChangeNothing) {
  AccessFixture f;
  auto& s = f.session();
  auto before = f.counts();
  EXPECT_EQ(failure([&] { run_member_add(add("new@acme.test", "member"), s); }).category, ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { run_member_add(add("outsider@acme.test", "boss"), s); }).category,
            ErrorCategory::invalid_input);
  EXPECT_EQ(failure([&] { run_member_add(add("admin@acme.test", "member"), s); }).category, ErrorCategory::conflict);
  EXPECT_EQ(failure([&] { run_member_role(change("outsider@acme.test", "admin"), s); }).category,
            ErrorCategory::not_found);
  auto unconfirmed = drop("member@acme.test");
  unconfirmed.yes = false;
  EXPECT_EQ(failure([&] { run_member_remove(unconfirmed, s); }).category, ErrorCategory::usage)
      << "no --yes, no confirm hook";
  auto last = failure([&] { run_member_remove(drop("owner@acme.test"), s); });
  EXPECT_EQ(last.category, ErrorCategory::conflict) << last.message;
  EXPECT_NE(last.message.find("the last owner of workspace acme/main"), std::string::npos) << last.message;
  EXPECT_EQ(failure([&] { run_member_role(change("owner@acme.test", "admin"), s); }).category,
            ErrorCategory::conflict);
  f.exec(R"(UPDATE workspaces SET resource_limits = '{"max_users": 3}')");
  auto full = failure([&] { run_member_add(add("outsider@acme.test", "member"), s); });
  EXPECT_EQ(full.category, ErrorCategory::conflict);
  EXPECT_NE(full.message.find("(3 of 3 members)"), std::string::npos) << full.message;
  EXPECT_EQ(f.counts(), before);
}

TEST(SessionMember, AMemberActorIsBoundedByItsOwnRole) {
  AccessFixture f;
  auto as_member =
      failure([&] { run_member_add(add("outsider@acme.test", "viewer"), f.session_as("member@acme.test")); });
  EXPECT_EQ(as_member.category, ErrorCategory::permission);
  EXPECT_NE(as_member.message.find("workspace:members:invite"), std::string::npos) << as_member.message;
  auto& admin = f.session_as("admin@acme.test");
  EXPECT_EQ(failure([&] { run_member_add(add("outsider@acme.test", "owner"), admin); }).category,
            ErrorCategory::permission);
  EXPECT_EQ(failure([&] { run_member_role(change("owner@acme.test", "member"), admin); }).category,
            ErrorCategory::permission);
  EXPECT_EQ(run_member_add(add("outsider@acme.test", "member"), admin).category, ErrorCategory::ok);

  pqxx::work tx(f.session().database().ready());
  auto scope = resolve_scope(tx, main_scope(), f.session());
  auto roles = RoleHierarchy::load(tx, scope.kind);
  auto authorized = [&](const std::string& actor, const std::string& target, std::optional<std::string> old_role = {}) {
    auto& session = actor.find('@') == std::string::npos ? f.session(actor) : f.session_as(actor);
    return failure([&] { authorize(tx, scope, roles, session, "members:update", target, old_role); }).category;
  };
  EXPECT_EQ(authorized("owner@acme.test", "owner", "owner"), ErrorCategory::ok) << "the top role may grant any role";
  EXPECT_EQ(authorized("admin@acme.test", "member", "viewer"), ErrorCategory::ok);
  EXPECT_EQ(authorized("admin@acme.test", "admin"), ErrorCategory::permission) << "only roles below its own";
  EXPECT_EQ(authorized("admin@acme.test", "member", "owner"), ErrorCategory::permission)
      << "nor change a higher member";
  EXPECT_EQ(authorized("member@acme.test", "viewer"), ErrorCategory::permission);
  EXPECT_EQ(authorized("cron", "owner"), ErrorCategory::ok) << "no --as: the operator";
  EXPECT_EQ(authorized("outsider@acme.test", "viewer"), ErrorCategory::permission) << "a user who is not a member";

  auto member = live_membership(tx, scope, f.user_id("member@acme.test"));
  ASSERT_TRUE(member.has_value());
  EXPECT_EQ(member->role, "member");
  auto partner = resolve_scope(tx, {"acme", std::nullopt}, f.session());
  EXPECT_FALSE(live_membership(tx, partner, f.user_id("member@acme.test")).has_value()) << "no partner membership";
  EXPECT_EQ(live_membership(tx, partner, f.user_id("owner@acme.test")).value_or(MembershipRef{}).role, "owner");
  EXPECT_EQ(failure([&] { require_member_room(tx, scope, "x@acme.test"); }).category, ErrorCategory::ok) << "4 of 10";
}
