// The mail outbox against a real SMTP server (aiosmtpd on loopback, STARTTLS and AUTH): what the verbs queue in their
// transactions arrives once, failures and unknown outcomes are kept and shown, suppressed addresses are never mailed.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <set>
#include <thread>

#include "tests/integration/partner_fixture.hpp"
#include "tests/support/smtp_sink.hpp"
#include "tests/support/test_cluster.hpp"

using namespace wfa;
using partner_test::json;

namespace {

struct OutboxFixture : partner_test::Fixture {
  test::SmtpSink sink;

  explicit OutboxFixture(test::SinkBehaviour behaviour = {}) : sink(dir.path() / "smtp", std::move(behaviour)) {
    counted_tables.push_back("mail_outbox");
    for (auto& [k, v] : sink.env()) env[k] = v;
    add_user("boss@wfa.example", "Bea", "Boss");
    exec(
        "INSERT INTO super_admins (user_id, granted_by) SELECT id, 'test' FROM users WHERE email = "
        "'boss@wfa.example'");
  }
  void add_super_admin(const std::string& email) {
    add_user(email, "Second", "Admin");
    exec("INSERT INTO super_admins (user_id, granted_by) SELECT id, 'test' FROM users WHERE email = '" + email + "'");
  }
  json flush(int exit = 0) { return run_json({"mail", "flush"}, exit); }
  /// due makes every waiting message due now.
  void due() { exec("UPDATE mail_outbox SET next_attempt_at = now() WHERE status IN ('queued', 'unknown')"); }
  /// provisioned submits, approves and provisions a request for SUBDOMAIN; returns the partner's id.
  std::string provisioned(const std::string& subdomain, const std::vector<std::string>& extra = {}) {
    auto id = approved(subdomain, extra);
    return run_json({"partner", "provision", id})["id"].get<std::string>();
  }
  std::vector<json> to(const std::string& address) {
    std::vector<json> out;
    for (const auto& m : sink.messages())
      if (m["rcpt_to"] == address) out.push_back(m);
    return out;
  }
};

bool has(const json& doc, const char* key, const std::string& text) {
  return doc[key].get<std::string>().find(text) != std::string::npos;
}

/// copies queues N copies of the newest outbox row, each with its own key (and so its own Message-ID).
void copies(OutboxFixture& f, int n) {
  f.exec(
      "INSERT INTO mail_outbox (message_key, template, subject, envelope_from, recipient, message, give_up_at)"
      " SELECT 'copy' || lpad(g::text, 6, '0'), o.template, o.subject,"
      " replace(o.envelope_from, o.message_key, 'copy' || lpad(g::text, 6, '0')), o.recipient,"
      " replace(o.message, o.message_key, 'copy' || lpad(g::text, 6, '0')), o.give_up_at"
      " FROM (SELECT * FROM mail_outbox ORDER BY created_at DESC LIMIT 1) o, generate_series(1, " +
      std::to_string(n) + ") g");
}

std::set<std::string> message_ids(const json& messages) {
  std::set<std::string> ids;
  for (const auto& m : messages) ids.insert(m["message_id"].get<std::string>());
  return ids;
}

}  // namespace

TEST(MailOutbox, SubmittedRequestMailsEverySuperAdminExactlyOnce) {
  OutboxFixture f;
  f.add_super_admin("second@wfa.example");
  auto id = f.submit("acme");
  EXPECT_EQ(f.count("mail_outbox"), 2);
  auto sent = f.flush();
  EXPECT_EQ(sent["sent"], 2) << sent;
  EXPECT_EQ(f.flush()["sent"], 0) << "a second flush sends nothing more";
  auto messages = f.sink.messages();
  ASSERT_EQ(messages.size(), 2u) << messages;
  std::set<std::string> recipients;
  for (const auto& m : messages) {
    recipients.insert(m["rcpt_to"].get<std::string>());
    EXPECT_EQ(m["subject"], "New partner request from Agency acme");
    EXPECT_EQ(m["from_address"], "no-reply@wfa.example");
    EXPECT_EQ(m["defects"], 0);
    EXPECT_TRUE(has(m, "text", "wfa partner request approve " + id)) << m["text"];
    EXPECT_TRUE(has(m, "html", "<html")) << "an HTML part too";
    EXPECT_EQ(m["mail_from"].get<std::string>().rfind("bounce+", 0), 0u) << "VERP: " << m["mail_from"];
    EXPECT_TRUE(has(m, "message_id", "@wfa.example>"));
    EXPECT_FALSE(m["date"].get<std::string>().empty());
  }
  EXPECT_EQ(recipients, (std::set<std::string>{"boss@wfa.example", "second@wfa.example"}));
  EXPECT_EQ(f.value("SELECT string_agg(DISTINCT status, ',') FROM mail_outbox"), "sent");
}

