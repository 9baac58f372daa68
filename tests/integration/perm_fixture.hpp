#pragma once
/// The `wfa perm` integration tests' world: partner acme with workspace acme/main, members of every
/// workspace role, a partner admin and an outsider, made with plain SQL; the binary run against it.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <string>
#include <vector>

#include "tests/support/test_cluster.hpp"

namespace wfa::perm_test {

using nlohmann::json;

/// Every table a perm command may write; counted before and after to prove "nothing changed".
inline const std::vector<std::string> perm_tables = {"profiles",        "profile_permissions", "user_profiles",
                                                     "permission_sets", "permission_set_permissions",
                                                     "user_permission_sets", "teams", "team_members", "record_shares",
                                                     "record_owners",   "audit_log"};

struct Fixture {
  test::TestDatabase db;
  std::map<std::string, std::string> env{{"WFA_DATABASE_URL", db.url()}, {"WFA_ACTOR", "ops@platform"}};

  Fixture() {
    sql("INSERT INTO partners (slug, name, plan_tier) VALUES ('acme', 'Acme', 'starter'), ('zeta', 'Zeta', 'starter')");
    sql("INSERT INTO workspaces (partner_id, slug, name) SELECT id, 'main', 'Main' FROM partners WHERE slug = 'acme'");
    sql("INSERT INTO workspaces (partner_id, slug, name) SELECT id, 'other', 'Other' FROM partners WHERE slug = 'zeta'");
    const std::pair<const char*, const char*> members[] = {{"owner", "owner"},  {"admin", "admin"}, {"alice", "member"},
                                                           {"bob", "member"},    {"carol", "member"}, {"dave", "member"},
                                                           {"erin", "member"},   {"frank", "member"}, {"viewer", "viewer"}};
    for (const auto& [who, role] : members) member(std::string(who) + "@acme.test", role);
    sql("INSERT INTO users (email) VALUES ('padmin@acme.test'), ('outsider@else.test')");
    sql("INSERT INTO partner_members (partner_id, user_id, role) SELECT p.id, u.id, 'admin' FROM partners p, users u"
        " WHERE p.slug = 'acme' AND u.email = 'padmin@acme.test'");
  }

  /// member adds EMAIL as a live member of acme/main with ROLE.
  void member(const std::string& email, const std::string& role) {
    sql("INSERT INTO users (email) VALUES ('" + email + "')");
    sql("INSERT INTO workspace_members (workspace_id, user_id, role) SELECT w.id, u.id, '" + role +
        "' FROM workspaces w, users u WHERE w.slug = 'main' AND u.email = '" + email + "'");
  }

  void sql(const std::string& statement) {
    pqxx::work tx(db.conn());
    tx.exec(statement);
    tx.commit();
  }

  std::string scalar(const std::string& query) {
    pqxx::nontransaction tx(db.conn());
    auto r = tx.exec(query);
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
  }

  /// run runs `wfa perm ARGS --workspace acme/main`.
  ProcessResult run(std::vector<std::string> args) {
    args.insert(args.begin(), "perm");
    args.insert(args.end(), {"--workspace", "acme/main"});
    return test::run_wfa(args, env);
  }

  /// ok runs ARGS and expects exit 0.
  void ok(const std::vector<std::string>& args) {
    auto r = run(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  /// check runs `perm check USER PERMISSION --explain -o json EXTRA...`, expects EXIT and returns the fields.
  json check(const std::string& user, const std::string& permission, std::vector<std::string> extra = {}, int exit = -1) {
    std::vector<std::string> args = {"check", user, permission, "--explain", "-o", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run(args);
    if (exit >= 0) {
      EXPECT_EQ(r.exit_code, exit) << r.err;
    }
    auto doc = json::parse(r.out, nullptr, false);
    if (doc.is_discarded()) return json();
    EXPECT_EQ(doc["allowed"].get<bool>() ? 0 : 5, r.exit_code) << r.err;
    return doc;
  }

  bool allowed(const std::string& user, const std::string& permission, std::vector<std::string> extra = {}) {
    auto doc = check(user, permission, std::move(extra));
    return !doc.is_null() && doc["allowed"].get<bool>();
  }

  std::map<std::string, long> counts() {
    std::map<std::string, long> out;
    for (const auto& t : perm_tables) out[t] = db.count(t);
    return out;
  }
};

}  // namespace wfa::perm_test
