#pragma once
/// The world of the member, invite and telegram integration tests: partner acme (max_users 10) with
/// workspace acme/main, four users and their memberships.
#include <string>
#include <vector>

#include "tests/support/integration_fixture.hpp"

namespace wfa::access_test {

using nlohmann::json;

/// The tables access commands write; counted before and after to prove "nothing changed".
inline const std::vector<std::string> access_tables = {
    "users",           "partner_members",       "workspace_members", "partner_invitations", "workspace_invitations",
    "telegram_groups", "telegram_group_admins", "audit_log"};

/// AccessFixture: acme's owner is owner@acme.test; acme/main has owner@ (owner), admin@ (admin) and
/// member@ (member); outsider@acme.test is a user without memberships.
struct AccessFixture : test::IntegrationFixture {
  AccessFixture() : IntegrationFixture(access_tables) {
    add_partner("acme", "Acme Agency", R"({"max_workspaces": 3, "max_users": 10})");
    add_workspace("acme", "main", "Acme Main");
    add_user("owner@acme.test", "Olivia", "Owner");
    add_user("admin@acme.test", "Adam", "Admin");
    add_user("member@acme.test", "Mia", "Member");
    add_user("outsider@acme.test");
    add_partner_member("acme", "owner@acme.test", "owner");
    add_workspace_member("acme/main", "owner@acme.test", "owner");
    add_workspace_member("acme/main", "admin@acme.test", "admin");
    add_workspace_member("acme/main", "member@acme.test", "member");
  }

  /// role_in_main is EMAIL's live role in acme/main, "" when none.
  std::string role_in_main(const std::string& email) {
    auto main = workspace_id("acme/main");
    return value(
        "SELECT m.role FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE m.removed_at IS NULL"
        " AND m.workspace_id = '" +
        main + "' AND u.email = '" + email + "'");
  }
};

}  // namespace wfa::access_test
