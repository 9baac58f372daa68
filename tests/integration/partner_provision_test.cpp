// `wfa partner provision`: one transaction, idempotent, all-or-nothing, serialised between processes.
#include <set>
#include <thread>

#include "core/tokens.hpp"
#include "tests/integration/partner_fixture.hpp"

using namespace wfa;
using partner_test::json;

TEST(PartnerProvision, CreatesThePartnerDomainsWorkspaceOwnerAndInvitation) {
  partner_test::Fixture f;
  f.env["WFA_PLATFORM_DOMAIN"] = "agents.example.net";
  auto id = f.approved("bloom", {"--plan", "professional", "--custom-domain", "app.bloom.example", "--primary-color",
                                 "#c2410c", "--contact-name", "Layla Al Haddad"});
  f.env["WFA_ACTOR"] = "ops@wfa.example";
  auto doc = f.run_json({"partner", "provision", id});
  ASSERT_TRUE(doc.is_object());
  for (const char* key : {"id", "slug", "name", "plan_tier", "branding", "features", "resource_limits",
                          "workspace_count", "domains", "request_id", "workspace_id", "workspace_slug", "owner_user_id",
                          "owner_email", "invitation_id", "invitation_expires_at", "invitation_token"})
    EXPECT_TRUE(doc.contains(key)) << key;
  auto partner = doc["id"].get<std::string>();
  EXPECT_EQ(doc["slug"], "bloom");
  EXPECT_EQ(doc["name"], "Agency bloom");
  EXPECT_EQ(doc["branding"]["primary_color"], "#C2410C");
  EXPECT_EQ(doc["workspace_slug"], "main");
  EXPECT_EQ(doc["workspace_count"], 1);
  EXPECT_EQ(doc["owner_email"], "owner@bloom.example");
  EXPECT_EQ(
      f.value(
          "SELECT features = (SELECT features FROM plan_tiers WHERE tier = 'professional')"
          " AND resource_limits = (SELECT resource_limits FROM plan_tiers WHERE tier = 'professional') FROM partners"),
      "t")
      << "plan defaults come from plan_tiers";

  ASSERT_EQ(doc["domains"].size(), 2u) << doc["domains"];
  EXPECT_EQ(doc["domains"][0]["hostname"], "bloom.agents.example.net");
  EXPECT_EQ(doc["domains"][0]["verified"], true);
  EXPECT_EQ(doc["domains"][0]["is_primary"], true);
  EXPECT_EQ(doc["domains"][0]["is_platform_subdomain"], true);
  EXPECT_EQ(doc["domains"][1]["hostname"], "app.bloom.example");
  EXPECT_EQ(doc["domains"][1]["verified"], false);
  EXPECT_FALSE(doc["domains"][1]["verification_token"].get<std::string>().empty());

  auto token = doc["invitation_token"].get<std::string>();
  EXPECT_GE(token.size(), 22u);
  EXPECT_EQ(f.value("SELECT token_hash FROM partner_invitations"), token_hash(token)) << "only the hash is stored";
  EXPECT_EQ(f.value("SELECT role || ' ' || email || ' ' || status FROM partner_invitations"),
            "owner owner@bloom.example pending");
  EXPECT_EQ(
      f.value("SELECT expires_at BETWEEN now() + interval '7 days' - interval '5 minutes' AND now() + interval '7 days'"
              " FROM partner_invitations"),
      "t");
  EXPECT_EQ(f.value("SELECT first_name || '|' || last_name FROM users"), "Layla|Al Haddad");
  EXPECT_EQ(f.value("SELECT status || ' ' || provisioned_partner_id FROM partner_requests"), "provisioned " + partner);

  EXPECT_EQ(f.value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE actor = 'ops@wfa.example'"),
            "partner.create,partner_domain.create,partner_domain.create,workspace.create,user.create,"
            "partner_invitation.create,partner_request.provision");
  EXPECT_EQ(
      f.value("SELECT count(*) FROM audit_log WHERE actor = 'ops@wfa.example' AND partner_id = '" + partner + "'"),
      "7");
  EXPECT_EQ(f.value("SELECT old_values->>'status' || '>' || (new_values->>'status') FROM audit_log"
                    " WHERE action = 'partner_request.provision'"),
            "approved>provisioned");
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE new_values ? 'token_hash'"), "0");
}

