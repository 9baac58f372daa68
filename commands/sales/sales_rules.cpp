// Workspace, location and currency lookups and date/key checks for the sales nouns.
#include "commands/sales/sales_rules.hpp"

#include "pipelines/calendar.hpp"

#include <chrono>
#include <cstdio>

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/session.hpp"
#include "core/audited_mutation.hpp"
#include "pipelines/csv_records.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

void check_photo_variant(const Session& session, const std::string& time_of_day, const std::string& finish) {
  check_choice(session.option("time-of-day"), time_of_day, times_of_day, "day or night");
  check_choice(session.option("finish"), finish, finishes, "gold or silver");
}

const char* outcome_name(Upserted what) {
  switch (what) {
    case Upserted::created:
      return "created";
    case Upserted::updated:
      return "updated";
    default:
      return "unchanged";
  }
}

UpsertOutcome audited_upsert(pqxx::dbtransaction& tx, AuditEntry audit, const std::string& update_action,
                             const std::string& table, const std::optional<std::string>& existing_id,
                             const std::function<std::string()>& insert,
                             const std::function<bool(const std::string& id)>& update) {
  UpsertOutcome outcome;
  if (!existing_id) {
    outcome.id = insert();
    outcome.what = Upserted::created;
  } else {
    outcome.id = *existing_id;
    audit.action = update_action;
    audit.old_values = row_json(tx, table, outcome.id);
    if (!update(outcome.id)) return outcome;
    outcome.what = Upserted::updated;
  }
  audit.entity_id = outcome.id;
  audit.new_values = row_json(tx, table, outcome.id);
  record_audit(tx, audit);
  return outcome;
}

SalesScope find_scope(pqxx::transaction_base& tx, const Session& session, const std::string& workspace,
                      std::string_view permission) {
  return {workspace_for(tx, session, workspace, permission), workspace};
}

LocationRef find_location(pqxx::transaction_base& tx, const SalesScope& scope, const std::string& key, bool lock) {
  auto rows = tx.exec_params(
      std::string("SELECT id, location_key FROM locations WHERE workspace_id = $1::uuid AND location_key = $2") +
          (lock ? " FOR UPDATE" : ""),
      scope.workspace.id, key);
  if (rows.empty())
    throw NotFoundError("location '" + key + "' not found in workspace " + scope.reference,
                        "list locations with `wfa location list --workspace " + scope.reference +
                            "`, or add it with `wfa location add`");
  return {rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
}

CurrencyRef find_currency(pqxx::transaction_base& tx, std::string_view code, const std::string& what) {
  std::string upper(code);
  for (auto& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  auto rows = tx.exec_params("SELECT code, exponent FROM currencies WHERE code = $1", upper);
  if (!rows.empty()) return {rows[0][0].as<std::string>(), rows[0][1].as<int>()};
  std::string supported;
  for (const auto& row : tx.exec("SELECT code FROM currencies ORDER BY code"))
    supported += (supported.empty() ? "" : ", ") + row[0].as<std::string>();
  throw InvalidInputError(
      what + " '" + std::string(code) + "' is not a supported currency (supported: " + supported + ")",
      "`wfa currency list` shows them with their minor-unit exponents");
}

void set_audit_scope(AuditEntry& entry, const SalesScope& scope) {
  entry.partner_id = scope.workspace.partner_id;
  entry.workspace_id = scope.workspace.id;
}

std::string check_date(std::string_view field, std::string_view value) { return iso_date(parse_date(value, field)); }

std::string today_iso() { return iso_date(today_utc()); }

std::string check_location_key(std::string_view field, std::string_view value) {
  auto alnum = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  bool ok = !value.empty() && value.size() <= 64 && alnum(value[0]);
  for (char c : value) ok = ok && (alnum(c) || c == '_' || c == '.' || c == '-');
  if (!ok)
    throw InvalidInputError(
        std::string(field) + " '" + std::string(value) + "' is not a location key",
        "use up to 64 letters, digits, '_', '.' or '-', starting with a letter or digit, e.g. DXB-001");
  return std::string(value);
}

std::optional<std::string> pick_column(const CsvTable& table, const std::vector<std::string>& aliases) {
  for (const auto& name : aliases)
    if (table.column(name)) return name;
  return std::nullopt;
}

std::string require_column(const CsvTable& table, const std::vector<std::string>& aliases) {
  if (auto found = pick_column(table, aliases)) return *found;
  std::string others;
  for (std::size_t i = 1; i < aliases.size(); ++i) others += (i > 1 ? ", " : " (or ") + aliases[i];
  throw InvalidInputError(
      table.source() + ":1: missing column '" + aliases.front() + "'" + (others.empty() ? "" : others + ")"),
      "the first line must name the columns; see the man page for the format");
}

std::optional<std::string> cell(const CsvTable& table, const CsvRow& record, const std::optional<std::string>& column) {
  if (!column) return std::nullopt;
  auto value = table.field(record, *column);
  if (value.empty()) return std::nullopt;
  return value;
}

void RowErrors::add(std::string where_and_what, ErrorCategory category, std::string hint) {
  if (lines_.empty()) {
    category_ = category;
    hint_ = std::move(hint);
  }
  lines_.push_back(std::move(where_and_what));
}

void RowErrors::throw_if_any() const {
  if (lines_.empty()) return;
  std::string more;
  if (lines_.size() > 1) more = " (and " + std::to_string(lines_.size() - 1) + " more bad rows)";
  throw Error(category_, lines_.front() + more, (hint_.empty() ? "fix the row" : hint_) + "; nothing was imported");
}

void rethrow_with_prefix(const std::string& where) {
  try {
    throw;
  } catch (const Error& e) {
    throw Error(e.category(), where + ": " + e.what(), e.hint());
  }
}

}  // namespace wfa
