#include "commands/tenancy/roles.hpp"

#include <algorithm>
#include <stdexcept>

#include <pqxx/result>
#include <pqxx/transaction_base>

#include "commands/tenancy/permission_match.hpp"

namespace wfa {

std::string_view scope_name(RoleScope scope) { return scope == RoleScope::partner ? "partner" : "workspace"; }

RoleHierarchy::RoleHierarchy(RoleScope scope, std::vector<RoleInfo> roles) : scope_(scope), roles_(std::move(roles)) {
  if (roles_.empty()) throw std::runtime_error("no roles defined for scope " + std::string(scope_name(scope)));
  std::stable_sort(roles_.begin(), roles_.end(), [](const RoleInfo& a, const RoleInfo& b) { return a.rank > b.rank; });
}

RoleHierarchy RoleHierarchy::load(pqxx::transaction_base& tx, RoleScope scope) {
  std::vector<RoleInfo> roles;
  for (const auto& row :
       tx.exec_params("SELECT role, rank FROM roles WHERE scope = $1", std::string(scope_name(scope))))
    roles.push_back({row[0].as<std::string>(), row[1].as<int>()});
  return RoleHierarchy(scope, std::move(roles));
}

bool RoleHierarchy::exists(std::string_view role) const { return rank(role) > 0; }

int RoleHierarchy::rank(std::string_view role) const {
  for (const auto& r : roles_)
    if (r.role == role) return r.rank;
  return 0;
}

bool RoleHierarchy::at_least(std::string_view role, std::string_view minimum) const {
  return exists(role) && exists(minimum) && rank(role) >= rank(minimum);
}

bool RoleHierarchy::can_assign(std::string_view assigner, std::string_view target) const {
  if (!exists(assigner) || !exists(target)) return false;
  return assigner == top() || rank(assigner) > rank(target);
}

const std::string& RoleHierarchy::top() const { return roles_.front().role; }

std::string RoleHierarchy::names() const {
  std::string out;
  for (const auto& r : roles_) out += (out.empty() ? "" : ", ") + r.role;
  return out;
}

std::vector<std::string> role_permissions(pqxx::transaction_base& tx, RoleScope scope, const std::string& role) {
  std::vector<std::string> out;
  for (const auto& row :
       tx.exec_params("SELECT permission FROM role_permissions WHERE scope = $1 AND role = $2 ORDER BY permission",
                      std::string(scope_name(scope)), role))
    out.push_back(row[0].as<std::string>());
  return out;
}

bool grants_allow(const std::vector<std::string>& grants, std::string_view permission) {
  return std::any_of(grants.begin(), grants.end(), [&](const std::string& g) { return grant_matches(g, permission); });
}

}  // namespace wfa
