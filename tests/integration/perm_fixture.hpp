#pragma once
/// The `wfa perm` integration tests' world: partner acme with workspace acme/main, members of every
/// workspace role, a partner admin and an outsider, campaigns 1, 7 and 42 of acme/main and 99 of zeta/other,
/// made with plain SQL; `wfa perm` run against acme/main.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/integration_fixture.hpp"

namespace wfa::perm_test {

using nlohmann::json;

/// Every table a perm command may write; counted before and after to prove "nothing changed".
inline const std::vector<std::string> perm_tables = {"profiles",
                                                     "profile_permissions",
                                                     "user_profiles",
                                                     "permission_sets",
                                                     "permission_set_permissions",
                                                     "user_permission_sets",
                                                     "teams",
                                                     "team_members",
                                                     "record_shares",
                                                     "record_owners",
                                                     "audit_log"};

struct Fixture : test::IntegrationFixture {
  Fixture() : IntegrationFixture(perm_tables) {
    env["WFA_ACTOR"] = "ops@platform";
    add_partner("acme", "Acme");
    add_partner("zeta", "Zeta");
    add_workspace("acme", "main", "Main");
    add_workspace("zeta", "other", "Other");
    const std::pair<const char*, const char*> members[] = {
        {"owner", "owner"}, {"admin", "admin"}, {"alice", "member"}, {"bob", "member"},   {"carol", "member"},
        {"dave", "member"}, {"erin", "member"}, {"frank", "member"}, {"viewer", "viewer"}};
    for (const auto& [who, role] : members) member(std::string(who) + "@acme.test", role);
    add_user("padmin@acme.test");
    add_user("outsider@else.test");
    add_partner_member("acme", "padmin@acme.test", "admin");
    for (int n : {1, 7, 42}) add_campaign("acme/main", n);
    add_campaign("zeta/other", 99);
  }

  /// add_teams makes the team example: team Sales (alice leads, bob and carol members) and team Support (erin leads,
  /// frank member).
  void add_teams() {
    ok({"team", "create", "Sales"});
    ok({"team", "create", "Support"});
    ok({"team", "add", "Sales", "alice@acme.test", "--leader"});
    ok({"team", "add", "Sales", "bob@acme.test"});
    ok({"team", "add", "Sales", "carol@acme.test"});
    ok({"team", "add", "Support", "erin@acme.test", "--leader"});
    ok({"team", "add", "Support", "frank@acme.test"});
  }

  /// campaign_id is the id of seeded campaign N; campaign is it as a record, campaign:ID.
  static std::string campaign_id(int n) {
    std::string digits = std::to_string(n);
    return "00000000-0000-4000-8000-" + std::string(12 - digits.size(), '0') + digits;
  }
  static std::string campaign(int n) { return "campaign:" + campaign_id(n); }

  /// add_campaign inserts campaign N (named cN) into WORKSPACE: the records shares and owners name.
  void add_campaign(const std::string& workspace, int n) {
    exec("INSERT INTO campaigns (id, workspace_id, name, created_by) VALUES ('" + campaign_id(n) + "', '" +
         workspace_id(workspace) + "', 'c" + std::to_string(n) + "', 'test')");
  }

  /// member adds EMAIL as a live member of acme/main with ROLE.
  void member(const std::string& email, const std::string& role) {
    add_user(email);
    add_workspace_member("acme/main", email, role);
  }

  /// perm runs `wfa perm ARGS --workspace acme/main`.
  ProcessResult perm(std::vector<std::string> args) {
    args.insert(args.begin(), "perm");
    args.insert(args.end(), {"--workspace", "acme/main"});
    return run(args);
  }

  /// ok runs `wfa perm ARGS` and expects exit 0.
  void ok(const std::vector<std::string>& args) {
    auto r = perm(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  /// check runs `perm check USER PERMISSION --explain -o json EXTRA...`, expects EXIT and returns the fields.
  json check(const std::string& user, const std::string& permission, std::vector<std::string> extra = {},
             int exit = -1) {
    std::vector<std::string> args = {"check", user, permission, "--explain", "-o", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = perm(args);
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
};

}  // namespace wfa::perm_test