TEST(MailOutbox, ApprovalAndProvisioningMailTheOwnerAnAcceptLinkThatWorks) {
  OutboxFixture f;
  f.provisioned("acme");
  f.flush();
  auto owner = f.to("owner@acme.example");
  ASSERT_EQ(owner.size(), 2u) << f.sink.messages();
  EXPECT_EQ(owner[0]["subject"], "Your partner request for Agency acme is approved");
  const auto& invitation = owner[1];
  EXPECT_TRUE(has(invitation, "subject", "invited you to Agency acme as owner")) << invitation["subject"];
  auto text = invitation["text"].get<std::string>();
  auto at = text.find("wfa invite accept ");
  ASSERT_NE(at, std::string::npos) << text;
  auto token = text.substr(at + 18, text.find_first_of(" \n", at + 18) - at - 18);
  EXPECT_TRUE(has(invitation, "text", "https://acme.wfa.example/invite/" + token)) << text;
  EXPECT_TRUE(has(invitation, "html", "href=\"https://acme.wfa.example/invite/" + token)) << "a link in the HTML";
  for (const auto& m : owner) EXPECT_FALSE(has(m, "text", "Password:")) << "never a password";
  auto accepted = f.run({"invite", "accept", token, "--create-user"});
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
}

TEST(MailOutbox, ARolledBackApprovalSendsNothing) {
  OutboxFixture f;
  auto id = f.submit("acme");
  f.exec(
      "CREATE FUNCTION refuse_approval() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
      " RAISE EXCEPTION 'forced rollback'; END $$;"
      "CREATE CONSTRAINT TRIGGER refuse_approval AFTER UPDATE ON partner_requests DEFERRABLE INITIALLY DEFERRED"
      " FOR EACH ROW WHEN (NEW.status = 'approved') EXECUTE FUNCTION refuse_approval();");
  auto r = f.run({"partner", "request", "approve", id});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(f.value("SELECT string_agg(template, ',') FROM mail_outbox"), "partner_request_received")
      << "the approval's mail rolled back with it";
  f.flush();
  EXPECT_TRUE(f.to("owner@acme.example").empty());
}

TEST(MailOutbox, AServerDownForAWhileGetsTheMessageOnceWhenItReturns) {
  OutboxFixture f;
  f.sink.stop();
  f.submit("acme");
  auto down = f.flush();
  EXPECT_EQ(down["retried"], 1) << down;
  EXPECT_EQ(f.value("SELECT status || ' ' || attempts || ' ' || (next_attempt_at > now()) FROM mail_outbox"),
            "queued 1 true");
  EXPECT_EQ(f.flush()["sent"], 0) << "not due yet";
  f.sink.start();
  f.due();
  EXPECT_EQ(f.flush()["sent"], 1);
  f.due();
  f.flush();
  EXPECT_EQ(f.sink.messages().size(), 1u);
}

