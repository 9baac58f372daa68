#include "core/result.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

namespace wfa {

namespace {

/// ordered_json keeps fields in the order verbs list them, so JSON output is stable.
using Json = nlohmann::ordered_json;

/// parse_json returns nullopt for invalid text instead of throwing: bad jsonb must not kill a listing.
std::optional<Json> parse_json(const std::string& raw) {
  Json parsed = Json::parse(raw, nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

/// dump replaces invalid UTF-8 with U+FFFD: database text is not guaranteed valid and dump would throw.
std::string dump(const Json& value, int indent = -1) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Json to_json(const Cell& cell) {
  switch (cell.kind()) {
    case Cell::Kind::null:
      return nullptr;
    case Cell::Kind::boolean:
      return cell.as_bool();
    case Cell::Kind::integer:
      return cell.as_integer();
    case Cell::Kind::text:
    case Cell::Kind::time:
      return cell.as_string();
    case Cell::Kind::json:
      return parse_json(cell.as_string()).value_or(Json(cell.as_string()));
  }
  return nullptr;
}

Json row_object(const Table& table, const Row& row) {
  static const Cell null_cell;
  Json object = Json::object();
  for (std::size_t i = 0; i < table.columns.size(); ++i)
    object[table.columns[i]] = to_json(i < row.size() ? row[i] : null_cell);
  return object;
}

Json fields_object(const Result& result, int schema_version) {
  Json object = Json::object();
  object["schema_version"] = schema_version;
  for (const auto& [key, cell] : result.fields)
    if (key != "schema_version") object[key] = to_json(cell);
  return object;
}

}  // namespace

Cell::Cell() = default;
Cell Cell::null() { return Cell(); }
Cell::Cell(bool value) : kind_(Kind::boolean), boolean_(value) {}
Cell::Cell(std::int64_t value) : kind_(Kind::integer), integer_(value) {}
Cell::Cell(int value) : Cell(static_cast<std::int64_t>(value)) {}
Cell::Cell(std::string value) : kind_(Kind::text), text_(std::move(value)) {}
Cell::Cell(const char* value) {
  if (value == nullptr) return;
  kind_ = Kind::text;
  text_ = value;
}

Cell Cell::time(std::string rfc3339_utc) {
  Cell cell(std::move(rfc3339_utc));
  cell.kind_ = Kind::time;
  return cell;
}

Cell Cell::json(std::string raw_json) {
  Cell cell(std::move(raw_json));
  cell.kind_ = Kind::json;
  return cell;
}

std::string Cell::to_text() const {
  switch (kind_) {
    case Kind::null:
      return {};
    case Kind::boolean:
      return boolean_ ? "true" : "false";
    case Kind::integer:
      return std::to_string(integer_);
    case Kind::text:
    case Kind::time:
      return text_;
    case Kind::json: {
      auto parsed = parse_json(text_);
      return parsed ? dump(*parsed) : text_;
    }
  }
  return {};
}

void write_json(const Result& result, int schema_version, std::ostream& out) {
  Json root = fields_object(result, schema_version);
  for (const Table& table : result.tables) {
    Json rows = Json::array();
    for (const Row& row : table.rows) rows.push_back(row_object(table, row));
    root[table.name] = std::move(rows);
  }
  out << dump(root, 2) << '\n';
}

void write_ndjson(const Result& result, int schema_version, std::ostream& out) {
  if (result.tables.empty()) {
    out << dump(fields_object(result, schema_version)) << '\n';
    return;
  }
  for (const Table& table : result.tables)
    for (const Row& row : table.rows) out << dump(row_object(table, row)) << '\n';
}

}  // namespace wfa
