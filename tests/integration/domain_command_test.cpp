// `wfa domain add|list|set-primary|remove` against a real PostgreSQL.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

/// DomainFixture: partners acme (platform subdomain acme.wfa.example, primary) and zeta, no other domains.
struct DomainFixture : test::IntegrationFixture {
  DomainFixture() : IntegrationFixture({"partner_domains", "audit_log"}) {
    add_partner("acme", "Acme");
    add_partner("zeta", "Zeta");
    exec(
        "INSERT INTO partner_domains (partner_id, hostname, is_primary, is_platform_subdomain, verification_token,"
        " verified_at) SELECT id, 'acme.wfa.example', true, true, 'tok-platform', now() FROM partners WHERE slug = "
        "'acme'");
  }
  /// verified adds HOST to acme as a verified, non-primary domain.
  void verified(const std::string& host) {
    exec("INSERT INTO partner_domains (partner_id, hostname, verification_token, verified_at) SELECT id, '" + host +
         "', 'tok', now() FROM partners WHERE slug = 'acme'");
  }
};

}  // namespace

TEST(DomainCommand, AddPrintsTheTxtRecordAndAudits) {
  DomainFixture f;
  f.env["WFA_ACTOR"] = "ops@wfa.example";
  auto r = f.run({"domain", "add", "App.Example.COM", "--partner", "acme", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  for (const char* field :
       {"hostname", "hostname_unicode", "partner", "is_primary", "is_platform_subdomain", "verified", "verified_at",
        "txt_record_name", "txt_record_value", "id", "partner_id", "created_at"})
    EXPECT_TRUE(doc.contains(field)) << field << " in " << r.out;
  EXPECT_EQ(doc["hostname"], "app.example.com");
  EXPECT_EQ(doc["partner"], "acme");
  EXPECT_EQ(doc["verified"], false);
  EXPECT_TRUE(doc["verified_at"].is_null());
  EXPECT_EQ(doc["txt_record_name"], "_wfa-verify.app.example.com");
  auto token = doc["txt_record_value"].get<std::string>();
  EXPECT_GE(token.size(), 22u);
  EXPECT_NE(r.err.find(token), std::string::npos) << "the message tells the owner what to create: " << r.err;
  auto stored = f.sql("SELECT verification_token, is_primary FROM partner_domains WHERE hostname = 'app.example.com'");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0][0].as<std::string>(), token);
  EXPECT_FALSE(stored[0][1].as<bool>());
  auto audit =
      f.sql("SELECT actor, action, entity_type, partner_id IS NOT NULL, new_values->>'hostname' FROM audit_log");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0].as<std::string>(), "ops@wfa.example");
  EXPECT_EQ(audit[0][1].as<std::string>(), "domain.add");
  EXPECT_EQ(audit[0][2].as<std::string>(), "partner_domain");
  EXPECT_TRUE(audit[0][3].as<bool>());
  EXPECT_EQ(audit[0][4].as<std::string>(), "app.example.com");
}

