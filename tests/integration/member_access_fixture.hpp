#pragma once
/// The fixture of the member, invite and telegram integration tests: partner acme (max_users 10)
/// with workspace acme/main, four users and their memberships, and helpers to run wfa against it.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/nontransaction>
#include <string>
#include <vector>

#include "tests/support/run_json.hpp"
#include "tests/support/test_cluster.hpp"

namespace wfa::access_test {

using nlohmann::json;

/// The tables access commands write; counted before and after to prove "nothing changed".
inline const std::vector<std::string> tables = {"users", "partner_members", "workspace_members", "partner_invitations",
                                                "workspace_invitations", "telegram_groups", "telegram_group_admins",
                                                "audit_log"};

/// AccessFixture: acme's owner is owner@acme.test; acme/main has owner@ (owner), admin@ (admin) and
/// member@ (member); outsider@acme.test is a user without memberships.
struct AccessFixture {
  test::TestDatabase db;
  std::map<std::string, std::string> env{{"WFA_DATABASE_URL", db.url()}};

  AccessFixture() {
    exec(R"(INSERT INTO partners (slug, name, plan_tier, resource_limits) VALUES
              ('acme', 'Acme Agency', 'starter', '{"max_workspaces": 3, "max_users": 10}'))");
    exec("INSERT INTO workspaces (partner_id, slug, name) SELECT id, 'main', 'Acme Main' FROM partners WHERE slug = 'acme'");
    exec(R"(INSERT INTO users (email, first_name, last_name) VALUES ('owner@acme.test', 'Olivia', 'Owner'),
              ('admin@acme.test', 'Adam', 'Admin'), ('member@acme.test', 'Mia', 'Member'), ('outsider@acme.test', NULL, NULL))");
    exec(R"(INSERT INTO partner_members (partner_id, user_id, role)
              SELECT p.id, u.id, 'owner' FROM partners p, users u WHERE u.email = 'owner@acme.test')");
    exec(R"(INSERT INTO workspace_members (workspace_id, user_id, role)
              SELECT w.id, u.id, CASE u.email WHEN 'owner@acme.test' THEN 'owner' WHEN 'admin@acme.test' THEN 'admin' ELSE 'member' END
              FROM workspaces w, users u WHERE u.email <> 'outsider@acme.test')");
  }

  ProcessResult run(const std::vector<std::string>& args) { return test::run_wfa(args, env); }

  /// run_json runs ARGS with -o json, expects EXIT, and parses stdout (null when it is not JSON).
  json run_json(std::vector<std::string> args, int exit = 0) { return test::run_wfa_json(std::move(args), env, exit); }

  std::map<std::string, long> counts() {
    std::map<std::string, long> out;
    for (const auto& t : tables) out[t] = db.count(t);
    return out;
  }

  std::string value(const std::string& sql) { return db.value(sql); }

  void exec(const std::string& sql) { db.exec(sql); }

  /// role_in_main is EMAIL's live role in acme/main, "" when none.
  std::string role_in_main(const std::string& email) {
    return value("SELECT m.role FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE m.removed_at IS NULL"
                 " AND u.email = '" + email + "'");
  }
};

}  // namespace wfa::access_test
