#pragma once
/// Lookups and input rules shared by the sales nouns (location, rate-card, currency).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/validation.hpp"
#include "core/pqxx_fwd.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

class Session;

inline const Choices times_of_day = {"day", "night"};
inline const Choices finishes = {"gold", "silver"};
/// photo_variants are TIME-FINISH, as `mockup frame` names the photo a frame is drawn on.
inline const Choices photo_variants = {"day-gold", "day-silver", "night-gold", "night-silver"};
/// check_photo_variant refuses (exit 2) a time of day other than day|night or a finish other than gold|silver.
void check_photo_variant(const Session& session, const std::string& time_of_day, const std::string& finish);

struct AuditEntry;
class CsvTable;
struct CsvRow;

/// SalesScope is the workspace a sales command acts in, with its PARTNER/SLUG for messages.
struct SalesScope {
  WorkspaceRef workspace;
  std::string reference;  ///< as the user typed it (id or PARTNER/SLUG)
};

struct LocationRef {
  std::string id;
  std::string key;
};

struct CurrencyRef {
  std::string code;
  int exponent = 2;
};

enum class Upserted { created, updated, unchanged };

struct UpsertOutcome {
  std::string id;
  Upserted what = Upserted::unchanged;
};

/// outcome_name is "created", "updated" or "unchanged".
const char* outcome_name(Upserted what);

/// audited_upsert ends an upsert of a row of TABLE: without EXISTING_ID it runs INSERT (returning the new
/// id) and audits AUDIT.action; otherwise it runs UPDATE (false when nothing differed, then no audit) and
/// audits UPDATE_ACTION with the row before and after.
UpsertOutcome audited_upsert(pqxx::dbtransaction& tx, AuditEntry audit, const std::string& update_action,
                             const std::string& table, const std::optional<std::string>& existing_id,
                             const std::function<std::string()>& insert,
                             const std::function<bool(const std::string& id)>& update);

/// find_scope finds a live workspace for --workspace (NotFoundError, exit 3, if unknown) where the session's actor
/// holds PERMISSION (exit 5).
SalesScope find_scope(pqxx::transaction_base& tx, const Session& session, const std::string& workspace,
                      std::string_view permission);
/// find_location finds KEY in the scope's workspace; LOCK takes its row lock (rate-card windows
/// and photo variants are checked under it). Unknown keys are NotFoundError with a listing hint.
LocationRef find_location(pqxx::transaction_base& tx, const SalesScope& scope, const std::string& key,
                          bool lock = false);
/// find_currency returns CODE (any case) with its exponent; an unsupported code is InvalidInputError
/// naming WHAT and the supported codes.
CurrencyRef find_currency(pqxx::transaction_base& tx, std::string_view code, const std::string& what);
/// set_audit_scope fills the partner and workspace of an audit entry.
void set_audit_scope(AuditEntry& entry, const SalesScope& scope);

/// check_date accepts a calendar date YYYY-MM-DD and returns it; anything else is InvalidInputError naming FIELD.
std::string check_date(std::string_view field, std::string_view value);
/// today_utc is the current UTC date as YYYY-MM-DD.
std::string today_iso();
/// check_location_key mirrors the schema: a letter or digit, then up to 63 letters, digits, '_', '.', '-'.
std::string check_location_key(std::string_view field, std::string_view value);

/// pick_column is the first of ALIASES (lower case) that TABLE's header has.
std::optional<std::string> pick_column(const CsvTable& table, const std::vector<std::string>& aliases);
/// require_column is pick_column that throws "FILE:1: missing column 'a' (or b, c)" when none is there.
std::string require_column(const CsvTable& table, const std::vector<std::string>& aliases);
/// cell is RECORD's trimmed value in COLUMN; nullopt when the column is absent or the cell blank.
std::optional<std::string> cell(const CsvTable& table, const CsvRow& record, const std::optional<std::string>& column);
/// RowErrors gathers per-row problems of an all-or-nothing import so one run reports every bad row.
class RowErrors {
 public:
  /// add records one row's problem; the first one's category becomes the exit code.
  void add(std::string where_and_what, ErrorCategory category = ErrorCategory::invalid_input, std::string hint = {});
  /// throw_if_any throws the first problem (its category and hint) and says how many more rows are bad.
  void throw_if_any() const;

 private:
  std::vector<std::string> lines_;
  ErrorCategory category_ = ErrorCategory::invalid_input;
  std::string hint_;
};
/// with_row_prefix runs F and rethrows any wfa::Error with "FILE:LINE: " before its message, same category.
template <class F>
auto with_row_prefix(const std::string& where, F f) -> decltype(f());
/// rethrow_with_prefix rethrows the current wfa::Error with WHERE prefixed (used by with_row_prefix).
[[noreturn]] void rethrow_with_prefix(const std::string& where);

template <class F>
auto with_row_prefix(const std::string& where, F f) -> decltype(f()) {
  try {
    return f();
  } catch (...) {
    rethrow_with_prefix(where);
  }
}

}  // namespace wfa
