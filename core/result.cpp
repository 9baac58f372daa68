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

void each_row(const Table& table, std::ostream& out, const std::function<void(const Row&)>& visit) {
  for (const Row& row : table.rows) {
    if (!out) return;
    visit(row);
  }
  if (!table.more) return;
  std::vector<Row> batch;
  while (out && table.more->next(batch))
    for (const Row& row : batch) visit(row);
}

namespace {

/// indented writes TEXT with every line after the first indented by PAD, as nlohmann nests a value at that depth.
void indented(std::ostream& out, const std::string& text, std::string_view pad) {
  std::size_t start = 0;
  for (;;) {
    auto end = text.find('\n', start);
    out.write(text.data() + start,
              static_cast<std::streamsize>((end == std::string::npos ? text.size() : end) - start));
    if (end == std::string::npos) return;
    out << '\n' << pad;
    start = end + 1;
  }
}

}  // namespace

void write_json(const Result& result, int schema_version, std::ostream& out) {
  Json head = fields_object(result, schema_version);
  out << "{";
  const char* separator = "\n";
  for (const auto& [key, value] : head.items()) {
    out << separator << "  " << dump(Json(key)) << ": ";
    indented(out, dump(value, 2), "  ");
    separator = ",\n";
  }
  for (const Table& table : result.tables) {
    out << separator << "  " << dump(Json(table.name)) << ": [";
    bool first = true;
    each_row(table, out, [&](const Row& row) {
      out << (first ? "\n    " : ",\n    ");
      indented(out, dump(row_object(table, row), 2), "    ");
      first = false;
    });
    out << (first ? "]" : "\n  ]");
    if (table.more) {
      auto cursor = table.more->next_cursor();
      out << ",\n  \"next_cursor\": " << (cursor.empty() ? std::string("null") : dump(Json(cursor)));
    }
  }
  out << "\n}\n";
}

void write_ndjson(const Result& result, int schema_version, std::ostream& out) {
  if (result.tables.empty()) {
    out << dump(fields_object(result, schema_version)) << '\n';
    return;
  }
  for (const Table& table : result.tables)
    each_row(table, out, [&](const Row& row) { out << dump(row_object(table, row)) << '\n'; });
}

}  // namespace wfa
