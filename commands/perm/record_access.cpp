// Owners of protected records and the visibility condition lists share with the check engine.
#include "commands/perm/record_access.hpp"

#include <pqxx/transaction>

#include "core/listing.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// write_owner inserts RECORD's owner row, replacing an existing owner when REPLACE.
void write_owner(pqxx::transaction_base& tx, const std::string& ws_id, const RecordRef& record,
                 const std::string& user_id, const std::string& set_by, bool replace) {
  tx.exec_params(
      std::string("INSERT INTO record_owners (workspace_id, record_type, record_id, owner_user_id, set_by)"
                  " VALUES ($1::uuid, $2, $3, $4::uuid, $5) ON CONFLICT (workspace_id, record_type,"
                  " record_id) DO ") +
          (replace ? "UPDATE SET owner_user_id = EXCLUDED.owner_user_id, set_by = EXCLUDED.set_by" : "NOTHING"),
      ws_id, record.type, record.id, user_id, set_by);
}

}  // namespace

void set_record_owner(pqxx::transaction_base& tx, const std::string& ws_id, const RecordRef& record,
                      const std::string& user_id, const std::string& set_by) {
  write_owner(tx, ws_id, record, user_id, set_by, true);
}

void claim_record_owner(pqxx::transaction_base& tx, const std::string& ws_id, const RecordRef& record,
                        const std::string& user_id, const std::string& set_by) {
  write_owner(tx, ws_id, record, user_id, set_by, false);
}

std::string record_reachable_sql(const std::string& type, const std::string& ws_sql, const std::string& id_sql,
                                 const std::string& user) {
  return "EXISTS (SELECT 1 FROM wfa_record_access(" + ws_sql + ", " + user + "::uuid, '" + type + "', " + id_sql + "))";
}

std::optional<std::string> record_reader(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws,
                                         std::string_view read_all) {
  auto actor = actor_of(tx, session);
  if (workspace_allows(tx, actor, ws, read_all)) return std::nullopt;
  return actor.user_id;
}

void only_visible_records(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws, ListQuery& query,
                          const std::string& type, std::string_view read_all, const std::string& ws_sql,
                          const std::string& id_sql) {
  if (auto reader = record_reader(tx, session, ws, read_all))
    query.where(record_reachable_sql(type, ws_sql, id_sql), *reader);
}

}  // namespace wfa
