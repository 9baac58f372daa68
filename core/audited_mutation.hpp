#pragma once
/// The audited mutation: audit rows written in the change's transaction, then commit (or roll back for a dry run).
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

#include "core/pqxx_fwd.hpp"

namespace wfa {

/// AuditEntry is one audit row; old/new values and metadata are JSON text (empty = NULL / {}).
struct AuditEntry {
  std::string actor;
  std::string action;  ///< dotted, e.g. "partner.create"
  std::string entity_type;
  std::string entity_id;
  std::optional<std::string> partner_id;
  std::optional<std::string> workspace_id;
  std::string old_values;
  std::string new_values;
  std::string metadata;
};

/// set_audit_origin says where this thread's changes come from (a JSON object: the CLI's host, pid, command line and
/// operator; serve's client IP and user agent); record_audit stores it with every entry. Empty: none.
void set_audit_origin(std::string origin_json);

/// record_audit inserts ENTRY inside TX, so the audit row commits or rolls back with the change.
void record_audit(pqxx::dbtransaction& tx, const AuditEntry& entry);

/// record_audits inserts ENTRIES inside TX in one statement, for batch verbs that finish many items at once.
void record_audits(pqxx::dbtransaction& tx, const std::vector<AuditEntry>& entries);

/// row_changed: the row snapshots BEFORE and AFTER (JSON text) differ in more than updated_at, which every UPDATE
/// moves.
bool row_changed(pqxx::transaction_base& tx, const std::string& before, const std::string& after);

/// commit_or_roll_back ends every mutation: commit TX and say DONE, or for a dry run roll it back
/// and say "dry run: WOULD; nothing changed" (the real work ran, so the output is exact).
Result commit_or_roll_back(pqxx::dbtransaction& tx, Result r, bool dry_run, const std::string& done,
                           const std::string& would);

}  // namespace wfa
