// The role hierarchy and the permission matrix, read from the migration that defines them as data.
#include "commands/tenancy/roles.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "core/paths.hpp"
#include "commands/tenancy/permission_match.hpp"

using namespace wfa;

namespace {

/// Matrix is what migrations/0004 inserts: roles with ranks and grants per (scope, role).
struct Matrix {
  std::map<std::string, std::vector<RoleInfo>> roles;      ///< by scope
  std::map<std::string, std::vector<std::string>> grants;  ///< by "scope/role"
};

const Matrix& matrix() {
  static const Matrix m = [] {
    std::ifstream in(resource_dir("migrations") / "0004_roles_and_telegram.sql");
    std::stringstream text;
    text << in.rdbuf();
    auto sql = text.str();
    Matrix out;
    std::regex role_row(R"(\('(partner|workspace)',\s*'([a-z_]+)',\s*(\d+),\s*')");
    for (std::sregex_iterator it(sql.begin(), sql.end(), role_row), end; it != end; ++it)
      out.roles[(*it)[1]].push_back({(*it)[2], std::stoi((*it)[3])});
    std::regex grant_row(R"(\('(partner|workspace)',\s*'([a-z_]+)',\s*'([^']*)'\))");
    for (std::sregex_iterator it(sql.begin(), sql.end(), grant_row), end; it != end; ++it)
      out.grants[std::string((*it)[1]) + "/" + std::string((*it)[2])].push_back((*it)[3]);
    return out;
  }();
  return m;
}

RoleHierarchy hierarchy(RoleScope scope) {
  return RoleHierarchy(scope, matrix().roles.at(std::string(scope_name(scope))));
}

const std::vector<std::string>& grants(const std::string& scope, const std::string& role) {
  static const std::vector<std::string> none;
  auto it = matrix().grants.find(scope + "/" + role);
  return it == matrix().grants.end() ? none : it->second;
}

/// covers: every part of GRANT is `*` or equal to the same part of OTHER (a grant implies another grant).
bool covers(const std::string& grant, const std::string& other) {
  auto parts = [](const std::string& p) {
    std::vector<std::string> out;
    std::stringstream s(p);
    for (std::string part; std::getline(s, part, ':');) out.push_back(part);
    return out;
  };
  auto g = parts(grant), o = parts(other);
  if (g.size() != 3 || o.size() != 3) return false;
  for (int i = 0; i < 3; ++i)
    if (g[i] != "*" && g[i] != o[i]) return false;
  return true;
}

}  // namespace

TEST(Roles, TheMigrationDefinesBothScopesInRankOrder) {
  auto partner = hierarchy(RoleScope::partner), workspace = hierarchy(RoleScope::workspace);
  EXPECT_EQ(partner.names(), "owner, admin, member");
  EXPECT_EQ(workspace.names(), "owner, admin, member, viewer");
  EXPECT_EQ(partner.top(), "owner");
  EXPECT_EQ(workspace.top(), "owner");
  for (const auto& [scope, roles] : matrix().roles)
    for (const auto& r : roles)
      EXPECT_FALSE(grants(scope, r.role).empty()) << scope << "/" << r.role << " has no grants";
}

TEST(Roles, RankAndAtLeast) {
  auto w = hierarchy(RoleScope::workspace);
  EXPECT_GT(w.rank("owner"), w.rank("admin"));
  EXPECT_GT(w.rank("admin"), w.rank("member"));
  EXPECT_GT(w.rank("member"), w.rank("viewer"));
  EXPECT_EQ(w.rank("boss"), 0);
  EXPECT_FALSE(w.exists("boss"));
  EXPECT_FALSE(hierarchy(RoleScope::partner).exists("viewer"));
  struct Case {
    const char* role;
    const char* minimum;
    bool expected;
  };
  for (const Case& c : {Case{"owner", "admin", true},
                        {"admin", "admin", true},
                        {"member", "admin", false},
                        {"viewer", "member", false},
                        {"member", "viewer", true},
                        {"boss", "viewer", false},
                        {"owner", "boss", false}})
    EXPECT_EQ(w.at_least(c.role, c.minimum), c.expected) << c.role << " >= " << c.minimum;
}

