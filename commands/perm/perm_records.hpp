#pragma once
/// The record types that shares and owners may name: which table holds each, and the check that a
/// record exists in a workspace. The one place to add a record type. Internal to commands/perm*.cpp.
#include <string>
#include <vector>

#include "commands/perm/perm_rules.hpp"

namespace wfa {

/// RecordKind is a record type: the workspace-scoped table holding its records and the column of their id.
struct RecordKind {
  const char* type;   ///< TYPE of TYPE:ID, as audit_log's entity_type names it
  const char* table;  ///< a constant, never user input; carries workspace_id (see ARCHITECTURE.md, Citus layout)
  const char* key;    ///< the column whose text is the record id
  bool uuid_key;      ///< the key is a uuid (only uuid-shaped ids can match; stored lower case)
};

/// record_kinds lists every record type, in the order messages list them.
const std::vector<RecordKind>& record_kinds();

/// check_record_form returns RECORD's kind; an unknown type, or an id that cannot be one of that type (not a UUID),
/// is InvalidInputError (6) naming WS_LABEL in its hint.
const RecordKind& check_record_form(const RecordRef& record, const std::string& ws_label);

/// require_record returns RECORD with its id as stored, after locking the record against deletion until the
/// transaction ends. A malformed record is refused by check_record_form (6); a record that does not exist, or belongs to
/// another workspace than WS, is NotFoundError (3) naming the type, the id and WS_LABEL.
RecordRef require_record(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& ws_label,
                         const RecordRef& record);

}  // namespace wfa
