// The rules every dial obeys: `wfa calling-rules` (the seeded UAE and US law, a whole country's zones, changes by
// super admins only) and `wfa dnc` (a workspace's, a partner's and the platform's lists, each scope's rights, the
// all-or-nothing COPY import).
#include <gtest/gtest.h>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;

namespace {

struct Dialing : ::testing::Test, test::IntegrationFixture {
  Dialing() {
    env["WFA_ACTOR"] = "ops@platform";
    add_partner("acme", "Acme");
    add_partner("zeta", "Zeta");
    add_workspace("acme", "main", "Main");
    add_workspace("zeta", "other", "Other");
    for (const auto& [who, role] :
         {std::pair<const char*, const char*>{"admin", "admin"}, {"member", "member"}, {"viewer", "viewer"}}) {
      add_user(std::string(who) + "@acme.test");
      add_workspace_member("acme/main", std::string(who) + "@acme.test", role);
    }
    add_user("padmin@acme.test");
    add_partner_member("acme", "padmin@acme.test", "admin");
  }

  ProcessResult as(const std::string& email, std::vector<std::string> args) {
    args.insert(args.end(), {"--as", email});
    return run(args);
  }

  nlohmann::json check(const std::string& phone, const std::string& at, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"calling-rules", "check", phone, "--at", at};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_json(args);
  }

  bool listed(const std::string& phone, const std::string& workspace = "acme/main") {
    return run_json({"dnc", "check", phone, "--workspace", workspace})["listed"].get<bool>();
  }
};

}  // namespace

TEST_F(Dialing, SeededRulesPlaceUaeAndUsNumbersInTheirZonesAndWindows) {
  auto dubai = check("+971501234567", "2027-01-12T04:30:00Z");
  EXPECT_EQ(dubai["rules"], "AE");
  EXPECT_EQ(dubai["zones"], "Asia/Dubai");
  EXPECT_FALSE(dubai["allowed"].get<bool>()) << "08:30 in Dubai";
  EXPECT_EQ(dubai["next_allowed"], "2027-01-12T05:00:00.000Z");
  EXPECT_EQ(dubai["max_attempts_per_week"], 2);
  EXPECT_TRUE(check("+971501234567", "2027-01-12T10:00:00Z")["allowed"].get<bool>());

  auto us = check("+12125550123", "2027-01-12T15:00:00Z");
  EXPECT_EQ(us["rules"], "US");
  EXPECT_FALSE(us["allowed"].get<bool>()) << "05:00 in Honolulu: a US number without its own zone waits for every zone";
  EXPECT_EQ(us["next_allowed"], "2027-01-12T18:00:00.000Z");
  auto own_zone = check("+12125550123", "2027-01-12T15:00:00Z", {"--timezone", "America/New_York"});
  EXPECT_TRUE(own_zone["allowed"].get<bool>()) << "10:00 in New York";
  EXPECT_EQ(own_zone["zones"], "America/New_York");

  auto uk = check("+442079460000", "2027-01-10T12:00:00Z");
  EXPECT_EQ(uk["country"], "GB");
  EXPECT_EQ(uk["rules"], "default");
  EXPECT_FALSE(uk["allowed"].get<bool>()) << "the default rules keep Sunday free";
  EXPECT_EQ(uk["next_allowed"], "2027-01-11T09:00:00.000Z");

  auto bad = run({"calling-rules", "check", "+12125550123", "--timezone", "Mars/Olympus"});
  EXPECT_EQ(bad.exit_code, 6) << bad.err;
  EXPECT_EQ(test::lines(bad.err), 1u) << bad.err;
}

TEST_F(Dialing, CallingRulesChangeOnlyBySuperAdminsConsistentlyAndAudited) {
  auto denied = as("admin@acme.test", {"calling-rules", "set", "AE", "--per-week", "3"});
  EXPECT_EQ(denied.exit_code, 5) << denied.err;
  auto partial = run({"calling-rules", "set", "SA", "--from", "09:00"});
  EXPECT_EQ(partial.exit_code, 2) << partial.err;
  EXPECT_EQ(test::lines(partial.err), 1u) << partial.err;
  auto backwards = run({"calling-rules", "set", "AE", "--from", "19:00"});
  EXPECT_EQ(backwards.exit_code, 6) << "a window ending before it starts: " << backwards.err;
  EXPECT_EQ(test::lines(backwards.err), 1u) << backwards.err;
  EXPECT_EQ(run({"calling-rules", "set", "AE", "--days", "mon,funday"}).exit_code, 6);
  EXPECT_EQ(run({"calling-rules", "set", "XX", "--per-day", "1"}).exit_code, 6);
  EXPECT_EQ(run({"calling-rules", "set", "SA", "--days", "sun,mon,tue,wed,thu", "--from", "09:00", "--to", "21:00",
                 "--per-day", "1", "--per-week", "3", "--refusal-ends-contact", "true"})
                .exit_code,
            0);
  EXPECT_EQ(run({"calling-rules", "set", "AE", "--per-week", "3"}).exit_code, 0);
  EXPECT_EQ(value("SELECT (old_values->>'max_attempts_per_week') || '>' || (new_values->>'max_attempts_per_week')"
                  " FROM audit_log WHERE action = 'calling_rules.set' AND entity_id = 'AE'"),
            "2>3");
  auto again = run({"calling-rules", "set", "AE", "--per-week", "3"});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE((again.out + again.err).find("nothing changed"), std::string::npos) << again.err;
  auto list = run_json({"calling-rules", "list"});
  ASSERT_EQ(list["rules"].size(), 4u) << list.dump();
  nlohmann::json saudi;
  for (const auto& rule : list["rules"])
    if (rule["country"] == "SA") saudi = rule;
  EXPECT_EQ(saudi["days"], "mon,tue,wed,thu,sun") << list.dump();
  EXPECT_EQ(check("+966501234567", "2027-01-15T10:00:00Z")["allowed"], false) << "Friday is not a Saudi calling day";
}

