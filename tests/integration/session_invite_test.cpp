// Invitations in process: run_invite_* and the invite rules through a Session on a real PostgreSQL, no binary.
#include <pqxx/transaction>

#include "commands/invite/invite.hpp"
#include "commands/invite/invite_rules.hpp"
#include "core/database.hpp"
#include "core/tokens.hpp"
#include "tests/integration/member_access_fixture.hpp"

using namespace wfa;
using access_test::AccessFixture;
using test::failure;
using test::field;

namespace {

/// to_main is an invitation of EMAIL to acme/main as ROLE.
InviteCreateOptions to_main(const std::string& email, const std::string& role = "member") {
  InviteCreateOptions o;
  o.email = email;
  o.scope.workspace = "acme/main";
  o.role = role;
  return o;
}

/// invite creates OPTIONS as ACTOR and returns its token.
std::string invite(AccessFixture& f, const InviteCreateOptions& options, const std::string& actor = "owner@acme.test") {
  return field(run_invite_create(options, f.session(actor)), "token").as_string();
}

std::string memberships_of(AccessFixture& f, const std::string& email) {
  return f.value("SELECT count(*) FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE u.email = '" + email +
                 "'");
}

}  // namespace

TEST(SessionInvite, AcceptCreatesTheMembershipOnceAndASecondAcceptIsAConflict) {
  AccessFixture f;
  auto created = run_invite_create(to_main("outsider@acme.test", "admin"), f.session_as("owner@acme.test"));
  EXPECT_EQ(created.category, ErrorCategory::ok);
  EXPECT_EQ(field(created, "status").as_string(), "pending");
  EXPECT_EQ(field(created, "invited_by").as_string(), "owner@acme.test");
  auto token = field(created, "token").as_string();
  EXPECT_EQ(f.value("SELECT token_hash FROM workspace_invitations"), token_hash(token)) << "only the hash is stored";

  auto accepted = run_invite_accept({token}, f.session_as("outsider@acme.test"));
  EXPECT_EQ(accepted.category, ErrorCategory::ok);
  EXPECT_EQ(field(accepted, "email").as_string(), "outsider@acme.test");
  EXPECT_EQ(field(accepted, "role").as_string(), "admin");
  EXPECT_EQ(field(accepted, "invitation_id").as_string(), field(created, "id").as_string());
  EXPECT_EQ(f.role_in_main("outsider@acme.test"), "admin");
  EXPECT_EQ(f.value("SELECT status || ' ' || (accepted_by = '" + f.user_id("outsider@acme.test") +
                    "')::text FROM workspace_invitations"),
            "accepted true");

  auto again = failure([&] { run_invite_accept({token}, f.session_as("outsider@acme.test")); });
  EXPECT_EQ(again.category, ErrorCategory::conflict) << again.message;
  EXPECT_NE(again.message.find("already accepted at"), std::string::npos) << again.message;
  EXPECT_EQ(memberships_of(f, "outsider@acme.test"), "1");
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action = 'workspace_invitation.accept'"
                    " AND actor = 'outsider@acme.test'"),
            "1");
}

TEST(SessionInvite, AnExpiredInvitationIsInvalidInputAndIsMarkedExpiredUnlessDryRun) {
  AccessFixture f;
  auto token = invite(f, to_main("outsider@acme.test"));
  f.exec("UPDATE workspace_invitations SET expires_at = now() - interval '1 minute'");

  auto dry = failure([&] { run_invite_accept({token, false, true}, f.session()); });
  EXPECT_EQ(dry.category, ErrorCategory::invalid_input) << dry.message;
  EXPECT_EQ(f.value("SELECT status FROM workspace_invitations"), "pending") << "a dry run marks nothing";

  auto expired = failure([&] { run_invite_accept({token}, f.session()); });
  EXPECT_EQ(expired.category, ErrorCategory::invalid_input) << expired.message;
  EXPECT_NE(expired.message.find("expired at"), std::string::npos) << expired.message;
  EXPECT_NE(expired.hint.find("owner@acme.test"), std::string::npos) << "ask the inviter again: " << expired.hint;
  EXPECT_EQ(f.value("SELECT status FROM workspace_invitations"), "expired") << "the refusal is committed";
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action = 'workspace_invitation.expire'"), "1");
  EXPECT_EQ(f.role_in_main("outsider@acme.test"), "");

  EXPECT_EQ(failure([&] { run_invite_accept({token}, f.session()); }).category, ErrorCategory::invalid_input);
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action = 'workspace_invitation.expire'"), "1")
      << "expired once";
}

