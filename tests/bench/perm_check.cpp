// Benchmark of `wfa perm check`: a workspace with many users, grants, teams and shares; 10,000
// checks answered in one process. Run on demand: cmake --build B --target wfa_bench_perm && B/tests/wfa_bench_perm
// Usage: wfa_bench_perm [USERS (2000)] [CHECKS (10000)]; prints checks/s and per-check latency per phase.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "commands/perm/perm_engine.hpp"
#include "tests/support/test_cluster.hpp"

using namespace wfa;
using Clock = std::chrono::steady_clock;

namespace {

/// populate builds one workspace: USERS members, 20 profiles, 50 sets (a tenth of assignments expired),
/// 120 teams four levels deep with a tenth of users leading, 4 records per user and 2 shares per user.
void populate(pqxx::connection_base& conn, int users) {
  pqxx::work tx(conn);
  tx.exec("INSERT INTO partners (slug, name, plan_tier) VALUES ('bench', 'Bench', 'starter')");
  tx.exec("INSERT INTO workspaces (partner_id, slug, name) SELECT id, 'main', 'Main' FROM partners");
  tx.exec_params("INSERT INTO users (email) SELECT 'u' || i || '@bench.test' FROM generate_series(1, $1) i", users);
  tx.exec(
      "INSERT INTO workspace_members (workspace_id, user_id, role) SELECT w.id, u.id,"
      " (ARRAY['owner','admin','member','member','member','viewer'])[1 + abs(hashtext(u.email)) % 6] FROM workspaces "
      "w, users u");
  tx.exec(
      "INSERT INTO profiles (workspace_id, name) SELECT w.id, 'profile' || i FROM workspaces w, generate_series(1, 20) "
      "i");
  tx.exec(
      "INSERT INTO profile_permissions (workspace_id, profile_id, permission) SELECT p.workspace_id, p.id, m || ':' || "
      "r || ':read' FROM profiles p,"
      " unnest(ARRAY['crm','sales','ops','hr','web']) m, unnest(ARRAY['leads','deals']) r WHERE abs(hashtext(p.name || "
      "m)) % 3 = 0");
  tx.exec(
      "INSERT INTO user_profiles (user_id, workspace_id, profile_id, assigned_by) SELECT DISTINCT ON (u.id) u.id, "
      "p.workspace_id,"
      " p.id, 'bench' FROM users u JOIN profiles p ON p.name = 'profile' || (1 + abs(hashtext(u.email)) % 20)");
  tx.exec(
      "INSERT INTO permission_sets (workspace_id, name) SELECT w.id, 'set' || i FROM workspaces w, generate_series(1, "
      "50) i");
  tx.exec(
      "INSERT INTO permission_set_permissions (workspace_id, permission_set_id, permission) SELECT s.workspace_id,"
      " s.id, 'reports:r' || "
      "(abs(hashtext(s.name)) % 30)"
      " || ':' || a FROM permission_sets s, unnest(ARRAY['create','export','*']) a");
  tx.exec(
      "INSERT INTO user_permission_sets (workspace_id, user_id, permission_set_id, granted_by, expires_at)"
      " SELECT s.workspace_id, u.id, s.id, "
      "'bench',"
      " CASE WHEN abs(hashtext(u.email || s.name)) % 10 = 0 THEN now() - interval '1 day' ELSE now() + interval '30 "
      "days' END"
      " FROM users u JOIN permission_sets s ON abs(hashtext(u.email || s.name)) % 25 = 0");
  tx.exec("INSERT INTO teams (workspace_id, name) SELECT w.id, 't1_' || i FROM workspaces w, generate_series(1, 5) i");
  for (int level = 2; level <= 4; ++level)
    tx.exec("INSERT INTO teams (workspace_id, name, parent_team_id) SELECT p.workspace_id, 't" + std::to_string(level) +
            "_' || p.name"
            " || '_' || i, p.id FROM teams p, generate_series(1, 2) i WHERE p.name LIKE 't" +
            std::to_string(level - 1) + "\\_%'");
  tx.exec(
      "INSERT INTO team_members (workspace_id, team_id, user_id, role) SELECT DISTINCT ON (u.id) t.workspace_id, t.id,"
      " u.id,"
      " CASE WHEN abs(hashtext(u.email)) % 10 = 0 THEN 'leader' ELSE 'member' END FROM users u"
      " JOIN (SELECT id, workspace_id, row_number() OVER (ORDER BY name) - 1 AS n, count(*) OVER () AS c FROM teams) t"
      " ON t.n = abs(hashtext(u.email || 'team')) % t.c");
  tx.exec(
      "INSERT INTO record_owners (workspace_id, record_type, record_id, owner_user_id, set_by) SELECT w.id, 'lead',"
      " (row_number() OVER ())::text, u.id, 'bench' FROM workspaces w, users u, generate_series(1, 4)");
  tx.exec(
      "INSERT INTO record_shares (workspace_id, record_type, record_id, user_id, access_level, shared_by) SELECT w.id, "
      "'lead',"
      " (1 + abs(hashtext(u.email || i)) % (SELECT count(*) FROM record_owners))::text, u.id,"
      " (ARRAY['read','read_write','full'])[1 + i % 3], 'bench' FROM workspaces w, users u, generate_series(1, 2) i");
  tx.exec("ANALYZE");
  tx.commit();
}

struct Query {
  std::string user_id;
  std::string permission;
  std::optional<RecordRef> record;
};

struct Stats {
  double seconds = 0;
  std::vector<double> micros;
  int allowed = 0;
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

Stats run(PermissionEngine& engine, pqxx::transaction_base& tx, const std::string& ws,
          const std::vector<Query>& queries) {
  Stats s;
  auto start = Clock::now();
  for (const auto& q : queries) {
    auto t0 = Clock::now();
    if (engine.check(tx, ws, q.user_id, q.permission, q.record).allowed) ++s.allowed;
    s.micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  s.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return s;
}

void print(const char* phase, const Stats& s) {
  double mean = s.seconds * 1e6 / static_cast<double>(s.micros.size());
  std::printf("%-46s %6zu checks %9.0f checks/s  mean %7.1f us  p50 %7.1f us  p99 %7.1f us  (%d allowed)\n", phase,
              s.micros.size(), static_cast<double>(s.micros.size()) / s.seconds, mean, percentile(s.micros, 0.5),
              percentile(s.micros, 0.99), s.allowed);
}

}  // namespace

int main(int argc, char** argv) {
  int users = argc > 1 ? std::stoi(argv[1]) : 2000;
  int checks = argc > 2 ? std::stoi(argv[2]) : 10000;
  try {
    test::rebuild_template();
    test::TestDatabase db;
    auto t0 = Clock::now();
    populate(db.conn(), users);
    std::printf(
        "setup: %d users, %ld profile grants, %ld set assignments, %ld teams, %ld records, %ld shares in %.1f s\n",
        users, db.count("profile_permissions"), db.count("user_permission_sets"), db.count("teams"),
        db.count("record_owners"), db.count("record_shares"), std::chrono::duration<double>(Clock::now() - t0).count());

    pqxx::connection conn(db.url());
    pqxx::nontransaction tx(conn);
    auto ws = tx.exec("SELECT id FROM workspaces")[0][0].as<std::string>();
    std::vector<std::string> ids;
    for (const auto& row : tx.exec("SELECT id FROM users ORDER BY email")) ids.push_back(row[0].as<std::string>());
    auto records = db.count("record_owners");
    std::mt19937 rng(20240301);
    const std::vector<std::string> permissions = {
        "crm:leads:read",          "sales:deals:read",     "workspace:calls:read",
        "workspace:leads:update",  "reports:r7:create",    "reports:r12:export",
        "workspace:agents:delete", "partner:domains:read", "hr:leads:read"};
    // Record checks: a third on the user's own records, a third on records shared with them, a third at random.
    std::vector<std::pair<std::string, std::string>> owned, shared;
    for (const auto& row : tx.exec("SELECT owner_user_id, record_id FROM record_owners"))
      owned.emplace_back(row[0].c_str(), row[1].c_str());
    for (const auto& row : tx.exec("SELECT user_id, record_id FROM record_shares"))
      shared.emplace_back(row[0].c_str(), row[1].c_str());
    std::vector<Query> plain, on_records;
    for (int i = 0; i < checks; ++i) {
      const auto& user = ids[rng() % ids.size()];
      plain.push_back({user, permissions[rng() % permissions.size()], std::nullopt});
      auto pick = i % 3 == 0   ? owned[rng() % owned.size()]
                  : i % 3 == 1 ? shared[rng() % shared.size()]
                               : std::make_pair(user, std::to_string(1 + rng() % records));
      // Actions no role or profile grants, so that every one of these reads the record's access.
      on_records.push_back(
          {pick.first, rng() % 2 ? "crm:leads:write" : "crm:leads:share", RecordRef{"lead", pick.second}});
    }
    PermissionEngine cached(conn);
    print("grants, cold cache (first check of a user loads)", run(cached, tx, ws, plain));
    print("grants, warm cache", run(cached, tx, ws, plain));
    PermissionEngine uncached(conn, std::chrono::milliseconds(0));
    print("grants, no cache (one prepared query per check)", run(uncached, tx, ws, plain));
    print("record access, warm grants (+1 prepared query)", run(cached, tx, ws, on_records));

    test::TempDir dir;
    auto path = (dir.path() / "checks.txt").string();
    {
      std::ofstream out(path);
      for (std::size_t i = 0; i < plain.size(); ++i)
        out << "u" << (1 + rng() % users) << "@bench.test " << plain[i].permission
            << (i % 2 ? " lead:" + std::to_string(1 + i % records) : "") << '\n';
    }
    auto start = Clock::now();
    auto r = test::run_wfa({"perm", "check", "--batch", path, "--workspace", ws, "-o", "ndjson"},
                           {{"WFA_DATABASE_URL", db.url()}});
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%-46s %6d checks %9.0f checks/s  mean %7.1f us  (whole process, exit %d)\n",
                "wfa perm check --batch (half with --record)", checks, checks / seconds, seconds * 1e6 / checks,
                r.exit_code);
    if (r.exit_code != 0 && r.exit_code != 5) std::cerr << r.err;
  } catch (...) {
    auto failure = classify(std::current_exception());
    std::cerr << "wfa_bench_perm: " << failure.message << '\n';
    return 1;
  }
  test::destroy_cluster();
  return 0;
}
