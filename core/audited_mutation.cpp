#include "core/audited_mutation.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/transaction>

namespace wfa {

namespace {

thread_local std::string audit_origin;  // per thread: serve answers each request on one

}  // namespace

void set_audit_origin(std::string origin_json) { audit_origin = std::move(origin_json); }

void record_audit(pqxx::dbtransaction& tx, const AuditEntry& e) {
  auto nullable = [](const std::string& s) -> const char* { return s.empty() ? nullptr : s.c_str(); };
  tx.exec_params(
      "INSERT INTO audit_log (actor, partner_id, workspace_id, action, entity_type, entity_id, old_values, new_values, "
      "metadata, origin)"
      " VALUES ($1, $2::uuid, $3::uuid, $4, $5, $6, $7::jsonb, $8::jsonb, COALESCE($9::jsonb, '{}'::jsonb), "
      "$10::jsonb)",
      e.actor, e.partner_id ? e.partner_id->c_str() : nullptr, e.workspace_id ? e.workspace_id->c_str() : nullptr,
      e.action, e.entity_type, nullable(e.entity_id), nullable(e.old_values), nullable(e.new_values),
      nullable(e.metadata), nullable(audit_origin));
}

void record_audits(pqxx::dbtransaction& tx, const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return;
  auto text = [](const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); };
  auto rows = nlohmann::json::array();
  for (const auto& e : entries)
    rows.push_back({{"actor", e.actor},
                    {"partner_id", e.partner_id ? nlohmann::json(*e.partner_id) : nlohmann::json()},
                    {"workspace_id", e.workspace_id ? nlohmann::json(*e.workspace_id) : nlohmann::json()},
                    {"action", e.action},
                    {"entity_type", e.entity_type},
                    {"entity_id", text(e.entity_id)},
                    {"old_values", text(e.old_values)},
                    {"new_values", text(e.new_values)},
                    {"metadata", text(e.metadata)}});
  tx.exec_params(
      "INSERT INTO audit_log (actor, partner_id, workspace_id, action, entity_type, entity_id, old_values, new_values,"
      " metadata, origin)"
      " SELECT actor, partner_id, workspace_id, action, entity_type, entity_id, old_values::jsonb, new_values::jsonb,"
      " COALESCE(metadata::jsonb, '{}'::jsonb), $2::jsonb"
      " FROM jsonb_to_recordset($1::jsonb) AS e(actor text, partner_id uuid, workspace_id uuid, action text,"
      " entity_type text, entity_id text, old_values text, new_values text, metadata text)",
      rows.dump(), audit_origin.empty() ? nullptr : audit_origin.c_str());
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

bool row_changed(pqxx::transaction_base& tx, const std::string& before, const std::string& after) {
  return tx.exec_params("SELECT ($1::jsonb - 'updated_at') <> ($2::jsonb - 'updated_at')", before, after)[0][0]
      .as<bool>();
}

}  // namespace wfa