TEST(SessionInvite, RevokedUnknownAndMalformedTokensAndIdsAreRefusedByCategory) {
  AccessFixture f;
  auto created = run_invite_create(to_main("outsider@acme.test", "viewer"), f.session_as("admin@acme.test"));
  auto id = field(created, "id").as_string();
  auto revoked = run_invite_revoke({id}, f.session_as("admin@acme.test"));
  EXPECT_EQ(field(revoked, "status").as_string(), "revoked");
  auto refused = failure([&] { run_invite_accept({field(created, "token").as_string()}, f.session()); });
  EXPECT_EQ(refused.category, ErrorCategory::invalid_input);
  EXPECT_NE(refused.message.find("was revoked"), std::string::npos) << refused.message;
  auto twice = run_invite_revoke({id}, f.session_as("admin@acme.test"));
  EXPECT_EQ(twice.category, ErrorCategory::ok);
  EXPECT_NE(twice.message.find("already revoked"), std::string::npos) << twice.message;

  EXPECT_EQ(failure([&] { run_invite_accept({"not-a-real-token-at-all"}, f.session()); }).category,
            ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { run_invite_accept({""}, f.session()); }).category, ErrorCategory::usage);
  EXPECT_EQ(failure([&] { run_invite_revoke({"nope"}, f.session()); }).category, ErrorCategory::invalid_input);
  EXPECT_EQ(failure([&] { run_invite_revoke({"00000000-0000-0000-0000-000000000000"}, f.session()); }).category,
            ErrorCategory::not_found);

  auto token = invite(f, to_main("outsider@acme.test"));
  run_invite_accept({token}, f.session());
  auto accepted_id = f.value("SELECT id FROM workspace_invitations WHERE status = 'accepted'");
  auto late = failure([&] { run_invite_revoke({accepted_id}, f.session()); });
  EXPECT_EQ(late.category, ErrorCategory::conflict) << late.message;
  EXPECT_NE(late.hint.find("wfa member remove outsider@acme.test"), std::string::npos) << late.hint;
}

TEST(SessionInvite, AnInvitationJoinsOnlyItsOwnWorkspaceOrPartner) {
  AccessFixture f;
  f.add_partner("zeta", "Zeta");
  f.add_workspace("zeta", "main", "Zeta Main");
  auto unknown = to_main("outsider@acme.test");
  unknown.scope.workspace = "acme/nope";
  EXPECT_EQ(failure([&] { run_invite_create(unknown, f.session()); }).category, ErrorCategory::not_found);
  auto no_scope = to_main("outsider@acme.test");
  no_scope.scope.workspace.reset();
  EXPECT_EQ(failure([&] { run_invite_create(no_scope, f.session()); }).category, ErrorCategory::usage);
  auto both = to_main("outsider@acme.test");
  both.scope.partner = "acme";
  EXPECT_EQ(failure([&] { run_invite_create(both, f.session()); }).category, ErrorCategory::usage);

  auto zeta = to_main("outsider@acme.test");
  zeta.scope.workspace = "zeta/main";
  auto token = invite(f, zeta);
  EXPECT_TRUE(run_invite_list({{std::nullopt, "acme/main"}, std::nullopt}, f.session()).tables.at(0).rows.empty())
      << "acme/main does not list zeta's invitation";
  EXPECT_EQ(run_invite_list({{std::nullopt, "zeta/main"}, std::nullopt}, f.session()).tables.at(0).rows.size(), 1u);
  run_invite_accept({token}, f.session());
  EXPECT_EQ(f.role_in_main("outsider@acme.test"), "") << "no membership of acme/main";
  EXPECT_EQ(f.value("SELECT m.role FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id JOIN partners p"
                    " ON p.id = w.partner_id JOIN users u ON u.id = m.user_id WHERE p.slug = 'zeta'"
                    " AND u.email = 'outsider@acme.test'"),
            "member");

  InviteCreateOptions partner;
  partner.email = "member@acme.test";
  partner.scope.partner = "acme";
  partner.role = "admin";
  auto partner_token = invite(f, partner);
  auto joined = run_invite_accept({partner_token}, f.session());
  EXPECT_EQ(field(joined, "scope").as_string(), "partner");
  EXPECT_EQ(joined.category, ErrorCategory::ok);
  EXPECT_EQ(
      f.value(
          "SELECT m.role FROM partner_members m JOIN users u ON u.id = m.user_id WHERE u.email = 'member@acme.test'"),
      "admin");
  EXPECT_EQ(f.role_in_main("member@acme.test"), "member") << "the workspace role is untouched";
}

