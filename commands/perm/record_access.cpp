// Owners of protected records and the visibility condition lists share with the check engine.
#include "commands/perm/record_access.hpp"

#include <pqxx/transaction>

namespace wfa {

void set_record_owner(pqxx::transaction_base& tx, const std::string& ws_id, const RecordRef& record,
                      const std::string& user_id, const std::string& set_by) {
  tx.exec_params(
      "INSERT INTO record_owners (workspace_id, record_type, record_id, owner_user_id, set_by)"
      " VALUES ($1::uuid, $2, $3, $4::uuid, $5) ON CONFLICT (workspace_id, record_type, record_id)"
      " DO UPDATE SET owner_user_id = EXCLUDED.owner_user_id, set_by = EXCLUDED.set_by",
      ws_id, record.type, record.id, user_id, set_by);
}

std::string record_reachable_sql(const std::string& type, const std::string& ws_sql, const std::string& id_sql) {
  return "EXISTS (SELECT 1 FROM wfa_record_access(" + ws_sql + ", ?::uuid, '" + type + "', " + id_sql + "))";
}

}  // namespace wfa
