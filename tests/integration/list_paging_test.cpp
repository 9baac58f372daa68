// Every list verb pages by keyset (--limit, --after), streams --all, and counts only when asked.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/process.hpp"
#include "tests/support/integration_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

struct PagingFixture : test::IntegrationFixture {
  /// page runs a JSON list and returns its rows and next_cursor.
  std::pair<json, std::string> page(std::vector<std::string> args) {
    auto doc = run_json(std::move(args));
    std::string cursor = doc["next_cursor"].is_string() ? doc["next_cursor"].get<std::string>() : "";
    return {doc, cursor};
  }
  /// audit_rows inserts N audit rows in one statement, spread over N seconds of 2026.
  void audit_rows(long n) {
    exec(
        "INSERT INTO audit_log (created_at, actor, action, entity_type, entity_id)"
        " SELECT '2026-01-01T00:00:00Z'::timestamptz + g * interval '1 second', 'ops@wfa', 'usage.reset', 'period',"
        " g::text FROM generate_series(1, " +
        std::to_string(n) + ") g");
  }
};

std::vector<std::string> keys(const json& rows, const char* a, const char* b) {
  std::vector<std::string> out;
  for (const auto& row : rows) out.push_back(row[a].get<std::string>() + "/" + row[b].get<std::string>());
  return out;
}

}  // namespace

TEST(ListPaging, PagesConcatenatedEqualAllWithNoRowLostOrRepeatedWhileRowsChange) {
  PagingFixture f;
  f.add_partner("alpha", "Alpha");
  f.add_partner("omega", "Omega");
  f.exec(
      "INSERT INTO workspaces (partner_id, slug, name) SELECT p.id, 'w' || lpad(g::text, 3, '0'), 'W' || g"
      " FROM partners p, generate_series(1, 60) g");
  auto all = f.run_json({"workspace", "list", "--all"});
  ASSERT_EQ(all["workspaces"].size(), 120u);
  EXPECT_TRUE(all["next_cursor"].is_null());
  auto expected = keys(all["workspaces"], "partner", "slug");

  std::vector<std::string> seen;
  std::map<std::string, std::string> removed;  ///< removed row -> the last row seen when it was removed
  std::string cursor;
  int pages = 0;
  do {
    std::vector<std::string> args = {"workspace", "list", "--limit", "25"};
    if (!cursor.empty()) args.insert(args.end(), {"--after", cursor});
    auto [doc, next] = f.page(args);
    ASSERT_LE(doc["workspaces"].size(), 25u);
    for (const auto& k : keys(doc["workspaces"], "partner", "slug")) seen.push_back(k);
    cursor = next;
    // Between pages: rows appear before and after the cursor, and a row not yet seen goes away.
    f.exec("INSERT INTO workspaces (partner_id, slug, name) SELECT id, 'a-new-" + std::to_string(pages) +
           "', 'New' FROM partners WHERE slug = 'alpha'");
    f.exec("INSERT INTO workspaces (partner_id, slug, name) SELECT id, 'z-new-" + std::to_string(pages) +
           "', 'New' FROM partners WHERE slug = 'omega'");
    auto gone = "omega/w0" + std::to_string(50 + pages);
    removed[gone] = seen.back();
    f.exec("UPDATE workspaces SET deleted_at = now() WHERE slug = 'w0" + std::to_string(50 + pages) +
           "' AND partner_id = (SELECT id FROM partners WHERE slug = 'omega')");
    ++pages;
  } while (!cursor.empty() && pages < 50);
  ASSERT_LT(pages, 50) << "paging never ended";

  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a row was repeated";
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end())) << "pages left the list's order";
  for (const auto& k : expected) {
    if (!removed.count(k)) {
      EXPECT_TRUE(unique.count(k)) << k << " was lost";
    }
  }
  for (const auto& [k, last_seen] : removed) {
    if (k > last_seen) {
      EXPECT_FALSE(unique.count(k)) << k << " was listed after it was removed";
    }
  }
}

TEST(ListPaging, EveryPageOfEveryFormatHintsTheNextCursorOnStderrOnly) {
  PagingFixture f;
  f.audit_rows(7);
  auto r = f.run({"audit", "list", "--limit", "3", "-o", "plain"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3);
  EXPECT_NE(r.err.find("--after "), std::string::npos) << r.err;
  auto csv = f.run({"audit", "list", "--limit", "3", "-o", "csv"});
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 4) << "header and three rows";
  auto doc = f.run_json({"audit", "list", "--limit", "7"});
  EXPECT_EQ(doc["entries"].size(), 7u);
  EXPECT_TRUE(doc["next_cursor"].is_null()) << "the last page has no next cursor";
  auto last = f.run({"audit", "list", "--limit", "7"});
  EXPECT_EQ(last.err.find("--after"), std::string::npos) << last.err;
}

