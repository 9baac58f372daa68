// Record types of shares and owners, and the check that a record exists in the named workspace.
#include "commands/perm/perm_records.hpp"

#include <algorithm>

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/validation.hpp"

namespace wfa {

const std::vector<RecordKind>& record_kinds() {
  static const std::vector<RecordKind> kinds = {
      {"campaign", "campaigns", "id", true},
      {"location", "locations", "id", true},
      {"location_photo", "location_photos", "id", true},
      {"rate_card", "rate_cards", "id", true},
      {"proposal", "proposals_log", "proposal_id", false},
      {"mockup_frame", "mockup_frames", "id", true},
      {"mockup_file", "mockup_files", "id", true},
      {"telegram_group", "telegram_groups", "id", true},
      {"ai_agent", "ai_agents", "id", true},
      {"knowledge_document", "knowledge_documents", "id", true},
      {"lead", "leads", "id", true},
      {"booking", "booking_orders", "id", true},
  };
  return kinds;
}

const RecordKind& check_record_form(const RecordRef& record, const std::string& ws_label) {
  const auto& kinds = record_kinds();
  auto kind = std::find_if(kinds.begin(), kinds.end(), [&](const RecordKind& k) { return record.type == k.type; });
  if (kind == kinds.end()) {
    std::string known;
    for (const auto& k : kinds) known += (known.empty() ? "" : ", ") + std::string(k.type);
    throw InvalidInputError("record " + record.text() + " is of type '" + record.type + "', which wfa does not keep",
                            "name a record of one of these types: " + known);
  }
  if (kind->uuid_key && !is_uuid(record.id))
    throw InvalidInputError("record " + record.text() + ": '" + record.id + "' is not a " + kind->type + " id (a UUID)",
                            std::string("give the id of a ") + kind->type + " of workspace " + ws_label);
  return *kind;
}

RecordRef require_record(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& ws_label,
                         const RecordRef& record) {
  const auto& kind = check_record_form(record, ws_label);
  // FOR KEY SHARE: the record cannot be deleted before the share or owner row that names it commits.
  auto rows = tx.exec_params(std::string("SELECT ") + kind.key + "::text FROM " + kind.table +
                                 " WHERE workspace_id = $1::uuid AND " + kind.key + " = $2" +
                                 (kind.uuid_key ? "::uuid" : "") + " FOR KEY SHARE",
                             ws.id, record.id);
  if (rows.empty())
    throw NotFoundError(std::string(kind.type) + " " + record.id + " does not exist in workspace " + ws_label,
                        std::string("give the id of a ") + kind.type + " of that workspace");
  return {record.type, rows[0][0].as<std::string>()};
}

}  // namespace wfa
