#pragma once
/// Query results as output: column names become JSON field names; PostgreSQL types map to
/// cells (bool, integers, json/jsonb embedded, timestamptz as RFC 3339 UTC, the rest text).
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

#include "core/pqxx_fwd.hpp"

namespace wfa {

Table to_table(const pqxx::result& rows, std::string name);
/// to_row converts the first COLUMNS fields of ROW to cells.
Row to_row(const pqxx::row& row, std::size_t columns);
/// to_fields returns the first row as the fields of a single-object Result (empty if no rows).
std::vector<std::pair<std::string, Cell>> to_fields(const pqxx::result& rows);
/// to_fields of a Table is its first row as fields (none when it is empty).
std::vector<std::pair<std::string, Cell>> to_fields(const Table& table);
/// utc_sql is the SQL that renders timestamptz EXPRESSION as RFC 3339 UTC text, e.g. utc_sql("expires_at").
std::string utc_sql(const std::string& expression);
/// utc_ms_sql is utc_sql with milliseconds ("2026-01-02T03:04:05.678Z"), for exports, whose times are data.
std::string utc_ms_sql(const std::string& expression);
/// rfc3339 converts PostgreSQL's ISO timestamptz text ("2026-01-02 03:04:05.6+00") to "2026-01-02T03:04:05Z".
std::string rfc3339(const std::string& pg_text);

}  // namespace wfa
