#pragma once
/// Record access for the nouns whose records the 4-level model protects (leads, ...): registering a record's owner,
/// and the SQL condition a list filters its rows with, both read by `wfa perm check --record` too.
#include <string>

#include "core/pqxx_fwd.hpp"
#include "commands/perm/perm_rules.hpp"

namespace wfa {

/// set_record_owner makes USER_ID the owner of RECORD in workspace WS_ID (inserting or replacing the owner row);
/// SET_BY is the actor the row records.
void set_record_owner(pqxx::transaction_base& tx, const std::string& ws_id, const RecordRef& record,
                      const std::string& user_id, const std::string& set_by);

/// record_reachable_sql is a SQL condition for a ListQuery: the user whose id is bound to its one "?" reaches the
/// record of TYPE (a constant) whose workspace and id are the SQL expressions WS_SQL and ID_SQL (text), as owner,
/// leader of the owner's teams up the hierarchy, or through an unexpired share (wfa_record_access, migration 0036).
std::string record_reachable_sql(const std::string& type, const std::string& ws_sql, const std::string& id_sql);

}  // namespace wfa
