// `wfa workspace create|list|show` against a real PostgreSQL.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

/// WorkspaceFixture: partners acme (max_workspaces 3, max_users 10) and zeta, no workspaces.
struct WorkspaceFixture : test::IntegrationFixture {
  WorkspaceFixture() : IntegrationFixture({"workspaces", "audit_log"}) {
    add_partner("acme", "Acme", R"({"max_workspaces": 3, "max_users": 10, "max_agents": 5})");
    add_partner("zeta", "Zeta", R"({"max_workspaces": 3, "max_users": 10})");
  }
};

const char* const show_fields[] = {"id",
                                   "partner",
                                   "partner_id",
                                   "slug",
                                   "name",
                                   "status",
                                   "resource_limits",
                                   "effective_limits",
                                   "settings",
                                   "current_month_minutes",
                                   "current_month_cost",
                                   "per_minute_rate_cents",
                                   "is_billing_exempt",
                                   "last_usage_reset_at",
                                   "created_at",
                                   "updated_at",
                                   "deleted_at"};

}  // namespace

TEST(WorkspaceCommand, CreateShowsTheWorkspaceAndAudits) {
  WorkspaceFixture f;
  f.env["WFA_ACTOR"] = "ops@wfa.example";
  auto r = f.run({"workspace", "create", "main", "--partner", "acme", "--name", "Acme Dental",
                  "--per-minute-rate-cents", "12", "--billing-exempt", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  for (const char* field : show_fields) EXPECT_TRUE(doc.contains(field)) << field << " in " << r.out;
  EXPECT_EQ(doc["partner"], "acme");
  EXPECT_EQ(doc["slug"], "main");
  EXPECT_EQ(doc["name"], "Acme Dental");
  EXPECT_EQ(doc["status"], "active");
  EXPECT_EQ(doc["per_minute_rate_cents"], 12);
  EXPECT_EQ(doc["is_billing_exempt"], true);
  EXPECT_EQ(doc["current_month_minutes"], 0);
  EXPECT_EQ(doc["resource_limits"], json::object());
  EXPECT_EQ(doc["effective_limits"], (json{{"max_users", 10}, {"max_agents", 5}}));
  auto audit = f.sql(
      "SELECT actor, action, entity_type, partner_id IS NOT NULL, workspace_id::text, new_values->>'slug'"
      " FROM audit_log");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0].as<std::string>(), "ops@wfa.example");
  EXPECT_EQ(audit[0][1].as<std::string>(), "workspace.create");
  EXPECT_EQ(audit[0][2].as<std::string>(), "workspace");
  EXPECT_TRUE(audit[0][3].as<bool>());
  EXPECT_EQ(audit[0][4].as<std::string>(), doc["id"].get<std::string>());
  EXPECT_EQ(audit[0][5].as<std::string>(), "main");
}

TEST(WorkspaceCommand, CreateRefusesBadInput) {
  WorkspaceFixture f;
  auto slug = f.run({"workspace", "create", "Bad_Slug", "--partner", "acme", "--name", "X"});
  EXPECT_EQ(slug.exit_code, 6) << slug.err;
  EXPECT_NE(slug.err.find("Bad_Slug"), std::string::npos) << slug.err;
  EXPECT_EQ(f.run({"workspace", "create", "-lead", "--partner", "acme", "--name", "X"}).exit_code, 2)
      << "an option-like slug is a usage error";
  EXPECT_EQ(f.run({"workspace", "create", "main", "--partner", "acme", "--name", " "}).exit_code, 6);
  EXPECT_EQ(f.run({"workspace", "create", "main", "--partner", "acme", "--name", "X", "--per-minute-rate-cents", "-1"})
                .exit_code,
            6);
  EXPECT_EQ(f.run({"workspace", "create", "main", "--partner", "nobody", "--name", "X"}).exit_code, 3);
  EXPECT_EQ(f.run({"workspace", "create", "main", "--name", "X"}).exit_code, 2);
  EXPECT_EQ(f.db.count("workspaces"), 0);
}

TEST(WorkspaceCommand, DuplicateSlugIsExitFourUnlessIfNotExists) {
  WorkspaceFixture f;
  ASSERT_EQ(f.run({"workspace", "create", "main", "--partner", "acme", "--name", "Main"}).exit_code, 0);
  auto dup = f.run({"workspace", "create", "main", "--partner", "acme", "--name", "Other"});
  EXPECT_EQ(dup.exit_code, 4) << dup.err;
  EXPECT_NE(dup.err.find("acme/main"), std::string::npos) << dup.err;
  auto before = f.counts();
  auto again =
      f.run({"workspace", "create", "main", "--partner", "acme", "--name", "Other", "--if-not-exists", "-o", "json"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["name"], "Main") << "the existing workspace, unchanged";
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.run({"workspace", "create", "main", "--partner", "zeta", "--name", "Zeta main"}).exit_code, 0)
      << "slugs are unique per partner only";
}

TEST(WorkspaceCommand, DryRunChangesNothing) {
  WorkspaceFixture f;
  auto before = f.counts();
  auto r = f.run({"workspace", "create", "main", "--partner", "acme", "--name", "Main", "--dry-run", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["slug"], "main");
  EXPECT_NE(r.err.find("nothing changed"), std::string::npos) << r.err;
  EXPECT_EQ(f.counts(), before);
}

TEST(WorkspaceCommand, ListAndShowWithUsageFields) {
  WorkspaceFixture f;
  for (const char* slug : {"beta", "alpha"})
    ASSERT_EQ(f.run({"workspace", "create", slug, "--partner", "acme", "--name", slug}).exit_code, 0);
  ASSERT_EQ(f.run({"workspace", "create", "main", "--partner", "zeta", "--name", "Z"}).exit_code, 0);
  f.sql(
      "UPDATE workspaces SET current_month_minutes = 42, current_month_cost_micros = 5040000, last_usage_reset_at = "
      "'2026-01-01T00:00:00Z'"
      " WHERE slug = 'alpha'");

  auto list = f.run({"workspace", "list", "--partner", "acme", "-o", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto rows = json::parse(list.out)["workspaces"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["slug"], "alpha");
  for (const char* field :
       {"partner", "slug", "name", "status", "current_month_minutes", "current_month_cost", "per_minute_rate_cents",
        "is_billing_exempt", "id", "partner_id", "created_at", "deleted_at"})
    EXPECT_TRUE(rows[0].contains(field)) << field;
  auto all = f.run({"workspace", "list", "-o", "ndjson"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(std::count(all.out.begin(), all.out.end(), '\n'), 3);

  auto show = f.run({"workspace", "show", "acme/alpha", "-o", "json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto doc = json::parse(show.out);
  for (const char* field : show_fields) EXPECT_TRUE(doc.contains(field)) << field;
  EXPECT_EQ(doc["current_month_minutes"], 42);
  EXPECT_EQ(doc["current_month_cost"], 504);
  EXPECT_EQ(doc["last_usage_reset_at"], "2026-01-01T00:00:00Z");
  auto by_id = f.run({"workspace", "show", doc["id"].get<std::string>(), "-o", "plain"});
  ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
  EXPECT_NE(by_id.out.find("slug\talpha"), std::string::npos) << by_id.out;

  EXPECT_EQ(f.run({"workspace", "show", "acme/nope"}).exit_code, 3);
  EXPECT_EQ(f.run({"workspace", "show", "nobody/alpha"}).exit_code, 3);
  EXPECT_EQ(f.run({"workspace", "list", "--partner", "nobody"}).exit_code, 3);
}
