#include "core/rows.hpp"

#include <pqxx/result>

namespace wfa {

namespace {

// Built-in type OIDs (pg_type.dat); stable across PostgreSQL versions.
constexpr unsigned oid_bool = 16, oid_int8 = 20, oid_int2 = 21, oid_int4 = 23, oid_json = 114, oid_jsonb = 3802,
                   oid_timestamptz = 1184;

Cell to_cell(const pqxx::field& field, unsigned type) {
  if (field.is_null()) return Cell::null();
  switch (type) {
    case oid_bool:
      return Cell(field.as<bool>());
    case oid_int2:
    case oid_int4:
    case oid_int8:
      return Cell(field.as<std::int64_t>());
    case oid_json:
    case oid_jsonb:
      return Cell::json(field.c_str());
    case oid_timestamptz:
      return Cell::time(rfc3339(field.c_str()));
    default:
      return Cell(std::string(field.c_str()));
  }
}

}  // namespace

std::string rfc3339(const std::string& pg_text) {
  std::string out = pg_text;
  if (out.size() > 10 && out[10] == ' ') out[10] = 'T';
  auto dot = out.find('.', 19);
  auto zone = out.find_first_of("+-", 19);
  std::string suffix = zone == std::string::npos ? "" : out.substr(zone);
  out = out.substr(0, dot != std::string::npos ? dot : zone);
  if (suffix == "+00" || suffix.empty()) return out + "Z";
  return out + suffix + (suffix.size() == 3 ? ":00" : "");
}

Table to_table(const pqxx::result& rows, std::string name) {
  Table table{std::move(name), {}, {}};
  std::vector<unsigned> types;
  for (pqxx::row::size_type c = 0; c < rows.columns(); ++c) {
    table.columns.emplace_back(rows.column_name(c));
    types.push_back(rows.column_type(c));
  }
  for (const auto& row : rows) {
    Row out;
    for (pqxx::row::size_type c = 0; c < rows.columns(); ++c) out.push_back(to_cell(row[c], types[c]));
    table.rows.push_back(std::move(out));
  }
  return table;
}

std::vector<std::pair<std::string, Cell>> to_fields(const Table& table) {
  std::vector<std::pair<std::string, Cell>> out;
  if (table.rows.empty()) return out;
  for (std::size_t i = 0; i < table.columns.size(); ++i)
    out.emplace_back(table.columns[i], i < table.rows[0].size() ? table.rows[0][i] : Cell::null());
  return out;
}

Row to_row(const pqxx::row& row, std::size_t columns) {
  Row out;
  out.reserve(columns);
  for (pqxx::row::size_type c = 0; c < columns; ++c) out.push_back(to_cell(row[c], row.column_type(c)));
  return out;
}

std::vector<std::pair<std::string, Cell>> to_fields(const pqxx::result& rows) {
  std::vector<std::pair<std::string, Cell>> fields;
  if (rows.empty()) return fields;
  for (pqxx::row::size_type c = 0; c < rows.columns(); ++c)
    fields.emplace_back(rows.column_name(c), to_cell(rows[0][c], rows.column_type(c)));
  return fields;
}

std::string utc_sql(const std::string& expression) {
  return "to_char((" + expression + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

std::string utc_ms_sql(const std::string& expression) {
  return "to_char((" + expression + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

}  // namespace wfa