TEST(PartnerProvision, SecondRunIsANoOpThatPrintsTheSamePartner) {
  partner_test::Fixture f;
  auto id = f.approved("acme");
  auto first = f.run_json({"partner", "provision", id});
  auto before = f.counts();
  auto second = f.run({"partner", "provision", id, "-o", "json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto doc = json::parse(second.out);
  EXPECT_EQ(doc["id"], first["id"]);
  EXPECT_TRUE(doc["invitation_token"].is_null()) << "the token is shown once";
  EXPECT_EQ(doc["invitation_id"], first["invitation_id"]);
  EXPECT_NE(second.err.find("already provisioned"), std::string::npos) << second.err;
  EXPECT_EQ(f.counts(), before);
}

TEST(PartnerProvision, ReusesAnExistingUserForTheOwner) {
  partner_test::Fixture f;
  f.exec("INSERT INTO users (email, first_name) VALUES ('owner@acme.example', 'Existing')");
  auto id = f.approved("acme");
  auto doc = f.run_json({"partner", "provision", id});
  EXPECT_EQ(doc["owner_user_id"], f.value("SELECT id FROM users"));
  EXPECT_EQ(f.db.count("users"), 1);
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action = 'user.create'"), "0");
}

TEST(PartnerProvision, RefusesPendingRejectedAndUnknownRequests) {
  partner_test::Fixture f;
  auto pending = f.submit("acme");
  auto r = f.run({"partner", "provision", pending});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("approve it first"), std::string::npos) << r.err;
  auto rejected = f.submit("bravo");
  ASSERT_EQ(f.run({"partner", "request", "reject", rejected, "--reason", "no"}).exit_code, 0);
  EXPECT_EQ(f.run({"partner", "provision", rejected}).exit_code, 4);
  EXPECT_EQ(f.run({"partner", "provision", "00000000-0000-4000-8000-000000000000"}).exit_code, 3);
  EXPECT_EQ(f.run({"partner", "provision", "acme"}).exit_code, 6) << "a malformed request id";
  EXPECT_EQ(f.run({"partner", "provision"}).exit_code, 2);
  EXPECT_EQ(f.db.count("partners"), 0);
}

TEST(PartnerProvision, DryRunChangesNothing) {
  partner_test::Fixture f;
  auto id = f.approved("acme", {"--plan", "professional", "--custom-domain", "app.acme.example"});
  auto before = f.counts();
  auto r = f.run({"partner", "provision", id, "--dry-run", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["slug"], "acme");
  EXPECT_EQ(doc["domains"].size(), 2u);
  EXPECT_TRUE(doc["invitation_token"].is_null());
  EXPECT_NE(r.err.find("nothing changed"), std::string::npos) << r.err;
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.value("SELECT status FROM partner_requests"), "approved");
  EXPECT_EQ(f.run({"partner", "provision", id}).exit_code, 0) << "the real run still works";
}

TEST(PartnerProvision, AFailureHalfWayLeavesNothingBehind) {
  partner_test::Fixture f;
  auto id = f.approved("acme", {"--plan", "professional", "--custom-domain", "app.acme.example"});
  // After the approval another partner takes the custom domain: the partner and subdomain are made, then it fails.
  ASSERT_EQ(f.run({"partner", "create", "other", "--name", "Other"}).exit_code, 0);
  f.exec(
      "INSERT INTO partner_domains (partner_id, hostname, verification_token)"
      " SELECT id, 'app.acme.example', 'tok' FROM partners WHERE slug = 'other'");
  auto before = f.counts();
  auto r = f.run({"partner", "provision", id});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("app.acme.example"), std::string::npos) << r.err;
  EXPECT_EQ(test::lines(r.err), 1u) << r.err;
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.value("SELECT count(*) FROM partners WHERE slug = 'acme'"), "0");
  EXPECT_EQ(f.value("SELECT status FROM partner_requests"), "approved");
  EXPECT_EQ(f.value("SELECT provisioned_partner_id FROM partner_requests"), "");
}

TEST(PartnerProvision, ConcurrentRunsOfTheSameRequestMakeExactlyOnePartner) {
  partner_test::Fixture f;
  for (int round = 0; round < 3; ++round) {
    auto id = f.approved("race" + std::to_string(round), {"--plan", "professional", "--custom-domain",
                                                          "app.race" + std::to_string(round) + ".example"});
    std::vector<ProcessResult> results(4);
    std::vector<std::thread> threads;
    const std::map<std::string, std::string> env = {{"WFA_DATABASE_URL", f.db.url()}};
    const std::vector<std::string> args = {"partner", "provision", id, "-o", "json"};
    for (auto& result : results) threads.emplace_back([&env, &args, &result] { result = test::run_wfa(args, env); });
    for (auto& t : threads) t.join();
    std::set<std::string> ids;
    int tokens = 0;
    for (const auto& r : results) {
      ASSERT_EQ(r.exit_code, 0) << r.err;
      auto doc = json::parse(r.out);
      ids.insert(doc["id"].get<std::string>());
      tokens += doc["invitation_token"].is_string() ? 1 : 0;
    }
    EXPECT_EQ(ids.size(), 1u) << "every process prints the same partner";
    EXPECT_EQ(tokens, 1) << "exactly one process created it";
    EXPECT_EQ(f.value("SELECT count(*) FROM partners WHERE slug = 'race" + std::to_string(round) + "'"), "1");
  }
  EXPECT_EQ(f.db.count("partners"), 3);
  EXPECT_EQ(f.db.count("partner_invitations"), 3);
  EXPECT_EQ(f.db.count("workspaces"), 3);
  EXPECT_EQ(f.db.count("partner_domains"), 6);
}