TEST_F(Dialing, EveryListThatReachesAWorkspaceBlocksItsNumbersWithEachScopesRights) {
  EXPECT_EQ(as("member@acme.test", {"dnc", "add", "+971501234561", "--workspace", "acme/main"}).exit_code, 0);
  EXPECT_EQ(as("viewer@acme.test", {"dnc", "add", "+971501234562", "--workspace", "acme/main"}).exit_code, 5);
  EXPECT_EQ(
      as("padmin@acme.test", {"dnc", "add", "+971501234563", "--scope", "partner", "--partner", "acme"}).exit_code, 0);
  EXPECT_EQ(as("padmin@acme.test", {"dnc", "add", "+971501234564", "--scope", "platform"}).exit_code, 5);
  EXPECT_EQ(
      run({"dnc", "add", "0501234564", "--default-country", "AE", "--scope", "platform", "--registry", "uae-dncr"})
          .exit_code,
      0);
  EXPECT_TRUE(listed("+971501234561"));
  EXPECT_TRUE(listed("+971501234563")) << "the partner's list reaches its workspaces";
  EXPECT_TRUE(listed("+971501234564")) << "the platform's list reaches every workspace";
  EXPECT_FALSE(listed("+971501234562"));
  EXPECT_FALSE(listed("+971501234561", "zeta/other")) << "a workspace's list is its own";
  EXPECT_FALSE(listed("+971501234563", "zeta/other")) << "and a partner's is its partner's";
  EXPECT_TRUE(listed("+971501234564", "zeta/other"));
  auto hits = run_json({"dnc", "check", "+971501234564", "--workspace", "acme/main"});
  ASSERT_EQ(hits["lists"].size(), 1u);
  EXPECT_EQ(hits["lists"][0]["list"], "platform");
  EXPECT_EQ(hits["lists"][0]["reason"], "uae-dncr");

  EXPECT_EQ(as("member@acme.test", {"dnc", "remove", "+971501234561", "--workspace", "acme/main"}).exit_code, 5)
      << "members add, admins remove";
  EXPECT_EQ(as("admin@acme.test", {"dnc", "remove", "+971501234561", "--workspace", "acme/main"}).exit_code, 0);
  EXPECT_FALSE(listed("+971501234561"));
  EXPECT_EQ(run({"dnc", "remove", "+971501234561", "--workspace", "acme/main"}).exit_code, 3);
  auto scope = run({"dnc", "list", "--scope", "partner"});
  EXPECT_EQ(scope.exit_code, 2) << scope.err;
  EXPECT_EQ(test::lines(scope.err), 1u) << scope.err;
  EXPECT_EQ(value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE entity_type = 'do_not_call'"),
            "dnc.add,dnc.add,dnc.add,dnc.remove");
}

TEST_F(Dialing, ImportIsAllOrNothingThroughCopyAndCountsNumbersAlreadyListed) {
  auto bad = file("bad.csv", "Name,Mobile\nAnn,+971501234571\nBo,not a number\n");
  auto r = run({"dnc", "import", bad, "--workspace", "acme/main"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(test::lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find(bad + ":3:"), std::string::npos) << r.err;
  EXPECT_EQ(count("do_not_call"), 0) << "nothing imported";

  ASSERT_EQ(run({"dnc", "add", "+971501234572", "--workspace", "acme/main"}).exit_code, 0);
  auto good =
      file("good.csv", "Name,Mobile\nAnn,+971501234571\nBo,0501234572\nCy,050 123 4573\nAnn again,+971501234571\n");
  auto doc = run_json({"dnc", "import", good, "--workspace", "acme/main", "--default-country", "AE"});
  EXPECT_EQ(doc["rows_read"], 4);
  EXPECT_EQ(doc["added"], 2);
  EXPECT_EQ(count("do_not_call"), 3);
  EXPECT_EQ(value("SELECT string_agg(reason, ',' ORDER BY phone_e164) FROM do_not_call"), "import,manual,import");
  auto nocol = file("nocol.csv", "Name,Email\nAnn,a@b.c\n");
  EXPECT_EQ(run({"dnc", "import", nocol, "--workspace", "acme/main"}).exit_code, 6);
  auto page = run_json({"dnc", "list", "--workspace", "acme/main", "--limit", "2"});
  EXPECT_EQ(page["numbers"].size(), 2u);
  EXPECT_EQ(page["numbers"][0]["phone"], "+971501234571");
}