TEST(DomainCommand, AnInternationalisedNameIsStoredAndVerifiedAsItsALabel) {
  DomainFixture f;
  auto r = f.run({"domain", "add", "B\u00fccher.example", "--partner", "acme", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["hostname"], "xn--bcher-kva.example");
  EXPECT_EQ(doc["txt_record_name"], "_wfa-verify.xn--bcher-kva.example") << "DNS is asked in ASCII";
  EXPECT_EQ(doc["hostname_unicode"], "b\u00fccher.example") << "people read the U-label";
  auto arabic = f.run({"domain", "add", "\u0645\u062b\u0627\u0644.example", "--partner", "acme", "-o", "json"});
  ASSERT_EQ(arabic.exit_code, 0) << arabic.err;
  EXPECT_EQ(json::parse(arabic.out)["hostname_unicode"], "\u0645\u062b\u0627\u0644.example");
  auto table = f.run({"domain", "list", "--partner", "acme"});
  EXPECT_NE(table.out.find("b\u00fccher.example"), std::string::npos) << table.out;
  EXPECT_EQ(
      json::parse(f.run({"domain", "add", "plain.example", "--partner", "acme", "-o", "json"}).out)["hostname_unicode"],
      "plain.example");
  auto again = f.run({"domain", "add", "xn--bcher-kva.example", "--partner", "acme"});
  EXPECT_EQ(again.exit_code, 4) << "the A-label is the same domain: " << again.err;
  auto bogus = f.run({"domain", "add", "xn--zzzz-zzz.example", "--partner", "acme"});
  EXPECT_EQ(bogus.exit_code, 6) << bogus.err;
  EXPECT_NE(bogus.err.find("not a valid A-label"), std::string::npos) << bogus.err;
}

TEST(DomainCommand, AddRefusesInvalidHostnamesNamingThem) {
  DomainFixture f;
  const std::string long_label(64, 'a');
  for (const std::string& bad :
       std::vector<std::string>{"https://app.example.com", "app.example.com/path", "app.example.com:8443",
                                long_label + ".example.com", "my_app.example.com", "localhost"}) {
    auto r = f.run({"domain", "add", bad, "--partner", "acme"});
    EXPECT_EQ(r.exit_code, 6) << bad << ": " << r.err;
    EXPECT_NE(r.err.find(bad), std::string::npos) << r.err;
  }
  EXPECT_EQ(f.db.count("partner_domains"), 1);
}

TEST(DomainCommand, AddRefusesTakenPlatformAndPrimaryAndUnknownPartner) {
  DomainFixture f;
  ASSERT_EQ(f.run({"domain", "add", "app.example.com", "--partner", "acme"}).exit_code, 0);
  auto dup = f.run({"domain", "add", "APP.example.com.", "--partner", "zeta"});
  EXPECT_EQ(dup.exit_code, 4) << dup.err;
  EXPECT_NE(dup.err.find("partner acme"), std::string::npos) << "says who owns it: " << dup.err;
  auto platform = f.run({"domain", "add", "zeta.wfa.example", "--partner", "zeta"});
  EXPECT_EQ(platform.exit_code, 4) << platform.err;
  auto primary = f.run({"domain", "add", "new.example.com", "--partner", "acme", "--primary"});
  EXPECT_EQ(primary.exit_code, 4) << primary.err;
  EXPECT_NE(primary.err.find("verif"), std::string::npos) << primary.err;
  auto unknown = f.run({"domain", "add", "new.example.com", "--partner", "nobody"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.err;
  auto missing = f.run({"domain", "add", "new.example.com"});
  EXPECT_EQ(missing.exit_code, 2) << "--partner is required: " << missing.err;
  EXPECT_EQ(f.db.count("partner_domains"), 2);
}

TEST(DomainCommand, ListFiltersByPartnerAndVerification) {
  DomainFixture f;
  ASSERT_EQ(f.run({"domain", "add", "app.example.com", "--partner", "acme"}).exit_code, 0);
  ASSERT_EQ(f.run({"domain", "add", "zeta.example.org", "--partner", "zeta"}).exit_code, 0);
  auto list = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"domain", "list", "-o", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = f.run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> hosts;
    auto doc = json::parse(r.out);
    for (const auto& d : doc["domains"]) hosts.push_back(d["hostname"]);
    return hosts;
  };
  EXPECT_EQ(list({}), (std::vector<std::string>{"acme.wfa.example", "app.example.com", "zeta.example.org"}));
  EXPECT_EQ(list({"--partner", "acme"}), (std::vector<std::string>{"acme.wfa.example", "app.example.com"}));
  EXPECT_EQ(list({"--verified"}), (std::vector<std::string>{"acme.wfa.example"}));
  EXPECT_EQ(list({"--unverified", "--partner", "zeta"}), (std::vector<std::string>{"zeta.example.org"}));
  EXPECT_EQ(f.run({"domain", "list", "--verified", "--unverified"}).exit_code, 2);
  EXPECT_EQ(f.run({"domain", "list", "--partner", "nobody"}).exit_code, 3);
}

TEST(DomainCommand, SetPrimaryNeedsAVerifiedDomainAndKeepsExactlyOnePrimary) {
  DomainFixture f;
  ASSERT_EQ(f.run({"domain", "add", "pending.example.com", "--partner", "acme"}).exit_code, 0);
  auto unverified = f.run({"domain", "set-primary", "pending.example.com"});
  EXPECT_EQ(unverified.exit_code, 4) << unverified.err;
  EXPECT_NE(unverified.err.find("verify"), std::string::npos) << unverified.err;
  EXPECT_EQ(f.run({"domain", "set-primary", "nope.example.com"}).exit_code, 3);

  f.verified("app.example.com");
  auto before = f.counts();
  ASSERT_EQ(f.run({"domain", "set-primary", "app.example.com", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.sql("SELECT hostname FROM partner_domains WHERE is_primary")[0][0].as<std::string>(), "acme.wfa.example");
  f.env["WFA_ACTOR"] = "ops@wfa.example";

  auto r = f.run({"domain", "set-primary", "app.example.com", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["is_primary"], true);
  auto primaries = f.sql("SELECT hostname FROM partner_domains WHERE is_primary");
  ASSERT_EQ(primaries.size(), 1u);
  EXPECT_EQ(primaries[0][0].as<std::string>(), "app.example.com");
  auto audit = f.sql(
      "SELECT actor, metadata->>'previous_primary', old_values->>'is_primary', new_values->>'is_primary'"
      " FROM audit_log WHERE action = 'domain.set_primary'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0].as<std::string>(), "ops@wfa.example");
  EXPECT_EQ(audit[0][1].as<std::string>(), "acme.wfa.example");
  EXPECT_EQ(audit[0][2].as<std::string>(), "false");
  EXPECT_EQ(audit[0][3].as<std::string>(), "true");

  auto again = f.run({"domain", "set-primary", "app.example.com"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("already"), std::string::npos) << again.err;
  EXPECT_EQ(f.db.count("audit_log"), before["audit_log"] + 1);
}

TEST(DomainCommand, RemoveGuardsPrimaryAndPlatformDomainsAndConfirms) {
  DomainFixture f;
  f.verified("app.example.com");
  ASSERT_EQ(f.run({"domain", "set-primary", "app.example.com"}).exit_code, 0);

  auto platform = f.run({"domain", "remove", "acme.wfa.example", "--yes"});
  EXPECT_EQ(platform.exit_code, 4) << platform.err;
  EXPECT_NE(platform.err.find("platform"), std::string::npos) << platform.err;
  auto primary = f.run({"domain", "remove", "app.example.com", "--yes"});
  EXPECT_EQ(primary.exit_code, 4) << primary.err;
  EXPECT_NE(primary.err.find("primary"), std::string::npos) << primary.err;
  EXPECT_EQ(f.run({"domain", "remove", "nope.example.com", "--yes"}).exit_code, 3);

  ASSERT_EQ(f.run({"domain", "add", "extra.example.com", "--partner", "acme"}).exit_code, 0);
  auto unconfirmed = f.run({"domain", "remove", "extra.example.com"});
  EXPECT_EQ(unconfirmed.exit_code, 2) << "no --yes off a terminal: " << unconfirmed.err;
  auto before = f.counts();
  auto dry = f.run({"domain", "remove", "extra.example.com", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.err.find("nothing changed"), std::string::npos) << dry.err;
  EXPECT_EQ(f.counts(), before);
  f.env["WFA_ACTOR"] = "ops@wfa.example";

  auto removed = f.run({"domain", "remove", "extra.example.com", "--yes", "-o", "json"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(json::parse(removed.out)["hostname"], "extra.example.com");
  EXPECT_EQ(f.db.count("partner_domains"), before["partner_domains"] - 1);
  auto audit =
      f.sql("SELECT actor, old_values->>'hostname', new_values IS NULL FROM audit_log WHERE action = 'domain.remove'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0].as<std::string>(), "ops@wfa.example");
  EXPECT_EQ(audit[0][1].as<std::string>(), "extra.example.com");
  EXPECT_TRUE(audit[0][2].as<bool>());
}

TEST(DomainCommand, TheOnlyDomainMayBeRemovedEvenWhenPrimary) {
  DomainFixture f;
  f.sql(
      "INSERT INTO partner_domains (partner_id, hostname, is_primary, verification_token, verified_at)"
      " SELECT id, 'zeta.example.org', true, 'tok', now() FROM partners WHERE slug = 'zeta'");
  auto r = f.run({"domain", "remove", "zeta.example.org", "--yes"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(f.sql("SELECT 1 FROM partner_domains WHERE hostname = 'zeta.example.org'").empty());
}

TEST(DomainCommand, AddDryRunChangesNothing) {
  DomainFixture f;
  auto before = f.counts();
  auto r = f.run({"domain", "add", "app.example.com", "--partner", "acme", "--dry-run", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["hostname"], "app.example.com");
  EXPECT_NE(r.err.find("nothing changed"), std::string::npos) << r.err;
  EXPECT_EQ(f.counts(), before);
}
