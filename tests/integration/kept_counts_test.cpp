// Kept counts (workspaces per partner, members per partner and workspace, recipients per campaign and import)
// equal full counts after any sequence of changes, including concurrent ones.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include <pqxx/pqxx>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;

namespace {

/// The kept and the scanned count of every parent, side by side, where they differ.
const char* const mismatches =
    "SELECT 'partner workspaces ' || p.slug FROM partners p WHERE p.workspace_count <>"
    " (SELECT count(*) FROM workspaces w WHERE w.partner_id = p.id AND w.deleted_at IS NULL)"
    " UNION ALL SELECT 'partner members ' || p.slug FROM partners p WHERE p.member_count <>"
    " (SELECT count(*) FROM partner_members m WHERE m.partner_id = p.id AND m.removed_at IS NULL)"
    " UNION ALL SELECT 'workspace members ' || w.slug FROM workspaces w WHERE w.member_count <>"
    " (SELECT count(*) FROM workspace_members m WHERE m.workspace_id = w.id AND m.removed_at IS NULL)"
    " UNION ALL SELECT 'campaign recipients ' || c.name FROM campaigns c WHERE c.recipient_count <>"
    " (SELECT count(*) FROM campaign_recipients r WHERE r.campaign_id = c.id)"
    " UNION ALL SELECT 'import recipients ' || i.id FROM campaign_imports i WHERE i.recipient_count <>"
    " (SELECT count(*) FROM campaign_recipients r WHERE r.import_id = i.id)";

/// one_change makes a random change of the kinds the verbs make, in its own transaction.
void one_change(test::IntegrationFixture& f, pqxx::connection& conn, std::mt19937& rng, int serial) {
  pqxx::work tx(conn);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto ws = "(SELECT id FROM workspaces ORDER BY slug OFFSET " + std::to_string(pick(6)) + " LIMIT 1)";
  auto campaign = "(SELECT id FROM campaigns ORDER BY name OFFSET " + std::to_string(pick(3)) + " LIMIT 1)";
  switch (pick(7)) {
    case 0:
      tx.exec("INSERT INTO workspaces (partner_id, slug, name) SELECT id, 'x" + std::to_string(serial) +
              "', 'X' FROM partners ORDER BY slug OFFSET " + std::to_string(pick(2)) + " LIMIT 1");
      break;
    case 1:
      tx.exec("UPDATE workspaces SET deleted_at = CASE WHEN deleted_at IS NULL THEN now() END WHERE id = " + ws);
      break;
    case 2:
      tx.exec("INSERT INTO workspace_members (workspace_id, user_id, role) SELECT " + ws +
              ", u.id, 'member' FROM users u ORDER BY random() LIMIT 1 ON CONFLICT DO NOTHING");
      break;
    case 3:
      tx.exec(
          "UPDATE workspace_members SET removed_at = now() WHERE id = (SELECT id FROM workspace_members"
          " WHERE removed_at IS NULL ORDER BY random() LIMIT 1)");
      break;
    case 4:
      tx.exec(
          "INSERT INTO partner_members (partner_id, user_id, role) SELECT p.id, u.id, 'member'"
          " FROM partners p, users u ORDER BY random() LIMIT 1 ON CONFLICT DO NOTHING");
      break;
    case 5: {
      // Recipients arrive only through the importer, which keeps the counts itself: run the real one.
      static const char* const campaigns[] = {"alpha/a1/ca1", "alpha/a2/ca2", "beta/b1/cb1"};
      std::string csv = "phone\n";
      for (int g = 1 + pick(40); g > 0; --g)
        csv += "+97150" + std::to_string(10000 + serial) + std::to_string(10 + g) + "\n";
      auto file = f.file("r" + std::to_string(serial) + ".csv", csv);
      auto r = test::run_wfa({"campaign", "import", campaigns[pick(3)], file}, f.env);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      break;
    }
    default:
      tx.exec("DELETE FROM campaign_recipients WHERE campaign_id = " + campaign +
              " AND id % 3 = " + std::to_string(pick(3)));
  }
  tx.commit();
}

}  // namespace

TEST(KeptCounts, EqualFullCountsAfterRandomAndConcurrentChanges) {
  test::IntegrationFixture f;
  f.add_partner("alpha", "Alpha");
  f.add_partner("beta", "Beta");
  for (const char* w : {"a1", "a2", "a3"}) f.add_workspace("alpha", w, w);
  for (const char* w : {"b1", "b2", "b3"}) f.add_workspace("beta", w, w);
  f.exec("INSERT INTO users (email) SELECT 'u' || g || '@wfa.example' FROM generate_series(1, 30) g");
  f.exec(
      "INSERT INTO campaigns (workspace_id, name, timezone, created_by) SELECT id, 'c' || slug, 'UTC', 't'"
      " FROM workspaces WHERE slug IN ('a1', 'a2', 'b1')");
  auto csv = f.file("r.csv", "phone,first_name\n+971501234567,A\n+971501234568,B\n+971501234569,C\n");
  auto imported = f.run({"campaign", "import", "alpha/a1/ca1", csv});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;

  std::mt19937 rng(2026);
  pqxx::connection conn(f.db.url());
  for (int i = 0; i < 150; ++i) one_change(f, conn, rng, i);
  EXPECT_EQ(f.value("SELECT string_agg(m, ', ') FROM (" + std::string(mismatches) + ") x(m)"), "");

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      pqxx::connection own(f.db.url());
      std::mt19937 local(static_cast<unsigned>(t));
      for (int i = 0; i < 60; ++i) {
        try {
          one_change(f, own, local, 1000 * (t + 1) + i);
        } catch (const pqxx::sql_error&) {
          // A unique slug or phone drawn twice by two threads: that change simply does not happen.
        }
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(f.value("SELECT string_agg(m, ', ') FROM (" + std::string(mismatches) + ") x(m)"), "");
  EXPECT_NE(f.value("SELECT sum(recipient_count) FROM campaigns"), "0");
  auto removed = f.run({"campaign", "recipients", "remove", "alpha/a1/ca1", "+971501234567", "--yes"});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(f.value("SELECT string_agg(m, ', ') FROM (" + std::string(mismatches) + ") x(m)"), "");
}