TEST(SessionInvite, TheInvitingMembersRoleBoundsWhatItMayInvite) {
  AccessFixture f;
  auto before = f.counts();
  auto as_member =
      failure([&] { run_invite_create(to_main("outsider@acme.test", "viewer"), f.session_as("member@acme.test")); });
  EXPECT_EQ(as_member.category, ErrorCategory::permission) << as_member.message;
  EXPECT_NE(as_member.message.find("lacks the permission workspace:members:invite"), std::string::npos)
      << as_member.message;
  auto owner_by_admin =
      failure([&] { run_invite_create(to_main("outsider@acme.test", "owner"), f.session_as("admin@acme.test")); });
  EXPECT_EQ(owner_by_admin.category, ErrorCategory::permission) << owner_by_admin.message;
  EXPECT_NE(owner_by_admin.message.find("cannot grant the role owner"), std::string::npos) << owner_by_admin.message;
  EXPECT_EQ(failure([&] { run_invite_create(to_main("admin@acme.test"), f.session()); }).category,
            ErrorCategory::conflict)
      << "already a member";
  EXPECT_EQ(failure([&] { run_invite_create(to_main("x@acme.test", "chief"), f.session()); }).category,
            ErrorCategory::invalid_input);
  EXPECT_EQ(failure([&] { run_invite_create(to_main("not-an-email"), f.session()); }).category,
            ErrorCategory::invalid_input);
  auto forever = to_main("x@acme.test");
  forever.expires_in = "7y";
  EXPECT_EQ(failure([&] { run_invite_create(forever, f.session()); }).category, ErrorCategory::invalid_input);
  EXPECT_EQ(f.counts(), before) << "refusals change nothing";

  auto first = run_invite_create(to_main("x@acme.test", "member"), f.session_as("admin@acme.test"));
  auto duplicate = failure([&] { run_invite_create(to_main("x@acme.test"), f.session()); });
  EXPECT_EQ(duplicate.category, ErrorCategory::conflict);
  EXPECT_NE(duplicate.hint.find("wfa invite resend " + field(first, "id").as_string()), std::string::npos)
      << duplicate.hint;
}

TEST(SessionInvite, AcceptNeedsTheUserOrCreateUserAndRoomUnderMaxUsers) {
  AccessFixture f;
  auto token = invite(f, to_main("new@acme.test"));
  auto no_user = failure([&] { run_invite_accept({token}, f.session()); });
  EXPECT_EQ(no_user.category, ErrorCategory::not_found) << no_user.message;
  EXPECT_NE(no_user.hint.find("--create-user"), std::string::npos) << no_user.hint;

  auto dry = run_invite_accept({token, true, true}, f.session());
  EXPECT_EQ(field(dry, "email").as_string(), "new@acme.test") << "a dry run shows the membership it would make";
  EXPECT_EQ(f.user_id("new@acme.test"), "") << "and keeps nothing";
  run_invite_accept({token, true}, f.session());
  EXPECT_EQ(f.role_in_main("new@acme.test"), "member");
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action = 'user.create'"), "1");

  auto waiting = invite(f, to_main("outsider@acme.test"));
  f.exec(R"(UPDATE workspaces SET resource_limits = '{"max_users": 4}')");
  auto full = failure([&] { run_invite_accept({waiting}, f.session()); });
  EXPECT_EQ(full.category, ErrorCategory::conflict) << full.message;
  EXPECT_NE(full.message.find("max_users limit (4 of 4 members)"), std::string::npos) << full.message;
  EXPECT_EQ(f.value("SELECT status FROM workspace_invitations WHERE email = 'outsider@acme.test'"), "pending");
  EXPECT_EQ(f.role_in_main("outsider@acme.test"), "");
}

TEST(SessionInvite, ExpiresInAcceptsOneMinuteToAYear) {
  // A front end that spells options as JSON fields (serve) gets its own spelling back in the message.
  SessionHooks hooks;
  hooks.option_name = [](std::string_view name) { return "field " + std::string(name); };
  Session session(Config::load({}, [](const std::string&) { return std::optional<std::string>(); }), hooks);
  EXPECT_EQ(parse_expires_in("7d", session), "7 days");
  EXPECT_EQ(parse_expires_in("36h", session), "36 hours");
  EXPECT_EQ(parse_expires_in("1m", session), "1 minutes");
  EXPECT_EQ(parse_expires_in("52w", session), "52 weeks");
  EXPECT_EQ(parse_expires_in("365d", session), "365 days");
  for (const char* bad : {"", "d", "0d", "366d", "53w", "7y", "-1d", "1.5h", "123456789d"}) {
    auto refusal = failure([&] { parse_expires_in(bad, session); });
    EXPECT_EQ(refusal.category, ErrorCategory::invalid_input) << bad;
    EXPECT_EQ(refusal.message.rfind("field expires-in '", 0), 0u) << refusal.message;
  }
}

TEST(SessionInvite, LockByTokenFindsTheInvitationAndItsScope) {
  AccessFixture f;
  auto token = invite(f, to_main("outsider@acme.test", "viewer"));
  pqxx::work tx(f.session().database().ready());
  auto inv = lock_invitation_by_token(tx, token_hash(token));
  EXPECT_EQ(inv.scope.kind, RoleScope::workspace);
  EXPECT_EQ(inv.scope.reference, "acme/main");
  EXPECT_EQ(inv.scope.name, "Acme Main");
  EXPECT_EQ(inv.scope.workspace_id.value_or(""), f.workspace_id("acme/main"));
  EXPECT_EQ(inv.email, "outsider@acme.test");
  EXPECT_EQ(inv.role, "viewer");
  EXPECT_EQ(inv.status, "pending");
  EXPECT_FALSE(inv.past_expiry);
  EXPECT_EQ(inv.accepted_at, "");
  EXPECT_EQ(lock_invitation_by_id(tx, inv.id).email, "outsider@acme.test");
  EXPECT_EQ(failure([&] { lock_invitation_by_token(tx, token_hash(token + "x")); }).category, ErrorCategory::not_found);
}
