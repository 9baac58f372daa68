// `wfa invite create|list|accept|revoke`: tokens stored hashed, accept exactly once (also from
// two processes at once), expired and revoked tokens refused with the reason, the e-mail template.
#include <chrono>
#include <pqxx/connection>
#include <pqxx/transaction>
#include <thread>

#include "core/tokens.hpp"
#include "tests/integration/member_access_fixture.hpp"

using namespace wfa;
using access_test::AccessFixture;
using nlohmann::json;

namespace {

/// invite creates an invitation of EMAIL to acme/main and returns its JSON (with the token).
json invite(AccessFixture& f, const std::string& email, const std::string& role = "member",
            std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"invite", "create", email, "--workspace", "acme/main", "--role", role};
  args.insert(args.end(), extra.begin(), extra.end());
  return f.run_json(args);
}

}  // namespace

TEST(InviteCommand, CreateStoresOnlyTheHashAndAcceptCreatesTheMembershipOnce) {
  AccessFixture f;
  auto created = invite(f, "outsider@acme.test", "admin", {"--message", "Welcome aboard", "--as", "owner@acme.test"});
  ASSERT_TRUE(created.is_object());
  for (const char* field :
       {"id", "scope", "partner_id", "workspace_id", "email", "role", "status", "message", "invited_by", "expires_at",
        "accepted_at", "accepted_by", "created_at", "token", "accept_command"})
    EXPECT_TRUE(created.contains(field)) << field;
  std::string token = created["token"];
  EXPECT_GE(token.size(), 22u) << "at least 128 bits, base64url";
  EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(created["status"], "pending");
  EXPECT_EQ(f.value("SELECT token_hash FROM workspace_invitations"), token_hash(token));
  EXPECT_EQ(f.value("SELECT count(*) FROM workspace_invitations WHERE token_hash = '" + token + "'"), "0");
  EXPECT_EQ(f.value("SELECT round(extract(epoch FROM expires_at - created_at) / 86400)"
                    " FROM workspace_invitations"),
            "7")
      << "default expiry: 7 days";
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action = 'workspace_invitation.create'"
                    " AND actor = 'owner@acme.test' AND NOT new_values ? 'token_hash'"),
            "1");

  auto accepted = f.run_json({"invite", "accept", token});
  EXPECT_EQ(accepted["email"], "outsider@acme.test");
  EXPECT_EQ(accepted["role"], "admin");
  EXPECT_EQ(accepted["invited_by"], "owner@acme.test");
  EXPECT_EQ(f.role_in_main("outsider@acme.test"), "admin");
  EXPECT_EQ(f.value("SELECT status FROM workspace_invitations"), "accepted");

  auto again = f.run({"invite", "accept", token});
  EXPECT_EQ(again.exit_code, 4);
  EXPECT_NE(again.err.find("already accepted at"), std::string::npos) << again.err;
  EXPECT_EQ(f.value("SELECT count(*) FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE u.email = "
                    "'outsider@acme.test'"),
            "1");
}