TEST(MailOutbox, A550FailsForGoodWithTheReplyShownByListFailed) {
  OutboxFixture f({{"boss@wfa.example"}, {}, {}, 0});
  f.submit("acme");
  auto r = f.flush(8);
  EXPECT_EQ(r["failed"], 1) << r;
  auto failed = f.run_json({"mail", "list", "--failed"});
  ASSERT_EQ(failed["messages"].size(), 1u) << failed;
  EXPECT_EQ(failed["messages"][0]["reply_code"], 550);
  EXPECT_TRUE(has(failed["messages"][0], "last_reply", "User unknown")) << failed;
  f.due();
  f.flush();
  EXPECT_EQ(f.value("SELECT status || ' ' || attempts FROM mail_outbox"), "failed 1") << "never tried again";
  EXPECT_EQ(f.value("SELECT reason FROM mail_suppressions WHERE address = 'boss@wfa.example'"), "bounce")
      << "5.1.1 at RCPT: a hard bounce";
  EXPECT_TRUE(f.sink.messages().empty());
}

TEST(MailOutbox, TwoConcurrentFlushersSendEachMessageOnce) {
  OutboxFixture f;
  f.submit("acme");
  copies(f, 199);
  auto a = test::spawn_wfa({"mail", "flush"}, f.env);
  auto b = test::spawn_wfa({"mail", "flush"}, f.env);
  int status = 0;
  ::waitpid(a, &status, 0);
  ::waitpid(b, &status, 0);
  auto messages = f.sink.messages();
  EXPECT_EQ(messages.size(), 200u);
  EXPECT_EQ(message_ids(messages).size(), 200u);
  EXPECT_EQ(f.value("SELECT count(*) FROM mail_outbox WHERE status = 'sent'"), "200");
  EXPECT_EQ(f.value("SELECT count(DISTINCT claimed_by) FROM mail_outbox"), "0");
}

TEST(MailOutbox, KillNineDuringAFlushLosesNothingAndResendsTheUnknownWithItsMessageId) {
  OutboxFixture f({{}, {}, {}, 0.05});
  f.submit("acme");
  copies(f, 99);
  auto pid = test::spawn_wfa({"mail", "flush"}, f.env);
  for (int i = 0; i < 200 && f.sink.messages().size() < 5; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  auto cut_off = std::stol(f.value("SELECT count(*) FROM mail_outbox WHERE status = 'sending'"));
  EXPECT_GT(cut_off, 0);
  // Past the lease, a new sender marks them unknown and leaves them for the unknown delay.
  f.exec("UPDATE mail_outbox SET claimed_at = now() - interval '1 hour' WHERE status = 'sending'");
  f.env["WFA_MAIL_UNKNOWN_DELAY"] = "3600";
  f.flush();
  auto unknown = f.run_json({"mail", "list", "--unknown", "--all"});
  EXPECT_EQ(static_cast<long>(unknown["messages"].size()), cut_off) << unknown;
  f.due();
  f.flush();
  EXPECT_EQ(f.value("SELECT count(*) FROM mail_outbox WHERE status = 'sent'"), "100");
  auto messages = f.sink.messages();
  EXPECT_EQ(message_ids(messages).size(), 100u) << "nothing lost, and a repeat carries the same Message-ID";
  EXPECT_LE(messages.size(), 100u + cut_off);
}

TEST(MailOutbox, ADropAfterDataIsUnknownAndGoesAgainWithTheSameMessageId) {
  OutboxFixture f({{}, {}, {"boss@wfa.example"}, 0});
  f.submit("acme");
  auto r = f.flush(8);
  EXPECT_EQ(r["unknown"], 1) << r;
  auto unknown = f.run_json({"mail", "list", "--unknown"});
  ASSERT_EQ(unknown["messages"].size(), 1u) << unknown;
  f.sink.stop();
  f.sink.start();
  f.due();
  EXPECT_EQ(f.flush()["sent"], 1);
  auto messages = f.sink.messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0]["message_id"], messages[1]["message_id"]) << "never twice under two IDs";
}

TEST(MailOutbox, ASuppressedAddressIsNeverMailed) {
  OutboxFixture f;
  f.exec("INSERT INTO mail_suppressions (address, reason) VALUES ('boss@wfa.example', 'unsubscribe')");
  f.submit("acme");
  f.flush();
  EXPECT_TRUE(f.sink.messages().empty());
  EXPECT_EQ(f.value("SELECT status FROM mail_outbox"), "suppressed");
  f.exec("UPDATE mail_outbox SET status = 'queued'");
  auto r = f.flush();
  EXPECT_EQ(r["suppressed"], 1) << "checked again before the send" << r;
  EXPECT_TRUE(f.sink.messages().empty());
}

