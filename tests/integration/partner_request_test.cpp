// `wfa partner request submit|list|show` against a real PostgreSQL, through the binary.
#include <fstream>

#include "tests/integration/partner_fixture.hpp"

using namespace wfa;
using partner_test::json;

namespace {

/// submit_args: a valid request for acme, changed by EXTRA.
std::vector<std::string> submit_args(const std::vector<std::string>& extra) {
  return partner_test::with_flags({"partner", "request", "submit", "--company", "Acme Agency", "--contact-name",
                                   "Ann Owner", "--contact-email", "ann@acme.example", "--subdomain", "acme"},
                                  extra);
}

}  // namespace

TEST(PartnerRequest, SubmitFromFlagsPrintsTheDocumentedFieldsAndAudits) {
  partner_test::Fixture f;
  f.env["WFA_ACTOR"] = "ops@wfa.example";
  auto doc = f.run_json(
      submit_args({"--contact-email", "Ann@ACME.example", "--plan", "professional", "--custom-domain",
                   "App.Acme-Agency.example.", "--primary-color", "#0b5fa5", "--logo", "https://acme.example/logo.png",
                   "--contact-phone", "+971 50 123 4567", "--notes", "hello"}));
  ASSERT_TRUE(doc.is_object());
  for (const char* key :
       {"schema_version", "id", "status", "company_name", "contact_name", "contact_email", "contact_phone",
        "desired_subdomain", "custom_domain", "plan_tier", "branding", "notes", "rejection_reason", "reviewed_by",
        "reviewed_at", "provisioned_partner_id", "created_at", "updated_at"})
    EXPECT_TRUE(doc.contains(key)) << key;
  EXPECT_EQ(doc["status"], "pending");
  EXPECT_EQ(doc["contact_email"], "ann@acme.example");
  EXPECT_EQ(doc["custom_domain"], "app.acme-agency.example");
  EXPECT_EQ(doc["contact_phone"], "+971501234567") << "stored as E.164, read as campaign numbers are";
  EXPECT_EQ(doc["plan_tier"], "professional");
  EXPECT_EQ(doc["branding"]["primary_color"], "#0B5FA5");
  EXPECT_EQ(doc["branding"]["company_name"], "Acme Agency");
  EXPECT_EQ(doc["branding"]["logo"], "https://acme.example/logo.png");
  EXPECT_EQ(f.value("SELECT actor FROM audit_log WHERE action = 'partner_request.submit'"), "ops@wfa.example");
  EXPECT_EQ(f.value("SELECT new_values->>'desired_subdomain' FROM audit_log WHERE entity_id = '" +
                    doc["id"].get<std::string>() + "'"),
            "acme");
}

TEST(PartnerRequest, SubmitFromTheDemoFileWithAFlagOverride) {
  partner_test::Fixture f;
  auto file = (test::source_dir() / "fixtures" / "demo" / "partner_request.json").string();
  auto doc = f.run_json({"partner", "request", "submit", "--file", file, "--plan", "enterprise"});
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["company_name"], "Desert Bloom Agency");
  EXPECT_EQ(doc["desired_subdomain"], "desertbloom");
  EXPECT_EQ(doc["plan_tier"], "enterprise") << "a flag overrides the file";
  EXPECT_EQ(doc["custom_domain"], "app.desertbloom.example");
}