TEST(InviteCommand, ExpiredRevokedAndUnknownTokensAreRefusedWithTheReason) {
  AccessFixture f;
  auto token = invite(f, "outsider@acme.test")["token"].get<std::string>();
  f.exec("UPDATE workspace_invitations SET expires_at = '2020-01-02T03:04:05Z', created_at = '2020-01-01T00:00:00Z'");
  auto listed = f.run_json({"invite", "list", "--workspace", "acme/main"})["invitations"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["status"], "expired") << "a pending invitation past its expiry shows as expired";
  auto expired = f.run({"invite", "accept", token});
  EXPECT_EQ(expired.exit_code, 6);
  EXPECT_NE(expired.err.find("expired at 2020-01-02T03:04:05Z"), std::string::npos) << expired.err;
  EXPECT_EQ(f.value("SELECT status FROM workspace_invitations"), "expired") << "the refusal marks it expired";
  EXPECT_EQ(f.role_in_main("outsider@acme.test"), "");

  auto second = invite(f, "outsider@acme.test", "viewer", {"--as", "admin@acme.test"});
  auto second_id = second["id"].get<std::string>();
  auto revoked = f.run_json({"invite", "revoke", second_id, "--as", "admin@acme.test"});
  EXPECT_EQ(revoked["status"], "revoked");
  auto refused = f.run({"invite", "accept", second["token"].get<std::string>()});
  EXPECT_EQ(refused.exit_code, 6);
  EXPECT_NE(refused.err.find("was revoked"), std::string::npos) << refused.err;
  EXPECT_EQ(f.run({"invite", "revoke", second_id}).exit_code, 0) << "revoking twice is nothing to do";

  auto unknown = f.run({"invite", "accept", "not-a-real-token-at-all"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_NE(unknown.err.find("invitation token not recognised"), std::string::npos) << unknown.err;
  EXPECT_EQ(f.run({"invite", "revoke", "00000000-0000-0000-0000-000000000000"}).exit_code, 3);
  EXPECT_EQ(f.run({"invite", "revoke", "nope"}).exit_code, 6);
  EXPECT_EQ(f.run_json({"invite", "list", "--workspace", "acme/main", "--status", "revoked"})["invitations"].size(),
            1u);
}

TEST(InviteCommand, BadInputAndDuplicates) {
  AccessFixture f;
  auto before = f.counts();
  auto bad_expiry =
      f.run({"invite", "create", "x@acme.test", "--workspace", "acme/main", "--role", "member", "--expires-in", "7y"});
  EXPECT_EQ(bad_expiry.exit_code, 6);
  EXPECT_NE(bad_expiry.err.find("--expires-in '7y' is not a duration"), std::string::npos) << bad_expiry.err;
  EXPECT_EQ(f.run({"invite", "create", "x@acme.test", "--workspace", "acme/main", "--role", "chief"}).exit_code, 6);
  auto member = f.run({"invite", "create", "admin@acme.test", "--workspace", "acme/main", "--role", "member"});
  EXPECT_EQ(member.exit_code, 4) << "already a member";
  EXPECT_EQ(f.run({"invite", "create", "x@acme.test", "--partner", "acme", "--role", "member", "--dry-run"}).exit_code,
            0);
  EXPECT_EQ(f.counts(), before) << "--dry-run and refusals change nothing";

  auto first = invite(f, "x@acme.test", "member", {"--expires-in", "36h"});
  EXPECT_EQ(f.value("SELECT round(extract(epoch FROM expires_at - created_at) / 3600) FROM workspace_invitations"),
            "36");
  auto first_token = first["token"].get<std::string>();
  auto duplicate = f.run({"invite", "create", "x@acme.test", "--workspace", "acme/main", "--role", "member"});
  EXPECT_EQ(duplicate.exit_code, 4);
  EXPECT_NE(duplicate.err.find("wfa invite resend " + first["id"].get<std::string>()), std::string::npos)
      << duplicate.err;

  auto no_user = f.run({"invite", "accept", first_token});
  EXPECT_EQ(no_user.exit_code, 3) << "x@acme.test is no user yet";
  EXPECT_NE(no_user.err.find("--create-user"), std::string::npos) << no_user.err;
  auto dry = f.run({"invite", "accept", first_token, "--create-user", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(f.value("SELECT status FROM workspace_invitations"), "pending");
  EXPECT_EQ(f.run({"invite", "accept", first_token, "--create-user"}).exit_code, 0);
  EXPECT_EQ(f.role_in_main("x@acme.test"), "member");
}

TEST(InviteCommand, RenderPrintsTheInvitationEmailFromTheTemplate) {
  AccessFixture f;
  f.exec(
      R"(INSERT INTO partner_domains (partner_id, hostname, is_primary, is_platform_subdomain,
        verification_token, verified_at)
            SELECT id, 'acme.wfa.test', true, true, 't', now() FROM partners)");
  auto r = f.run({"invite", "create", "guest@acme.test", "--workspace", "acme/main", "--role", "viewer", "--message",
                  "See you Monday", "--render", "--as", "owner@acme.test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      r.out.rfind("To: guest@acme.test\nSubject: Olivia Owner <owner@acme.test> invited you to Acme Main as viewer\n\n",
                  0),
      0u)
      << r.out;
  EXPECT_NE(r.out.find("See you Monday"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("workspace acme/main"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("wfa invite accept "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("https://acme.wfa.test/invite/"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("expires at 20"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("{{"), std::string::npos) << r.out;

  auto doc = f.run_json({"invite", "create", "plain@acme.test", "--partner", "acme", "--role", "member", "--render"});
  EXPECT_EQ(doc["to"], "plain@acme.test");
  EXPECT_EQ(doc["body"].get<std::string>().find("Their message"), std::string::npos)
      << "no --message, no message section";
  EXPECT_NE(doc["body"].get<std::string>().find("wfa invite accept " + doc["token"].get<std::string>()),
            std::string::npos);
  EXPECT_NE(doc["subject"].get<std::string>().find("invited you to Acme Agency as member"), std::string::npos) << doc;
}

TEST(InviteCommand, ConcurrentAcceptOfOneTokenFromTwoProcessesMakesOneMembership) {
  AccessFixture f;
  auto token = invite(f, "outsider@acme.test")["token"].get<std::string>();
  // Hold the audit log so both processes are inside their transactions before either can finish.
  auto [a, b] = test::race_to_commit(
      f.db,
      [&] {
        return f.run({"invite", "accept", token});
      },
      [&] {
        return f.run({"invite", "accept", token});
      });
  EXPECT_EQ((a.exit_code == 0) + (b.exit_code == 0), 1) << a.err << " / " << b.err;
  EXPECT_EQ((a.exit_code == 4) + (b.exit_code == 4), 1) << a.err << " / " << b.err;
  const auto& loser = a.exit_code == 4 ? a : b;
  EXPECT_NE(loser.err.find("already accepted at"), std::string::npos)
      << "the second waits for the first and then sees it accepted, not a duplicate key: " << loser.err;
  EXPECT_EQ(f.value("SELECT count(*) FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE u.email = "
                    "'outsider@acme.test'"),
            "1");
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action = 'workspace_invitation.accept'"), "1");
}

TEST(InviteCommand, TheTokenComesFromStdinOrAFileInsteadOfTheCommandLine) {
  AccessFixture f;
  auto piped = invite(f, "outsider@acme.test")["token"].get<std::string>();
  auto from_stdin = f.run({"invite", "accept", "--token-file", "-", "-o", "json"}, piped + "\n");
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(json::parse(from_stdin.out)["email"], "outsider@acme.test");
  EXPECT_EQ(f.role_in_main("outsider@acme.test"), "member");

  auto filed = invite(f, "new@acme.test", "viewer")["token"].get<std::string>();
  auto path = f.file("token.txt", filed + "\r\nanything after the first line is ignored\n");
  auto from_file = f.run({"invite", "accept", "--token-file", path, "--create-user"});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(f.role_in_main("new@acme.test"), "viewer");
}

TEST(InviteCommand, AnEmptyTokenFileOrTwoTokensAreRefused) {
  AccessFixture f;
  auto token = invite(f, "outsider@acme.test")["token"].get<std::string>();
  auto before = f.counts();
  for (const std::string& input : {std::string(), std::string("\n"), std::string("\r\n")}) {
    auto empty = f.run({"invite", "accept", "--token-file", "-"}, input);
    EXPECT_EQ(empty.exit_code, 6) << empty.err;
    EXPECT_EQ(test::lines(empty.err), 1u) << empty.err;
    EXPECT_NE(empty.err.find("--token-file"), std::string::npos) << empty.err;
  }
  EXPECT_EQ(f.run({"invite", "accept", "--token-file", f.file("empty.txt", "")}).exit_code, 6);
  EXPECT_EQ(f.run({"invite", "accept", "--token-file", f.file("long.txt", std::string(5000, 'x'))}).exit_code, 6);
  EXPECT_EQ(f.run({"invite", "accept", "--token-file", (f.dir.path() / "missing.txt").string()}).exit_code, 3);

  auto both = f.run({"invite", "accept", token, "--token-file", "-"}, token + "\n");
  EXPECT_EQ(both.exit_code, 2) << both.err;
  EXPECT_NE(both.err.find("exactly one of TOKEN and --token-file"), std::string::npos) << both.err;
  EXPECT_EQ(f.run({"invite", "accept"}).exit_code, 2) << "neither";
  EXPECT_EQ(f.counts(), before) << "nothing was accepted";
  EXPECT_EQ(f.value("SELECT status FROM workspace_invitations"), "pending");
}
