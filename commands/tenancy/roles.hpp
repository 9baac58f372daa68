#pragma once
/// Roles of the two membership scopes and their hierarchy. The roles, their ranks and the
/// permission matrix are data (tables `roles` and `role_permissions`, migration 0004).
#include <string>
#include <string_view>
#include <vector>

#include "core/pqxx_fwd.hpp"

namespace wfa {

/// RoleScope is where a membership lives: a partner or a workspace.
enum class RoleScope { partner, workspace };

/// scope_name is the `roles.scope` spelling: "partner" or "workspace".
std::string_view scope_name(RoleScope scope);

/// RoleInfo is one row of `roles`: a higher rank holds every right of a lower one.
struct RoleInfo {
  std::string role;
  int rank = 0;
};

/// RoleHierarchy answers rank questions about the roles of one scope.
class RoleHierarchy {
 public:
  RoleHierarchy(RoleScope scope, std::vector<RoleInfo> roles);
  /// load reads the scope's roles from the `roles` table.
  static RoleHierarchy load(pqxx::transaction_base& tx, RoleScope scope);

  RoleScope scope() const { return scope_; }
  bool exists(std::string_view role) const;
  /// rank of ROLE; 0 for a role the scope does not have.
  int rank(std::string_view role) const;
  /// at_least: ROLE exists and ranks at or above MINIMUM.
  bool at_least(std::string_view role, std::string_view minimum) const;
  /// can_assign: the top role may grant any role; any other may grant only roles ranked strictly below it.
  bool can_assign(std::string_view assigner, std::string_view target) const;
  /// top is the highest-ranked role (owner), which a scope must never lose its last holder of.
  const std::string& top() const;
  /// names lists the roles, highest rank first, comma-separated (for hints).
  std::string names() const;
  /// roles in rank order, highest first.
  const std::vector<RoleInfo>& roles() const { return roles_; }

 private:
  RoleScope scope_;
  std::vector<RoleInfo> roles_;
};

/// role_permissions lists the grants (`module:resource:action`, wildcards allowed) ROLE holds in SCOPE.
std::vector<std::string> role_permissions(pqxx::transaction_base& tx, RoleScope scope, const std::string& role);

/// grants_allow: some grant of GRANTS covers the concrete PERMISSION (see permission_match.hpp).
bool grants_allow(const std::vector<std::string>& grants, std::string_view permission);

}  // namespace wfa
