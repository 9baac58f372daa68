#pragma once
/// Writing the append-only audit log; every mutation calls record_audit in its transaction.
#include <optional>
#include <string>

#include "cli/pqxx_fwd.hpp"

namespace wfa {

/// AuditEntry is one audit row; old/new values and metadata are JSON text (empty = NULL / {}).
struct AuditEntry {
  std::string actor;
  std::string action;       ///< dotted, e.g. "partner.create"
  std::string entity_type;
  std::string entity_id;
  std::optional<std::string> partner_id;
  std::optional<std::string> workspace_id;
  std::string old_values;
  std::string new_values;
  std::string metadata;
};

/// record_audit inserts ENTRY inside TX, so the audit row commits or rolls back with the change.
void record_audit(pqxx::dbtransaction& tx, const AuditEntry& entry);

}  // namespace wfa
