#pragma once
/// Record access for proposals: who reads every proposal of a workspace, and the filter every list of proposals
/// (`proposal list`, `export proposals`, the Mini App's sales module) applies for the acting user.
#include <string>
#include <string_view>

#include "core/pqxx_fwd.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

class Session;
class ListQuery;

/// proposal_read_all is the grant that reads every proposal of a workspace (workspace owners and admins hold it,
/// migration 0039); without it a user reads the proposals their record access reaches.
inline constexpr std::string_view proposal_read_all = "sales:proposals:read";

/// only_visible_proposals limits QUERY (proposals_log as ALIAS) to the proposals the session's actor may read in WS:
/// every one with proposal_read_all, else those they own, lead the owner's teams for, or have an unexpired share of.
void only_visible_proposals(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws,
                            ListQuery& query, const std::string& alias);

}  // namespace wfa