TEST(MailOutbox, PartnerSenderIsThePlatformAddressUntilItsDomainIsVerifiedAndNamesArriveIntact) {
  OutboxFixture f;
  std::vector<std::string> names = {"شركة النور للإعلان", "北京光明广告有限公司"};
  f.provisioned("nour", {"--company", names[0], "--custom-domain", "nour.example", "--plan", "professional"});
  f.provisioned("guangming", {"--company", names[1]});
  f.flush();
  auto nour = f.to("owner@nour.example");
  ASSERT_EQ(nour.size(), 2u);
  EXPECT_EQ(nour[1]["from_name"], names[0]);
  EXPECT_EQ(nour[1]["from_address"], "no-reply@wfa.example") << "unverified domain: the platform's address";
  EXPECT_TRUE(has(nour[1], "subject", names[0])) << nour[1]["subject"];
  auto guangming = f.to("owner@guangming.example");
  ASSERT_EQ(guangming.size(), 2u);
  EXPECT_EQ(guangming[1]["from_name"], names[1]);
  EXPECT_TRUE(has(guangming[1], "subject", names[1]));

  f.exec("UPDATE partner_domains SET verified_at = now() WHERE hostname = 'nour.example'");
  auto r = f.run({"invite", "create", "new@nour.example", "--partner", "nour", "--role", "admin"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  f.flush();
  auto invited = f.to("new@nour.example");
  ASSERT_EQ(invited.size(), 1u);
  EXPECT_EQ(invited[0]["from_address"], "no-reply@nour.example") << "verified: the partner's own domain";
  EXPECT_EQ(invited[0]["from_name"], names[0]);
}

TEST(MailOutbox, AHardBounceSuppressesTheAddressAndMarksTheInvitationUndeliverable) {
  OutboxFixture f;
  f.add_partner("acme", "Acme");
  auto r = f.run({"invite", "create", "gone@acme.example", "--partner", "acme", "--role", "member"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  f.flush();
  auto key = f.value("SELECT message_key FROM mail_outbox WHERE recipient = 'gone@acme.example'");
  auto dsn = "From MAILER-DAEMON Tue Dec  8 00:00:00 2026\nFrom: MAILER-DAEMON@mx.acme.example\nTo: bounce+" + key +
             "@wfa.example\nSubject: Undelivered Mail Returned to Sender\nContent-Type: message/delivery-status\n\n"
             "Final-Recipient: rfc822; gone@acme.example\nAction: failed\nStatus: 5.1.1\n";
  auto bounced = f.run_json({"mail", "bounce", f.file("dsn.mbox", dsn)});
  EXPECT_EQ(bounced["bounces"].size(), 1u) << bounced;
  EXPECT_EQ(f.value("SELECT reason FROM mail_suppressions WHERE address = 'gone@acme.example'"), "bounce");
  EXPECT_EQ(f.value("SELECT undeliverable_at IS NOT NULL FROM partner_invitations WHERE email = 'gone@acme.example'"),
            "t");
  EXPECT_EQ(f.value("SELECT count(*) FROM mail_outbox WHERE template = 'invitation_bounced'"), "1")
      << "the inviter (here no user: the super admins) is told";
  f.add_partner("beta", "Beta");
  r = f.run({"invite", "create", "gone@acme.example", "--partner", "beta", "--role", "member"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  f.flush();
  EXPECT_EQ(f.to("gone@acme.example").size(), 1u) << "never mailed again";
  EXPECT_EQ(f.value("SELECT count(*) FROM mail_outbox WHERE status = 'suppressed'"), "1");
}

TEST(MailOutbox, BadInputIsRefusedWithNothingChanged) {
  OutboxFixture f;
  f.submit("acme");
  auto before = f.counts();
  auto both = f.run({"mail", "list", "--failed", "--unknown"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  auto bad_id = f.run({"mail", "retry", "nope"});
  EXPECT_EQ(bad_id.exit_code, 6);
  EXPECT_NE(bad_id.err.find("not an id"), std::string::npos) << bad_id.err;
  auto missing = f.run({"mail", "show", "00000000-0000-4000-8000-000000000000"});
  EXPECT_EQ(missing.exit_code, 3);
  auto sent_id = f.value("SELECT id FROM mail_outbox LIMIT 1");
  auto not_failed = f.run({"mail", "retry", sent_id});
  EXPECT_EQ(not_failed.exit_code, 4);
  EXPECT_NE(not_failed.err.find("is queued"), std::string::npos) << not_failed.err;
  auto no_template = f.run({"mail", "preview", "nosuch"});
  EXPECT_EQ(no_template.exit_code, 6);
  EXPECT_NE(no_template.err.find("invitation"), std::string::npos) << "lists the templates: " << no_template.err;
  auto bad_to = f.run({"mail", "test", "--to", "not-an-address"});
  EXPECT_EQ(bad_to.exit_code, 6) << bad_to.err;
  auto bad_job = f.run({"job", "enqueue", "mail.send", "--payload", "{\"nope\": 1}"});
  EXPECT_EQ(bad_job.exit_code, 6) << bad_job.err;
  f.env.erase("WFA_SMTP_HOST");
  auto no_relay = f.run({"mail", "flush"});
  EXPECT_EQ(no_relay.exit_code, 2);
  EXPECT_NE(no_relay.err.find("WFA_SMTP_HOST"), std::string::npos) << no_relay.err;
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.value("SELECT status FROM mail_outbox"), "queued");
}

TEST(MailOutbox, PreviewTestRetryAndCancel) {
  OutboxFixture f;
  f.add_partner("acme", "Acme Sœurs");
  auto preview = f.run_json({"mail", "preview", "invitation", "--partner", "acme"});
  EXPECT_EQ(preview["from_name"], "Acme Sœurs");
  EXPECT_TRUE(has(preview, "text", "SAMPLE-TOKEN")) << preview;
  for (const char* name : {"low_balance", "payment_failed", "trial_ending", "campaign_finished", "invitation_bounced",
                           "partner_request_rejected"}) {
    auto other = f.run_json({"mail", "preview", name, "--partner", "acme"});
    EXPECT_TRUE(has(other, "html", "Acme Sœurs")) << name << ": the partner's branding";
    EXPECT_EQ(other["text"].get<std::string>().find("{{"), std::string::npos) << name << ": every field filled";
  }
  auto test = f.run_json({"mail", "test", "--to", "ops@example.com"});
  EXPECT_EQ(test["outcome"], "sent") << test;
  ASSERT_EQ(f.to("ops@example.com").size(), 1u);
  EXPECT_EQ(f.run({"mail", "test", "--to", "ops@example.com"}).out.find("sink-secret"), std::string::npos);
  f.submit("acme2");
  auto id = f.value("SELECT id FROM mail_outbox");
  EXPECT_EQ(f.run({"mail", "cancel", id}).exit_code, 0);
  EXPECT_EQ(f.flush()["sent"], 0);
  EXPECT_EQ(f.run({"mail", "retry", id}).exit_code, 0);
  EXPECT_EQ(f.flush()["sent"], 1);
  auto shown = f.run_json({"mail", "show", id});
  EXPECT_EQ(shown["status"], "sent");
  EXPECT_EQ(shown["reply_code"], 250);
  auto raw = f.run({"mail", "show", id, "--raw"});
  EXPECT_NE(raw.out.find("Message-Id: <"), std::string::npos) << raw.out;
}

TEST(MailOutbox, TheMailSendJobDeliversThroughAWorker) {
  OutboxFixture f;
  f.submit("acme");
  ASSERT_EQ(f.run({"job", "enqueue", "mail.send", "--payload", R"({"max_seconds": 30})"}).exit_code, 0);
  auto r = f.run({"worker", "--drain"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(f.value("SELECT status || ' ' || (result->>'sent') FROM jobs"), "completed 1");
  EXPECT_EQ(f.to("boss@wfa.example").size(), 1u);
}
