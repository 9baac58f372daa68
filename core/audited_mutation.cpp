#include "core/audited_mutation.hpp"

#include <pqxx/transaction>

namespace wfa {

void record_audit(pqxx::dbtransaction& tx, const AuditEntry& e) {
  auto nullable = [](const std::string& s) -> const char* { return s.empty() ? nullptr : s.c_str(); };
  tx.exec_params(
      "INSERT INTO audit_log (actor, partner_id, workspace_id, action, entity_type, entity_id, old_values, new_values, "
      "metadata)"
      " VALUES ($1, $2::uuid, $3::uuid, $4, $5, $6, $7::jsonb, $8::jsonb, COALESCE($9::jsonb, '{}'::jsonb))",
      e.actor, e.partner_id ? e.partner_id->c_str() : nullptr, e.workspace_id ? e.workspace_id->c_str() : nullptr,
      e.action, e.entity_type, nullable(e.entity_id), nullable(e.old_values), nullable(e.new_values),
      nullable(e.metadata));
}

Result commit_or_roll_back(pqxx::dbtransaction& tx, Result r, bool dry_run, const std::string& done,
                           const std::string& would) {
  if (dry_run) {
    tx.abort();
    r.message = "dry run: " + would + "; nothing changed";
  } else {
    tx.commit();
    r.message = done;
  }
  return r;
}

}  // namespace wfa
