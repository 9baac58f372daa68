// `wfa workspace update|delete|restore` against a real PostgreSQL.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

/// LifecycleFixture: partner acme (max_workspaces 2) with the workspace acme/main.
struct LifecycleFixture : test::IntegrationFixture {
  LifecycleFixture() : IntegrationFixture({"workspaces", "audit_log"}) {
    add_partner("acme", "Acme", R"({"max_workspaces": 2, "max_users": 10})");
    auto r = run({"workspace", "create", "main", "--partner", "acme", "--name", "Main"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  std::string row() { return sql("SELECT to_jsonb(w) FROM workspaces w WHERE slug = 'main'")[0][0].as<std::string>(); }
};

}  // namespace

TEST(WorkspaceLifecycle, UpdateChangesWhatIsGivenAndAudits) {
  LifecycleFixture f;
  f.env["WFA_ACTOR"] = "ops@wfa.example";
  auto r = f.run({
      "workspace",
      "update",
      "acme/main",
      "--name",
      "Main Street",
      "--status",
      "suspended",
      "--limit",
      "max_users=3",
      "--per-minute-rate-cents",
      "9",
      "--billing-exempt",
      "true",
      "-o",
      "json",
  });
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["name"], "Main Street");
  EXPECT_EQ(doc["status"], "suspended");
  EXPECT_EQ(doc["resource_limits"], (json{{"max_users", 3}}));
  EXPECT_EQ(doc["effective_limits"]["max_users"], 3);
  EXPECT_EQ(doc["per_minute_rate_cents"], 9);
  EXPECT_EQ(doc["is_billing_exempt"], true);
  auto audit = f.sql(
      "SELECT actor, old_values->>'name', new_values->>'name', workspace_id IS NOT NULL"
      " FROM audit_log WHERE action = 'workspace.update'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0].as<std::string>(), "ops@wfa.example");
  EXPECT_EQ(audit[0][1].as<std::string>(), "Main");
  EXPECT_EQ(audit[0][2].as<std::string>(), "Main Street");
  EXPECT_TRUE(audit[0][3].as<bool>());

  auto same = f.run({"workspace", "update", "acme/main", "--name", "Main Street"});
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.err.find("nothing changed"), std::string::npos) << same.err;
  EXPECT_EQ(f.sql("SELECT count(*) FROM audit_log WHERE action = 'workspace.update'")[0][0].as<int>(), 1);
}

TEST(WorkspaceLifecycle, UpdateRefusesBadInputAndDryRunChangesNothing) {
  LifecycleFixture f;
  EXPECT_EQ(f.run({"workspace", "update", "acme/main"}).exit_code, 2) << "nothing to update";
  EXPECT_EQ(f.run({"workspace", "update", "acme/main", "--status", "paused"}).exit_code, 2);
  EXPECT_EQ(f.run({"workspace", "update", "acme/main", "--billing-exempt", "maybe"}).exit_code, 2);
  EXPECT_EQ(f.run({"workspace", "update", "acme/main", "--limit", "max_users=-5"}).exit_code, 6);
  EXPECT_EQ(f.run({"workspace", "update", "acme/main", "--per-minute-rate-cents", "-5"}).exit_code, 6);
  EXPECT_EQ(
      f.run({"workspace", "update", "acme/main", "--limit", "max_users=5", "--clear-limit", "max_users"}).exit_code, 6);
  EXPECT_EQ(f.run({"workspace", "update", "acme/nope", "--name", "X"}).exit_code, 3);
  EXPECT_EQ(f.run({"workspace", "show", "main"}).exit_code, 0) << "a bare slug one partner has names its workspace";
  auto before = f.counts();
  auto row = f.row();
  auto dry = f.run({"workspace", "update", "acme/main", "--name", "Dry", "--dry-run", "-o", "json"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(json::parse(dry.out)["name"], "Dry");
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.row(), row);
}

TEST(WorkspaceLifecycle, DeleteIsSoftConfirmedAndIdempotent) {
  LifecycleFixture f;
  EXPECT_EQ(f.run({"workspace", "delete", "acme/main"}).exit_code, 2) << "no --yes off a terminal";
  auto before = f.counts();
  auto row = f.row();
  ASSERT_EQ(f.run({"workspace", "delete", "acme/main", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.row(), row);
  f.env["WFA_ACTOR"] = "ops@wfa.example";

  auto r = f.run({"workspace", "delete", "acme/main", "--yes", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(json::parse(r.out)["deleted_at"].is_string());
  EXPECT_EQ(f.db.count("workspaces"), 1) << "soft: the row stays";
  EXPECT_EQ(f.sql("SELECT actor FROM audit_log WHERE action = 'workspace.delete'")[0][0].as<std::string>(),
            "ops@wfa.example");
  auto list = f.run({"workspace", "list", "-o", "json"});
  EXPECT_TRUE(json::parse(list.out)["workspaces"].empty()) << list.out;
  auto with_deleted = f.run({"workspace", "list", "--include-deleted", "-o", "json"});
  EXPECT_EQ(json::parse(with_deleted.out)["workspaces"].size(), 1u);
  EXPECT_EQ(f.run({"workspace", "show", "acme/main"}).exit_code, 0) << "show finds deleted workspaces";
  EXPECT_EQ(f.run({"workspace", "update", "acme/main", "--name", "X"}).exit_code, 3);
  auto again = f.run({"workspace", "delete", "acme/main", "--yes"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("already deleted"), std::string::npos) << again.err;
  EXPECT_EQ(f.run({"workspace", "delete", "acme/nope", "--yes"}).exit_code, 3);
  auto dup = f.run({"workspace", "create", "main", "--partner", "acme", "--name", "Again", "--if-not-exists"});
  EXPECT_EQ(dup.exit_code, 4) << "a deleted workspace holds its slug: " << dup.err;
  EXPECT_NE(dup.err.find("restore"), std::string::npos) << dup.err;
}

TEST(WorkspaceLifecycle, RestoreRechecksMaxWorkspaces) {
  LifecycleFixture f;
  ASSERT_EQ(f.run({"workspace", "delete", "acme/main", "--yes"}).exit_code, 0);
  for (const char* slug : {"one", "two"})
    ASSERT_EQ(f.run({"workspace", "create", slug, "--partner", "acme", "--name", slug}).exit_code, 0);
  auto full = f.run({"workspace", "restore", "acme/main"});
  EXPECT_EQ(full.exit_code, 4) << full.err;
  EXPECT_NE(full.err.find("max_workspaces"), std::string::npos) << full.err;
  EXPECT_FALSE(f.sql("SELECT deleted_at FROM workspaces WHERE slug = 'main'")[0][0].is_null());

  ASSERT_EQ(f.run({"workspace", "delete", "acme/two", "--yes"}).exit_code, 0);
  auto before = f.counts();
  ASSERT_EQ(f.run({"workspace", "restore", "acme/main", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(f.counts(), before);
  EXPECT_FALSE(f.sql("SELECT deleted_at FROM workspaces WHERE slug = 'main'")[0][0].is_null());
  f.env["WFA_ACTOR"] = "ops@wfa.example";
  auto r = f.run({"workspace", "restore", "acme/main", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(json::parse(r.out)["deleted_at"].is_null());
  EXPECT_EQ(f.sql("SELECT actor FROM audit_log WHERE action = 'workspace.restore'")[0][0].as<std::string>(),
            "ops@wfa.example");
  auto again = f.run({"workspace", "restore", "acme/main"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("not deleted"), std::string::npos) << again.err;
  EXPECT_EQ(f.run({"workspace", "restore", "acme/nope"}).exit_code, 3);
}
