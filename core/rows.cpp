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

std::vector<std::pair<std::string, Cell>> to_fields(const pqxx::result& rows) {
  std::vector<std::pair<std::string, Cell>> fields;
  if (rows.empty()) return fields;
  for (pqxx::row::size_type c = 0; c < rows.columns(); ++c)
    fields.emplace_back(rows.column_name(c), to_cell(rows[0][c], rows.column_type(c)));
  return fields;
}

Result paged_table(const pqxx::result& rows, std::string name) {
  Result r;
  r.tables.push_back(to_table(rows, name));
  auto& table = r.tables.back();
  long total = rows.empty() ? 0 : rows[0]["total"].as<long>();
  table.columns.pop_back();
  for (auto& row : table.rows) row.pop_back();
  if (total > static_cast<long>(rows.size()))
    r.message = "showing the newest " + std::to_string(rows.size()) + " of " + std::to_string(total) + " " + name +
                "; use --limit 0 for all";
  return r;
}

std::string utc_sql(const std::string& expression) {
  return "to_char((" + expression + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

}  // namespace wfa
