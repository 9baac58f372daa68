// `wfa audit list` filters the append-only log.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

/// AuditFixture is a database with two partners and five audit rows.
struct AuditFixture : test::IntegrationFixture {
  AuditFixture() {
    add_partner("acme", "Acme");
    add_partner("zeta", "Zeta");
    add_workspace("acme", "main", "Main");
    exec(
        R"(INSERT INTO audit_log (created_at, actor, partner_id, workspace_id, action, entity_type,
          entity_id, new_values)
      SELECT '2026-01-01T10:00:00Z'::timestamptz, 'ops@a', id, NULL::uuid, 'partner.create', 'partner',
        id::text, '{"slug":"acme"}'::jsonb FROM partners WHERE slug = 'acme'
      UNION ALL SELECT '2026-01-02T10:00:00Z', 'ops@a', id, NULL, 'partner.update', 'partner', id::text, '{}'
        FROM partners WHERE slug = 'acme'
      UNION ALL SELECT '2026-01-03T10:00:00Z', 'ops@b', partner_id, id, 'workspace.create', 'workspace',
        id::text, NULL FROM workspaces
      UNION ALL SELECT '2026-01-04T10:00:00Z', 'ops@b', id, NULL, 'partner.create', 'partner', id::text, NULL
        FROM partners WHERE slug = 'zeta'
      UNION ALL SELECT '2026-01-05T10:00:00Z', 'cron', NULL, NULL, 'usage.reset', 'period', '2026-01', NULL)");
  }
  json list(std::vector<std::string> args) {
    args.insert(args.begin(), {"audit", "list", "-o", "json"});
    auto r = run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out)["entries"];
  }
};

std::vector<std::string> actions(const json& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e["action"]);
  return out;
}

}  // namespace

TEST(AuditCommand, ListsNewestFirstWithDocumentedFields) {
  AuditFixture f;
  auto all = f.list({});
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0]["action"], "usage.reset");
  EXPECT_EQ(all[4]["created_at"], "2026-01-01T10:00:00Z");
  EXPECT_EQ(all[4]["new_values"]["slug"], "acme") << "jsonb is embedded as JSON";
  for (const char* field : {"id", "created_at", "actor", "action", "entity_type", "entity_id", "partner_id",
                            "workspace_id", "old_values", "new_values", "metadata"})
    EXPECT_TRUE(all[0].contains(field)) << field;
}

TEST(AuditCommand, FiltersCombine) {
  AuditFixture f;
  EXPECT_EQ(actions(f.list({"--partner", "acme"})),
            (std::vector<std::string>{"workspace.create", "partner.update", "partner.create"}));
  EXPECT_EQ(actions(f.list({"--workspace", "acme/main"})), std::vector<std::string>{"workspace.create"});
  EXPECT_EQ(f.list({"--action", "partner.create"}).size(), 2u);
  EXPECT_EQ(f.list({"--action", "partner.*"}).size(), 3u);
  EXPECT_EQ(f.list({"--actor", "ops@b", "--partner", "zeta"}).size(), 1u);
  EXPECT_EQ(f.list({"--since", "2026-01-03", "--until", "2026-01-05"}).size(), 2u);
  EXPECT_EQ(f.list({"--entity", "period:2026-01"}).size(), 1u);
  EXPECT_EQ(f.list({"--entity", "partner"}).size(), 3u);
}

TEST(AuditCommand, LimitPagesAndHintsTheNextPage) {
  AuditFixture f;
  auto r = f.run({"audit", "list", "--limit", "2", "-o", "ndjson"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);
  EXPECT_NE(r.err.find("--after "), std::string::npos) << "the hint names the next page: " << r.err;
  auto quiet = f.run({"audit", "list", "--limit", "2", "--quiet"});
  EXPECT_TRUE(quiet.err.empty()) << quiet.err;
  EXPECT_EQ(f.list({"--limit", "0"}).size(), 5u);
}

TEST(AuditCommand, BadFiltersGetOneLineAndTheRightExitCode) {
  AuditFixture f;
  auto unknown = f.run({"audit", "list", "--partner", "nope"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_NE(unknown.err.find("'nope'"), std::string::npos) << unknown.err;
  auto bad_time = f.run({"audit", "list", "--since", "last tuesday"});
  EXPECT_EQ(bad_time.exit_code, 6);
  EXPECT_NE(bad_time.err.find("--since"), std::string::npos) << bad_time.err;
  EXPECT_EQ(f.run({"audit", "list", "--limit", "-1"}).exit_code, 6);
  EXPECT_EQ(f.run({"audit", "list", "--limit", "many"}).exit_code, 2);
  EXPECT_EQ(f.run({"audit", "list", "--workspace", "nosuch"}).exit_code, 3) << "a bare slug nobody has";
}
