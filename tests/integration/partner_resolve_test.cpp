// `wfa partner resolve`: exact verified hostname of a live partner, else the platform partner.
#include "tests/integration/partner_fixture.hpp"

using namespace wfa;
using partner_test::json;

namespace {

/// tenants: a platform partner and acme with a verified custom domain and an unverified one.
void tenants(partner_test::Fixture& f) {
  ASSERT_EQ(f.run({"partner", "create", "platform", "--name", "WFA Platform", "--plan", "enterprise", "--platform"})
                .exit_code,
            0);
  ASSERT_EQ(f.run({"partner", "create", "acme", "--name", "Acme", "--primary-color", "#123456"}).exit_code, 0);
  f.exec(
      "INSERT INTO partner_domains (partner_id, hostname, verification_token, verified_at)"
      " SELECT id, 'app.acme.example', 'a', now() FROM partners WHERE slug = 'acme'");
  f.exec(
      "INSERT INTO partner_domains (partner_id, hostname, verification_token)"
      " SELECT id, 'pending.acme.example', 'b' FROM partners WHERE slug = 'acme'");
}

}  // namespace

TEST(PartnerResolve, AVerifiedDomainMatchesIgnoringCasePortAndTrailingDot) {
  partner_test::Fixture f;
  tenants(f);
  for (const char* host : {"app.acme.example", "APP.Acme.Example:8443", "app.acme.example.", "acme.wfa.example:80"}) {
    auto doc = f.run_json({"partner", "resolve", host});
    ASSERT_TRUE(doc.is_object()) << host;
    for (const char* key : {"hostname", "matched_by", "domain", "partner_id", "slug", "name", "plan_tier", "branding",
                            "features", "resource_limits"})
      EXPECT_TRUE(doc.contains(key)) << key;
    EXPECT_EQ(doc["matched_by"], "domain") << host;
    EXPECT_EQ(doc["slug"], "acme") << host;
    EXPECT_EQ(doc["branding"]["primary_color"], "#123456");
  }
  EXPECT_EQ(f.run_json({"partner", "resolve", "APP.Acme.Example:8443"})["hostname"], "app.acme.example");
}

TEST(PartnerResolve, UnverifiedUnknownAndDeletedFallBackToThePlatform) {
  partner_test::Fixture f;
  tenants(f);
  for (const char* host : {"pending.acme.example", "unknown.example", "localhost:3000"}) {
    auto doc = f.run_json({"partner", "resolve", host});
    EXPECT_EQ(doc["matched_by"], "platform") << host;
    EXPECT_EQ(doc["slug"], "platform") << host;
    EXPECT_TRUE(doc["domain"].is_null());
  }
  ASSERT_EQ(f.run({"partner", "delete", "acme", "--yes"}).exit_code, 0);
  EXPECT_EQ(f.run_json({"partner", "resolve", "app.acme.example"})["matched_by"], "platform");
  ASSERT_EQ(f.run({"partner", "restore", "acme"}).exit_code, 0);
  EXPECT_EQ(f.run_json({"partner", "resolve", "app.acme.example"})["matched_by"], "domain");
}

TEST(PartnerResolve, NoPlatformPartnerIsNotFoundAndBadHostsAreInvalid) {
  partner_test::Fixture f;
  ASSERT_EQ(f.run({"partner", "create", "acme", "--name", "Acme"}).exit_code, 0);
  EXPECT_EQ(f.run_json({"partner", "resolve", "acme.wfa.example"})["slug"], "acme");
  auto none = f.run({"partner", "resolve", "other.example"});
  EXPECT_EQ(none.exit_code, 3) << none.err;
  EXPECT_NE(none.err.find("other.example"), std::string::npos) << none.err;
  f.exec(
      "INSERT INTO partners (slug, name, plan_tier, is_platform_partner, deleted_at)"
      " VALUES ('platform', 'Gone', 'starter', true, now())");
  EXPECT_EQ(f.run({"partner", "resolve", "other.example"}).exit_code, 3) << "a deleted platform partner does not serve";
  for (const char* bad : {"https://acme.wfa.example", "acme.wfa.example/x", "a b", ""}) {
    auto r = f.run({"partner", "resolve", bad});
    EXPECT_EQ(r.exit_code, 6) << bad << ": " << r.err;
  }
}
