#pragma once
/// What the workspace verbs share: limit overrides, the partner's max_workspaces, output fields.
/// Internal to commands/workspace*.cpp.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/validation.hpp"

namespace pqxx {
class transaction_base;
class dbtransaction;
}  // namespace pqxx

namespace wfa {

inline const Choices workspace_statuses = {"active", "suspended"};
inline const Choices booleans = {"true", "false"};

class Session;

/// parse_limit_overrides reads KEY=N flags: N a whole number >= 0; errors (exit 6) name the key.
std::map<std::string, std::int64_t> parse_limit_overrides(const std::vector<std::string>& specs,
                                                          const Session& session);

/// LockedPartner is a partner row held FOR UPDATE until the transaction ends, so concurrent
/// creates and restores count its workspaces one after the other.
struct LockedPartner {
  std::string id, slug;
  bool deleted = false;
  std::string resource_limits;  ///< JSON object text
};
LockedPartner lock_partner(pqxx::transaction_base& tx, const std::string& partner_id);

/// check_limit_overrides refuses keys no plan or the partner knows and max_workspaces (a partner-wide limit), both
/// exit 6, and a value above the partner's own limit of that key (exit 4: the partner's plan forbids it).
void check_limit_overrides(pqxx::transaction_base& tx, const LockedPartner& partner,
                           const std::map<std::string, std::int64_t>& overrides, const Session& session);

/// require_workspace_room throws InvalidInputError (exit 6) when PARTNER's live workspaces reach max_workspaces;
/// ACTION ("create", "restore") words the message.
void require_workspace_room(pqxx::transaction_base& tx, const LockedPartner& partner, const std::string& action);

/// effective_limits_sql: the partner's limits without max_workspaces, overridden by the workspace's.
inline constexpr const char* effective_limits_sql = "((p.resource_limits - 'max_workspaces') || w.resource_limits)";

/// workspace_fields is one workspace (by id) as the fields of a Result: every column, partner slug, effective_limits.
std::vector<std::pair<std::string, Cell>> workspace_fields(pqxx::transaction_base& tx, const std::string& id);

/// workspace_reference is PARTNER_SLUG/SLUG, the spelling users type.
inline std::string workspace_reference(const std::string& partner_slug, const std::string& slug) {
  return partner_slug + "/" + slug;
}

}  // namespace wfa
