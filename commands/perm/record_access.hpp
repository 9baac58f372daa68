#pragma once
/// Record access for the nouns whose records the 4-level model protects (leads, proposals, ...): registering a record's
/// owner, and the SQL condition a list filters its rows with, both read by `wfa perm check --record` too.
#include <optional>
#include <string>
#include <string_view>

#include "core/pqxx_fwd.hpp"
#include "commands/perm/perm_rules.hpp"

namespace wfa {

class Session;
class ListQuery;

/// set_record_owner makes USER_ID the owner of RECORD in workspace WS_ID (inserting or replacing the owner row);
/// SET_BY is the actor the row records.
void set_record_owner(pqxx::transaction_base& tx, const std::string& ws_id, const RecordRef& record,
                      const std::string& user_id, const std::string& set_by);

/// claim_record_owner makes USER_ID the owner of RECORD in WS_ID unless it has one already (the first writer owns it).
void claim_record_owner(pqxx::transaction_base& tx, const std::string& ws_id, const RecordRef& record,
                        const std::string& user_id, const std::string& set_by);

/// record_reachable_sql is a SQL condition: the user whose id is bound to USER (a ListQuery's "?" by default, or e.g.
/// "$2") reaches the record of TYPE (a constant) whose workspace and id are the SQL expressions WS_SQL and ID_SQL
/// (text), as owner, leader of the owner's teams up the hierarchy, or through an unexpired share (wfa_record_access,
/// migration 0036).
std::string record_reachable_sql(const std::string& type, const std::string& ws_sql, const std::string& id_sql,
                                 const std::string& user = "?");

/// record_reader is whose record access filters a list of WS's records: nullopt when the session's actor holds
/// READ_ALL (e.g. crm:leads:read; the operator, super admins and partner staff do), else the actor's user id.
std::optional<std::string> record_reader(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws,
                                         std::string_view read_all);

/// only_visible_records limits QUERY to the records of TYPE (workspace and id the SQL expressions WS_SQL and ID_SQL)
/// that the session's actor may read in WS: every one with READ_ALL (record_reader), else those their access reaches.
void only_visible_records(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws, ListQuery& query,
                          const std::string& type, std::string_view read_all, const std::string& ws_sql,
                          const std::string& id_sql);

}  // namespace wfa
