// The visibility of proposals under record access, shared by every list of them.
#include "commands/proposal/proposal_rules.hpp"

#include "commands/perm/record_access.hpp"

namespace wfa {

void only_visible_proposals(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws,
                            ListQuery& query, const std::string& alias) {
  only_visible_records(tx, session, ws, query, "proposal", proposal_read_all, alias + ".workspace_id",
                       alias + ".proposal_id");
}

}  // namespace wfa
