// Workspace limits: the partner's max_workspaces (also under concurrency), inherited and overridden limits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <chrono>
#include <pqxx/connection>
#include <pqxx/transaction>
#include <thread>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

/// LimitsFixture: partner acme allowing two workspaces, with max_users 10 and monthly_minutes 1000.
struct LimitsFixture : test::IntegrationFixture {
  LimitsFixture() { add_partner("acme", "Acme", R"({"max_workspaces": 2, "max_users": 10, "monthly_minutes": 1000})"); }
  ProcessResult create(const std::string& slug, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"workspace", "create", slug, "--partner", "acme", "--name", slug};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }
};

}  // namespace

TEST(WorkspaceLimits, MaxWorkspacesIsEnforcedWithAClearMessage) {
  LimitsFixture f;
  ASSERT_EQ(f.create("one").exit_code, 0);
  ASSERT_EQ(f.create("two").exit_code, 0);
  auto full = f.create("three");
  EXPECT_EQ(full.exit_code, 4) << full.err;
  EXPECT_NE(full.err.find("max_workspaces"), std::string::npos) << full.err;
  EXPECT_NE(full.err.find("acme"), std::string::npos) << full.err;
  EXPECT_NE(full.err.find("2 of 2"), std::string::npos) << full.err;
  EXPECT_EQ(f.db.count("workspaces"), 2);
  EXPECT_EQ(f.create("two", {"--if-not-exists"}).exit_code, 0) << "an existing workspace is not a new one";
}

TEST(WorkspaceLimits, ConcurrentCreatesAtTheLimitLetExactlyOneThrough) {
  LimitsFixture f;
  ASSERT_EQ(f.create("one").exit_code, 0);
  // Hold the audit log so both creates stop just before commit, after their checks: without the
  // partner lock both would pass the max_workspaces check; with it the second waits for the first.
  auto [a, b] = test::race_to_commit(
      f.db, [&] { return f.create("a"); }, [&] { return f.create("b"); });
  EXPECT_EQ((a.exit_code == 0) + (b.exit_code == 0), 1) << a.err << " / " << b.err;
  EXPECT_EQ((a.exit_code == 4) + (b.exit_code == 4), 1) << a.err << " / " << b.err;
  EXPECT_EQ(f.db.count("workspaces"), 2);
}

TEST(WorkspaceLimits, LimitsAreInheritedAndOverridableWithinThePartners) {
  LimitsFixture f;
  auto above = f.create("big", {"--limit", "max_users=50"});
  EXPECT_EQ(above.exit_code, 4) << "a workspace limit never exceeds its partner's: " << above.err;
  EXPECT_NE(above.err.find("above partner acme's own max_users of 10"), std::string::npos) << above.err;
  EXPECT_EQ(f.db.count("workspaces"), 0);
  auto r = f.create("big", {"--limit", "max_users=5", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["resource_limits"], (json{{"max_users", 5}})) << "only the override is stored";
  EXPECT_EQ(doc["effective_limits"], (json{{"max_users", 5}, {"monthly_minutes", 1000}}));
  f.exec(R"(UPDATE partners SET resource_limits = resource_limits || '{"monthly_minutes": 5000, "max_users": 20}')");
  auto show = f.run({"workspace", "show", "acme/big", "-o", "json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(json::parse(show.out)["effective_limits"], (json{{"max_users", 5}, {"monthly_minutes", 5000}}))
      << "the partner's new value shows through where there is no override";
  EXPECT_EQ(f.run({"workspace", "update", "acme/big", "--limit", "max_users=21"}).exit_code, 4);

  auto cleared = f.run({"workspace", "update", "acme/big", "--clear-limit", "max_users", "-o", "json"});
  ASSERT_EQ(cleared.exit_code, 0) << cleared.err;
  EXPECT_EQ(json::parse(cleared.out)["effective_limits"]["max_users"], 20);
  EXPECT_EQ(json::parse(cleared.out)["resource_limits"], json::object());
}

TEST(WorkspaceLimits, BadLimitValuesAreExitSixNamingTheKey) {
  LimitsFixture f;
  for (const std::string bad : {"max_users=-1", "max_users=1.5", "max_users=ten", "max_users="}) {
    auto r = f.create("ws", {"--limit", bad});
    EXPECT_EQ(r.exit_code, 6) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("max_users"), std::string::npos) << r.err;
  }
  auto no_equals = f.create("ws", {"--limit", "max_users"});
  EXPECT_EQ(no_equals.exit_code, 6) << no_equals.err;
  auto unknown = f.create("ws", {"--limit", "max_userz=5"});
  EXPECT_EQ(unknown.exit_code, 6) << unknown.err;
  EXPECT_NE(unknown.err.find("max_userz"), std::string::npos) << unknown.err;
  auto partner_wide = f.create("ws", {"--limit", "max_workspaces=9"});
  EXPECT_EQ(partner_wide.exit_code, 6) << partner_wide.err;
  EXPECT_NE(partner_wide.err.find("max_workspaces"), std::string::npos) << partner_wide.err;
  EXPECT_EQ(f.create("ws", {"--limit", "max_agents=3"}).exit_code, 0) << "keys of any plan tier are known";
  EXPECT_EQ(f.db.count("workspaces"), 1);
}
