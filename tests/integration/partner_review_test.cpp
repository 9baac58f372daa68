// `wfa partner request approve|reject|check-domain`: the state rules and name checks.
#include "tests/integration/partner_fixture.hpp"

using namespace wfa;
using partner_test::json;

TEST(PartnerReview, ApproveRecordsTheReviewerAndIsANoOpTheSecondTime) {
  partner_test::Fixture f;
  auto id = f.submit("acme");
  f.env["WFA_ACTOR"] = "ops@wfa.example";
  auto doc = f.run_json({"partner", "request", "approve", id});
  EXPECT_EQ(doc["status"], "approved");
  EXPECT_EQ(doc["reviewed_by"], "ops@wfa.example");
  EXPECT_TRUE(doc["reviewed_at"].is_string());
  auto audits = f.db.count("audit_log");
  EXPECT_EQ(f.value("SELECT old_values->>'status' || '>' || (new_values->>'status') FROM audit_log"
                    " WHERE action = 'partner_request.approve' AND actor = 'ops@wfa.example'"),
            "pending>approved");

  auto again = f.run({"partner", "request", "approve", id});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("already approved"), std::string::npos) << again.err;
  EXPECT_EQ(f.db.count("audit_log"), audits) << "a no-op writes no audit entry";
}

TEST(PartnerReview, StateRulesForApproveAndReject) {
  partner_test::Fixture f;
  auto id = f.submit("acme");
  auto no_reason = f.run({"partner", "request", "reject", id});
  EXPECT_EQ(no_reason.exit_code, 2) << no_reason.err;
  EXPECT_NE(no_reason.err.find("--reason"), std::string::npos) << no_reason.err;
  EXPECT_EQ(f.run({"partner", "request", "reject", id, "--reason", "  "}).exit_code, 2);

  auto rejected = f.run_json({"partner", "request", "reject", id, "--reason", "not a real agency"});
  EXPECT_EQ(rejected["status"], "rejected");
  EXPECT_EQ(rejected["rejection_reason"], "not a real agency");
  auto approve_rejected = f.run({"partner", "request", "approve", id});
  EXPECT_EQ(approve_rejected.exit_code, 4) << approve_rejected.err;
  EXPECT_NE(approve_rejected.err.find("rejected"), std::string::npos) << approve_rejected.err;
  auto reject_again = f.run({"partner", "request", "reject", id, "--reason", "again"});
  EXPECT_EQ(reject_again.exit_code, 0) << reject_again.err;
  EXPECT_EQ(f.value("SELECT rejection_reason FROM partner_requests"), "not a real agency")
      << "the no-op kept the reason";

  auto approved = f.approved("bravo");
  ASSERT_EQ(f.run({"partner", "provision", approved}).exit_code, 0);
  EXPECT_EQ(f.run({"partner", "request", "reject", approved, "--reason", "late"}).exit_code, 4);
  EXPECT_EQ(f.run({"partner", "request", "approve", approved}).exit_code, 4);

  auto other = f.approved("charlie");
  EXPECT_EQ(f.run({"partner", "request", "reject", other, "--reason", "changed our mind"}).exit_code, 0)
      << "an approved request can still be rejected";
  const std::string unknown = "6f1d7c1e-0000-4000-8000-000000000000";
  EXPECT_EQ(f.run({"partner", "request", "reject", unknown, "--reason", "x"}).exit_code, 3);
  EXPECT_EQ(f.run({"partner", "request", "approve", unknown}).exit_code, 3);
  EXPECT_EQ(f.run({"partner", "request", "approve", "nope"}).exit_code, 6) << "a malformed id is invalid input";
}

