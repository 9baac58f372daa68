#pragma once
/// Membership changes every scope shares: the max_users limit, last-owner protection, adding and
/// re-roling memberships with their audit rows, and memberships as output rows.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "core/listing.hpp"
#include "commands/member/member_scope.hpp"

namespace wfa {

/// require_member_room throws ConflictError (exit 4) when adding EMAIL would pass a workspace's own max_users
/// (its live members) or its partner's (the people, each counted once, in the partner and its live workspaces).
void require_member_room(pqxx::transaction_base& tx, const Scope& scope, const std::string& email);

/// require_other_owner refuses (exit 4) to let VERB ("remove", "demote") take the last holder of
/// the top role away from the scope.
void require_other_owner(pqxx::transaction_base& tx, const Scope& scope, const RoleHierarchy& roles,
                         const MembershipRef& member, const std::string& email, const std::string& verb);

/// add_membership inserts a live membership and its audit row; returns its id.
std::string add_membership(pqxx::dbtransaction& tx, const Scope& scope, const std::string& user_id,
                           const std::string& role, const std::string& invited_by, const std::string& actor,
                           const std::string& metadata);
/// change_role updates a membership's role with an audit row.
void change_role(pqxx::dbtransaction& tx, const Scope& scope, const std::string& membership_id, const std::string& role,
                 const std::string& actor, const std::string& metadata);

/// member_query lists the scope's memberships (columns documented in wfa-member(1)), highest role first;
/// ONLY_ID narrows to one membership, INCLUDE_REMOVED adds removed ones.
ListQuery member_query(const Scope& scope, const std::optional<std::string>& only_id, bool include_removed);
/// member_fields is one membership as the fields of a Result.
std::vector<std::pair<std::string, Cell>> member_fields(pqxx::transaction_base& tx, const Scope& scope,
                                                        const std::string& id);

}  // namespace wfa
