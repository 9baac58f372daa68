// E-mails the tenancy verbs render: partner requests (received, approved, rejected), the owner's and members'
// invitations, each as a MIME file read back by Python's e-mail parser.
#include "tests/integration/partner_fixture.hpp"

#include "core/process.hpp"

using namespace wfa;
using partner_test::json;

namespace {

/// parsed reads an .eml file with Python's standard e-mail package: headers decoded, both bodies.
json parsed(const std::string& path) {
  auto r = run_process({"python3", "-c",
                        "import email, json, sys\nfrom email import policy\n"
                        "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)\n"
                        "html = m.get_body(('html',))\n"
                        "print(json.dumps({'from': str(m['from']), 'to': str(m['to']), 'subject': str(m['subject']),"
                        " 'date': str(m['date']), 'message_id': str(m['message-id']), 'defects': len(m.defects),"
                        " 'text': m.get_body(('plain',)).get_content(), 'html': html.get_content() if html else ''}))",
                        path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out, nullptr, false);
}

struct MailFixture : partner_test::Fixture {
  MailFixture() {
    add_user("boss@wfa.example", "Bea", "Boss");
    exec(
        "INSERT INTO super_admins (user_id, granted_by) SELECT id, 'test' FROM users WHERE email = 'boss@wfa.example'");
  }
  std::string eml(const std::string& name) { return (dir.path() / name).string(); }
};

bool has(const json& doc, const char* key, const std::string& text) {
  return doc[key].get<std::string>().find(text) != std::string::npos;
}

}  // namespace

TEST(MailRender, NewRequestNotifiesEverySuperAdminAndNoAdminAddressRefusesWithoutStoring) {
  MailFixture f;
  auto path = f.eml("received.eml");
  auto id = f.submit("acme", {"--notes", "We resell to <clinics> & dentists", "--email", path});
  ASSERT_FALSE(id.empty());
  auto mail = parsed(path);
  EXPECT_EQ(mail["to"], "boss@wfa.example");
  EXPECT_EQ(mail["subject"], "New partner request from Agency acme");
  EXPECT_EQ(mail["defects"], 0);
  EXPECT_TRUE(has(mail, "text", "wfa partner request approve " + id)) << mail["text"];
  EXPECT_TRUE(has(mail, "text", "Subdomain: acme.wfa.example")) << mail["text"];
  EXPECT_TRUE(has(mail, "html", "We resell to &lt;clinics&gt; &amp; dentists")) << mail["html"];
  EXPECT_TRUE(has(mail, "message_id", "@wfa.example>"));

  f.exec("DELETE FROM super_admins");
  auto before = f.counts();
  auto refused = f.run({"partner", "request", "submit", "--company", "B", "--contact-name", "C", "--contact-email",
                        "c@b.example", "--subdomain", "bravo", "--render"});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_NE(refused.err.find("wfa super-admin add"), std::string::npos) << refused.err;
  EXPECT_EQ(f.counts(), before) << "a request whose notification cannot be addressed is not stored";
}

TEST(MailRender, ApprovalAndRejectionGoToTheContactAndRenderAgainOnARepeat) {
  MailFixture f;
  auto id = f.submit("acme", {"--custom-domain", "app.acme.example", "--plan", "enterprise"});
  auto path = f.eml("approved.eml");
  ASSERT_EQ(f.run({"partner", "request", "approve", id, "--email", path}).exit_code, 0);
  auto mail = parsed(path);
  EXPECT_EQ(mail["to"], "owner@acme.example");
  EXPECT_EQ(mail["subject"], "Your partner request for Agency acme is approved");
  EXPECT_TRUE(has(mail, "text", "https://acme.wfa.example/")) << mail["text"];
  EXPECT_TRUE(has(mail, "text", "app.acme.example")) << mail["text"];
  EXPECT_FALSE(has(mail, "text", "password:")) << "never a password";
  auto again = f.run({"partner", "request", "approve", id, "--render"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.rfind("To: owner@acme.example\nSubject: Your partner request", 0), 0u) << again.out;

  auto other = f.submit("bravo");
  auto doc = f.run_json({"partner", "request", "reject", other, "--reason", "No <website> yet", "--render"});
  EXPECT_EQ(doc["id"], other);
  EXPECT_EQ(doc["to"], "owner@bravo.example");
  EXPECT_TRUE(has(doc, "body", "No <website> yet")) << doc;
  EXPECT_TRUE(has(doc, "html", "No &lt;website&gt; yet")) << doc;
  EXPECT_EQ(f.value("SELECT status FROM partner_requests WHERE id = '" + other + "'"), "rejected");
}

TEST(MailRender, ProvisionWritesTheOwnersInvitationInThePartnersBrand) {
  MailFixture f;
  auto id = f.approved("acme", {"--primary-color", "#FF5500", "--logo", "https://cdn.acme.example/logo.png"});
  auto path = f.eml("owner.eml");
  auto doc = f.run_json({"partner", "provision", id, "--email", path});
  auto token = doc["invitation_token"].get<std::string>();
  EXPECT_EQ(doc["email_file"], path);
  auto mail = parsed(path);
  EXPECT_EQ(mail["from"], "Agency acme <no-reply@wfa.example>");
  EXPECT_EQ(mail["to"], "owner@acme.example");
  EXPECT_TRUE(has(mail, "text", "https://acme.wfa.example/invite/" + token)) << mail["text"];
  EXPECT_TRUE(has(mail, "text", "The Agency acme team")) << mail["text"];
  EXPECT_TRUE(has(mail, "html", "background:#FF5500")) << mail["html"];
  EXPECT_TRUE(has(mail, "html", "<img src=\"https://cdn.acme.example/logo.png\"")) << mail["html"];
  EXPECT_FALSE(has(mail, "text", "cli:")) << "no operator id in a customer's e-mail";

  auto repeat = f.run({"partner", "provision", id, "--render"});
  EXPECT_EQ(repeat.exit_code, 4) << "the token was shown once: " << repeat.err;
  EXPECT_NE(repeat.err.find("wfa invite resend"), std::string::npos) << repeat.err;
}

TEST(MailRender, InvitationFromAWorkspaceWearsItsPartnersBrandAndAFailedWriteChangesNothing) {
  MailFixture f;
  f.add_partner("acme", "Acme Agency");
  f.exec(R"(UPDATE partners SET branding = '{"company_name": "Acme Voice ✦", "primary_color": "#0A2540"}')");
  f.add_workspace("acme", "clinic", "Clinic");
  auto path = f.eml("invite.eml");
  ASSERT_EQ(
      f.run({"invite", "create", "x@clinic.example", "--workspace", "acme/clinic", "--role", "member", "--email", path})
          .exit_code,
      0);
  auto mail = parsed(path);
  EXPECT_EQ(mail["from"], "Acme Voice ✦ <no-reply@wfa.example>") << "RFC 2047 round trip";
  EXPECT_TRUE(has(mail, "subject", "The Acme Voice ✦ team invited you to Clinic")) << mail["subject"];
  EXPECT_TRUE(has(mail, "html", "background:#0A2540;color:#FFFFFF")) << mail["html"];

  auto before = f.counts();
  auto blocked = f.run({"invite", "create", "y@clinic.example", "--workspace", "acme/clinic", "--role", "member",
                        "--email", f.dir.path().string()});
  EXPECT_EQ(blocked.exit_code, 6) << blocked.err;
  EXPECT_EQ(f.counts(), before) << "the invitation is not stored when its e-mail cannot be written";
}