TEST(PartnerRequest, SubmitFileErrorsNameTheFileLineOrKey) {
  partner_test::Fixture f;
  test::TempDir dir;
  auto write = [&](const std::string& name, const std::string& text) {
    auto path = (dir.path() / name).string();
    std::ofstream(path) << text;
    return path;
  };
  struct Case {
    std::string path, expect;
  } cases[] = {
      {write("unknown.json", R"({"company": "A", "colour": "#FFFFFF"})"), "unknown key 'colour'"},
      {write("broken.json", "{\n  \"company\": \"A\",\n  oops\n}"), "broken.json:3"},
      {write("array.json", "[1, 2]"), "not a JSON object"},
      {write("number.json", R"({"company": 7})"), "key 'company' must be a string"},
      {write("missing.json", R"({"company": "A", "contact_name": "B", "contact_email": "b@a.example"})"),
       "missing subdomain"},
      {(dir.path() / "absent.json").string(), "absent.json"},
  };
  for (const auto& c : cases) {
    auto r = f.run({"partner", "request", "submit", "--file", c.path});
    EXPECT_EQ(r.exit_code, 6) << c.path << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
    EXPECT_EQ(test::lines(r.err), 1u) << r.err;
  }
  EXPECT_EQ(f.db.count("partner_requests"), 0);
}

TEST(PartnerRequest, SubmitRefusesBadInputWithTheFieldAndExitCode) {
  partner_test::Fixture f;
  struct Case {
    std::vector<std::string> flags;
    int exit;
    std::string expect;
  } cases[] = {
      {{"--subdomain", "acme_1"}, 6, "acme_1"},
      {{"--subdomain", "-acme"}, 6, "-acme"},
      {{"--subdomain", "www"}, 4, "reserved"},
      {{"--subdomain", std::string(64, 'a')}, 6, "not a valid slug"},
      {{"--plan", "professional", "--custom-domain", "https://acme.example"}, 6, "scheme"},
      {{"--plan", "professional", "--custom-domain", "acme.example/path"}, 6, "path"},
      {{"--plan", "professional", "--custom-domain", "acme.example:8443"}, 6, "port"},
      {{"--plan", "professional", "--custom-domain", std::string(64, 'a') + ".example"}, 6, "longer than 63"},
      {{"--plan", "professional", "--custom-domain", "my_app.acme.example"}, 6, "my_app.acme.example"},
      {{"--plan", "professional", "--custom-domain", "x.wfa.example"}, 4, "platform domain"},
      {{"--custom-domain", "app.acme.example"}, 6, "does not include custom domains"},
      {{"--plan", "platinum"}, 6, "platinum"},
      {{"--primary-color", "blue"}, 6, "--primary-color"},
      {{"--contact-email", "not-an-email"}, 6, "--contact-email"},
      {{"--contact-phone", "call me"}, 6, "--contact-phone"},
      {{"--contact-phone", "050 123 4567"}, 6, "country code"},
      {{"--contact-phone", "+971 50 12"}, 6, "too short"},
      {{"--logo", "ftp://acme.example/logo.png"}, 6, "--logo"},
      {{"--logo", "/no/such/logo.png"}, 6, "is not an https:// URL"},
      {{"--logo", "/etc/shadow"}, 6, "is not an https:// URL"},
      {{"--logo", "http://acme.example/logo.png"}, 6, "is not an https:// URL"},
  };
  for (const auto& c : cases) {
    auto r = f.run(submit_args(c.flags));
    EXPECT_EQ(r.exit_code, c.exit) << c.flags.back() << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
    EXPECT_EQ(test::lines(r.err), 1u) << r.err;
  }
  auto missing = f.run(
      {"partner", "request", "submit", "--company", "A", "--contact-name", "B", "--contact-email", "b@a.example"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("--subdomain"), std::string::npos) << missing.err;
  EXPECT_EQ(f.db.count("partner_requests"), 0);
  EXPECT_EQ(f.db.count("audit_log"), 0);
}

TEST(PartnerRequest, SubmitRefusesNamesHeldByPartnersDomainsAndOpenRequests) {
  partner_test::Fixture f;
  auto first = f.submit("acme", {"--plan", "professional", "--custom-domain", "app.acme.example"});
  ASSERT_FALSE(first.empty());
  auto same_sub = f.run(submit_args({"--contact-email", "other@acme.example"}));
  EXPECT_EQ(same_sub.exit_code, 4) << same_sub.err;
  EXPECT_NE(same_sub.err.find(first), std::string::npos) << "names the request holding it: " << same_sub.err;
  auto same_custom =
      f.run(submit_args({"--subdomain", "acme2", "--plan", "professional", "--custom-domain", "APP.acme.example"}));
  EXPECT_EQ(same_custom.exit_code, 4) << same_custom.err;

  ASSERT_EQ(f.run({"partner", "create", "taken", "--name", "Taken"}).exit_code, 0);
  f.exec(
      "INSERT INTO partner_domains (partner_id, hostname, verification_token)"
      " SELECT id, 'held.wfa.example', 't1' FROM partners WHERE slug = 'taken'");
  f.exec(
      "INSERT INTO partner_domains (partner_id, hostname, verification_token)"
      " SELECT id, 'www.owned.example', 't2' FROM partners WHERE slug = 'taken'");
  for (const auto& flags : std::vector<std::vector<std::string>>{
           {"--subdomain", "taken"},
           {"--subdomain", "held"},
           {"--subdomain", "fresh", "--plan", "professional", "--custom-domain", "www.owned.example"}}) {
    auto r = f.run(submit_args(flags));
    EXPECT_EQ(r.exit_code, 4) << flags[1] << ": " << r.err;
  }

  ASSERT_EQ(f.run({"partner", "request", "reject", first, "--reason", "duplicate"}).exit_code, 0);
  EXPECT_FALSE(f.submit("acme").empty()) << "a rejected request frees its subdomain";
}

TEST(PartnerRequest, SubmitDryRunChangesNothing) {
  partner_test::Fixture f;
  auto before = f.counts();
  auto r = f.run(submit_args({"--dry-run", "-o", "json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["status"], "pending");
  EXPECT_NE(r.err.find("nothing changed"), std::string::npos) << r.err;
  EXPECT_EQ(f.counts(), before);
}

TEST(PartnerRequest, ListFiltersByStatusSinceAndLimit) {
  partner_test::Fixture f;
  auto a = f.submit("alpha");
  auto b = f.submit("bravo");
  f.submit("charlie");
  ASSERT_EQ(f.run({"partner", "request", "approve", a}).exit_code, 0);
  ASSERT_EQ(f.run({"partner", "request", "reject", b, "--reason", "no"}).exit_code, 0);

  auto all = f.run_json({"partner", "request", "list"});
  ASSERT_EQ(all["requests"].size(), 3u) << all;
  for (const char* key : {"id", "status", "company_name", "contact_email", "desired_subdomain", "custom_domain",
                          "plan_tier", "created_at", "reviewed_by", "reviewed_at", "provisioned_partner_id"})
    EXPECT_TRUE(all["requests"][0].contains(key)) << key;
  EXPECT_EQ(all["requests"][0]["desired_subdomain"], "charlie") << "newest first";

  auto pending = f.run_json({"partner", "request", "list", "--status", "pending"});
  ASSERT_EQ(pending["requests"].size(), 1u);
  EXPECT_EQ(pending["requests"][0]["desired_subdomain"], "charlie");
  EXPECT_EQ(f.run_json({"partner", "request", "list", "--status", "approved"})["requests"][0]["id"], a);
  EXPECT_TRUE(f.run_json({"partner", "request", "list", "--since", "2999-01-01"})["requests"].empty());
  EXPECT_EQ(f.run_json({"partner", "request", "list", "--since", "2000-01-01T00:00:00Z"})["requests"].size(), 3u);

  auto limited = f.run({"partner", "request", "list", "--limit", "2", "-o", "ndjson"});
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  EXPECT_EQ(test::lines(limited.out), 2u) << limited.out;
  EXPECT_NE(limited.err.find("--after "), std::string::npos) << limited.err;

  EXPECT_EQ(f.run({"partner", "request", "list", "--status", "bogus"}).exit_code, 2) << "an unknown enum value";
  EXPECT_EQ(f.run({"partner", "request", "list", "--since", "yesterday"}).exit_code, 6);
  auto csv = f.run({"partner", "request", "list", "-o", "csv"});
  EXPECT_EQ(csv.out.rfind("id,status,company_name", 0), 0u) << csv.out;
}

TEST(PartnerRequest, ShowFindsARequestUnknownIdsExitThreeAndMalformedOnesSix) {
  partner_test::Fixture f;
  auto id = f.submit("acme");
  auto doc = f.run_json({"partner", "request", "show", id});
  EXPECT_EQ(doc["id"], id);
  EXPECT_EQ(doc["desired_subdomain"], "acme");
  for (auto [bad, code] : {std::pair{"00000000-0000-0000-0000-000000000000", 3}, std::pair{"not-a-uuid", 6}}) {
    auto r = f.run({"partner", "request", "show", bad});
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_NE(r.err.find(bad), std::string::npos) << r.err;
  }
}

TEST(PartnerRequest, SubmitRefusesDeeplyNestedOrOversizedFilesInOneLine) {
  partner_test::Fixture f;
  auto before = f.counts();
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  struct Case {
    std::string path, expect;
  } cases[] = {
      {f.file("deep.json", deep), "request file nests arrays and objects deeper than 64 levels"},
      {f.file("deep_value.json", R"({"company": )" + deep + "}"), "deeper than 64 levels"},
      {f.file("big.json", R"({"company": ")" + std::string(1u << 20, 'A') + R"("})"), "the limit is 1 MiB"},
      {f.file("latin1.json", "{\"company\": \"Gamma\",\n \"contact_name\": \"Jos\xe9\"}\n"),
       "latin1.json:2:22: request file is not valid UTF-8 text"},
  };
  for (const auto& c : cases) {
    auto r = f.run({"partner", "request", "submit", "--file", c.path});
    EXPECT_EQ(r.exit_code, 6) << c.path << ": " << r.err;
    EXPECT_EQ(test::lines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("json.exception"), std::string::npos) << r.err;
  }
  EXPECT_EQ(f.counts(), before);
}