TEST(ListPaging, MalformedOrForeignCursorIsExitSixWithOneLine) {
  PagingFixture f;
  f.add_partner("alpha", "Alpha");
  f.add_partner("beta", "Beta");
  f.add_workspace("alpha", "one", "One");
  f.add_workspace("alpha", "two", "Two");
  f.add_workspace("beta", "three", "Three");
  auto [doc, from_partners] = f.page({"partner", "list", "--limit", "1"});
  ASSERT_FALSE(from_partners.empty());
  auto [ws, from_alpha] = f.page({"workspace", "list", "--partner", "alpha", "--limit", "1"});
  ASSERT_FALSE(from_alpha.empty());
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"workspace", "list", "--after", "not-a-cursor"},
                                             {"workspace", "list", "--after", "!!!"},
                                             {"workspace", "list", "--after", from_partners},
                                             {"workspace", "list", "--partner", "beta", "--after", from_alpha},
                                             {"audit", "list", "--after", from_alpha}}) {
    auto r = f.run(args);
    EXPECT_EQ(r.exit_code, 6) << args.back() << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("--after"), std::string::npos) << r.err;
  }
  auto r = f.run({"workspace", "list", "--partner", "alpha", "--after", from_alpha, "-o", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto negative = f.run({"workspace", "list", "--limit", "-1"});
  EXPECT_EQ(negative.exit_code, 6) << negative.err;
}

TEST(ListPaging, CountAnswersTheTotalOnlyWhenAsked) {
  PagingFixture f;
  f.audit_rows(250);
  auto doc = f.run_json({"audit", "list", "--count"});
  EXPECT_EQ(doc["count"], 250);
  auto page = f.run_json({"audit", "list"});
  EXPECT_EQ(page["entries"].size(), 100u) << "the documented default page";
  EXPECT_FALSE(page.contains("total"));
  EXPECT_EQ(f.run_json({"audit", "list", "--limit", "0"})["entries"].size(), 250u) << "--limit 0 is --all";
}

TEST(ListPaging, JsonOfAllParsesAndIsComplete) {
  PagingFixture f;
  f.audit_rows(12000);
  auto r = f.run({"audit", "list", "--all", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  ASSERT_EQ(doc["entries"].size(), 12000u);
  EXPECT_EQ(doc["entries"][0]["entity_id"], "12000");
  EXPECT_EQ(doc["entries"][11999]["entity_id"], "1");
  EXPECT_TRUE(doc["next_cursor"].is_null());
  auto nd = f.run({"audit", "list", "--all", "-o", "ndjson"});
  EXPECT_EQ(std::count(nd.out.begin(), nd.out.end(), '\n'), 12000);
}

TEST(ListPaging, ClosedPipeReturnsAtOnceAndLeavesNoQueryRunning) {
  PagingFixture f;
  f.audit_rows(200000);
  auto started = std::chrono::steady_clock::now();
  ProcessOptions options;
  options.set_env = f.env;
  auto r = run_process({"sh", "-c", std::string("'") + WFA_BINARY + "' audit list --all -o ndjson | head -1"}, options);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
  EXPECT_TRUE(r.err.empty()) << "a closed pipe is not an error: " << r.err;
  // Far below reading all 200,000 rows; generous, as the machines tests run on are shared and loaded.
  EXPECT_LT(seconds, 3.0);
  // The dead client's backend may take a moment to notice and exit on a loaded machine; it must not run on.
  std::string running;
  for (int i = 0; i < 30; ++i) {
    running = f.value(
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%wfa_list%' AND pid <> "
        "pg_backend_pid()");
    if (running == "0") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(running, "0");
}

TEST(ListPaging, AnExportToAClosedPipeStopsAtOnceWithoutAWord) {
  PagingFixture f;
  f.add_partner("acme", "Acme");
  f.add_workspace("acme", "main", "Main");
  f.exec(
      "INSERT INTO campaigns (workspace_id, name, timezone, created_by) SELECT id, 'big', 'UTC', 't' FROM workspaces");
  f.exec(
      "INSERT INTO campaign_recipients (workspace_id, campaign_id, phone) SELECT workspace_id, id,"
      " '+97150' || (1000000 + g)::text FROM campaigns, generate_series(1, 300000) g");
  auto started = std::chrono::steady_clock::now();
  ProcessOptions options;
  options.set_env = f.env;
  auto r = run_process(
      {"sh", "-c", std::string("'") + WFA_BINARY + "' campaign recipients export acme/main/big | head -1"}, options);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "phone,first_name,last_name,email,company,timezone,status,variables,created_at,outcome,attempts,"
            "last_attempt_at,next_attempt_at,skip_reason,requires_follow_up\n");
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_LT(seconds, 3.0);  // far below writing all 300,000 rows, on a shared machine
  // As above: the dead client's backend exits a moment later; only this test's database is looked at, since other
  // tests export recipients too.
  std::string copying;
  for (int i = 0; i < 30; ++i) {
    copying = f.value(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY (SELECT "
        "phone%'");
    if (copying == "0") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(copying, "0");
}