TEST(Roles, CanAssign) {
  auto w = hierarchy(RoleScope::workspace);
  struct Case {
    const char* assigner;
    const char* target;
    bool expected;
  };
  for (const Case& c : {Case{"owner", "owner", true},
                        {"owner", "viewer", true},
                        {"admin", "owner", false},
                        {"admin", "admin", false},
                        {"admin", "member", true},
                        {"admin", "viewer", true},
                        {"member", "member", false},
                        {"viewer", "viewer", false},
                        {"owner", "boss", false},
                        {"boss", "viewer", false}})
    EXPECT_EQ(w.can_assign(c.assigner, c.target), c.expected) << c.assigner << " assigns " << c.target;
}

TEST(Roles, EveryGrantIsWellFormedAndInItsOwnModule) {
  for (const auto& [key, list] : matrix().grants)
    for (const auto& g : list) {
      EXPECT_TRUE(is_well_formed_permission(g, true)) << key << ": " << g;
      EXPECT_EQ(g.substr(0, g.find(':')), key.substr(0, key.find('/'))) << key << ": " << g;
    }
}

TEST(Roles, AHigherRoleHoldsEveryGrantOfALowerOne) {
  for (auto scope : {RoleScope::partner, RoleScope::workspace}) {
    auto h = hierarchy(scope);
    std::string s(scope_name(scope));
    for (std::size_t hi = 0; hi + 1 < h.roles().size(); ++hi) {
      const auto& higher = grants(s, h.roles()[hi].role);
      for (const auto& g : grants(s, h.roles()[hi + 1].role)) {
        bool held = std::any_of(higher.begin(), higher.end(), [&](const std::string& mine) { return covers(mine, g); });
        EXPECT_TRUE(held) << s << "/" << h.roles()[hi].role << " lacks " << g << " of " << h.roles()[hi + 1].role;
      }
    }
  }
}

TEST(Roles, PermissionMatrixTable) {
  struct Case {
    const char* scope;
    const char* role;
    const char* permission;
    bool allowed;
  };
  const Case cases[] = {
      {"workspace", "owner", "workspace:workspace:delete", true},
      {"workspace", "owner", "workspace:billing:update", true},
      {"workspace", "owner", "partner:billing:update", false},
      {"workspace", "admin", "workspace:agents:delete", true},
      {"workspace", "admin", "workspace:members:invite", true},
      {"workspace", "admin", "workspace:invitations:revoke", true},
      {"workspace", "admin", "workspace:billing:read", true},
      {"workspace", "admin", "workspace:billing:update", false},
      {"workspace", "admin", "workspace:workspace:delete", false},
      {"workspace", "member", "workspace:agents:use", true},
      {"workspace", "member", "workspace:agents:read", true},
      {"workspace", "member", "workspace:agents:delete", false},
      {"workspace", "member", "workspace:members:invite", false},
      {"workspace", "member", "workspace:campaigns:create", true},
      {"workspace", "viewer", "workspace:calls:read", true},
      {"workspace", "viewer", "workspace:agents:use", false},
      {"workspace", "viewer", "workspace:campaigns:create", false},
      {"partner", "owner", "partner:billing:update", true},
      {"partner", "owner", "workspace:agents:read", false},
      {"partner", "admin", "partner:workspaces:create", true},
      {"partner", "admin", "partner:members:invite", true},
      {"partner", "admin", "partner:billing:update", false},
      {"partner", "member", "partner:workspaces:read", true},
      {"partner", "member", "partner:workspaces:create", false},
      {"partner", "member", "partner:members:invite", false},
      // Malformed requests never match, not even the owner's wildcard.
      {"workspace", "owner", "workspace:agents", false},
      {"workspace", "owner", "workspace:*:delete", false},
      {"workspace", "owner", "Workspace:agents:read", false},
  };
  for (const auto& c : cases)
    EXPECT_EQ(grants_allow(grants(c.scope, c.role), c.permission), c.allowed)
        << c.scope << "/" << c.role << " " << c.permission;
}