TEST(PartnerReview, ApproveAndRejectDryRunsChangeNothing) {
  partner_test::Fixture f;
  auto id = f.submit("acme");
  auto before = f.counts();
  auto approve = f.run({"partner", "request", "approve", id, "--dry-run", "-o", "json"});
  ASSERT_EQ(approve.exit_code, 0) << approve.err;
  EXPECT_EQ(json::parse(approve.out)["status"], "approved");
  auto reject = f.run({"partner", "request", "reject", id, "--reason", "x", "--dry-run"});
  ASSERT_EQ(reject.exit_code, 0) << reject.err;
  EXPECT_NE(reject.err.find("nothing changed"), std::string::npos) << reject.err;
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.value("SELECT status FROM partner_requests"), "pending");
}

TEST(PartnerReview, ApproveRefusesARequestWhoseSubdomainWasTakenMeanwhile) {
  partner_test::Fixture f;
  auto id = f.submit("acme");
  f.exec("INSERT INTO partners (slug, name, plan_tier) VALUES ('acme', 'Squatter', 'starter')");
  auto r = f.run({"partner", "request", "approve", id});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(f.value("SELECT status FROM partner_requests"), "pending");
}

TEST(PartnerReview, CheckDomainReportsSyntaxReservedAndAvailability) {
  partner_test::Fixture f;
  f.submit("held", {"--plan", "professional", "--custom-domain", "app.held.example"});
  struct Case {
    std::vector<std::string> args;
    int exit;
    bool valid, reserved, available;
  } cases[] = {
      {{"fresh"}, 0, true, false, true},
      {{"Fresh.WFA.example"}, 0, true, false, true},
      {{"held"}, 4, true, false, false},
      {{"admin"}, 4, true, true, false},
      {{"bad_name"}, 6, false, false, false},
      {{std::string(64, 'x')}, 6, false, false, false},
      {{"https://fresh"}, 6, false, false, false},
      {{"fresh.example.com"}, 6, false, false, false},
      {{"app.fresh.example", "--custom"}, 0, true, false, true},
      {{"APP.held.example", "--custom"}, 4, true, false, false},
      {{"shop.wfa.example", "--custom"}, 4, true, true, false},
      {{"fresh.example:443", "--custom"}, 6, false, false, false},
      {{"fresh.example/x", "--custom"}, 6, false, false, false},
      {{"http://fresh.example", "--custom"}, 6, false, false, false},
      {{"under_score.example", "--custom"}, 6, false, false, false},
      {{std::string(64, 'y') + ".example", "--custom"}, 6, false, false, false},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"partner", "request", "check-domain"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto doc = f.run_json(args, c.exit);
    ASSERT_TRUE(doc.is_object()) << c.args[0];
    for (const char* key : {"name", "kind", "hostname", "valid", "reserved", "available", "reason"})
      EXPECT_TRUE(doc.contains(key)) << key;
    EXPECT_EQ(doc["valid"], c.valid) << c.args[0];
    EXPECT_EQ(doc["reserved"], c.reserved) << c.args[0];
    EXPECT_EQ(doc["available"], c.available) << c.args[0];
    EXPECT_EQ(doc["reason"].is_null(), c.available) << c.args[0];
  }
  auto fresh = f.run_json({"partner", "request", "check-domain", "Fresh.WFA.example"});
  EXPECT_EQ(fresh["name"], "fresh");
  EXPECT_EQ(fresh["hostname"], "fresh.wfa.example");
  EXPECT_EQ(fresh["kind"], "subdomain");
}

TEST(PartnerReview, CheckDomainFollowsTheConfiguredPlatformDomain) {
  partner_test::Fixture f;
  f.env["WFA_PLATFORM_DOMAIN"] = "agents.example.net";
  EXPECT_EQ(f.run_json({"partner", "request", "check-domain", "acme"})["hostname"], "acme.agents.example.net");
  EXPECT_EQ(f.run_json({"partner", "request", "check-domain", "x.agents.example.net", "--custom"}, 4)["reserved"],
            true);
  EXPECT_EQ(f.run_json({"partner", "request", "check-domain", "x.wfa.example", "--custom"})["available"], true);
}
