// `wfa location import FILE.csv`: upsert by location_key, all rows or none.
#include <map>

#include <nlohmann/json.hpp>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/location/location.hpp"
#include "commands/location/location_rules.hpp"
#include "pipelines/csv_records.hpp"
#include "core/input_file.hpp"

namespace wfa {

namespace {

struct ImportRow {
  std::size_t line = 0;
  std::string where;
  LocationValues values;
};

/// checked_rows validates every row before anything is written; duplicate keys must agree.
std::vector<ImportRow> checked_rows(const CsvTable& table) {
  table.require_well_formed();
  auto key = require_column(table, {"location_key", "key"});
  auto name = pick_column(table, {"display_name", "location_name", "name"});
  auto width = pick_column(table, {"width", "width_m"});
  auto height = pick_column(table, {"height", "height_m"});
  auto type = pick_column(table, {"type", "location_type"});
  auto series = pick_column(table, {"series"});
  auto address = pick_column(table, {"address"});
  auto latitude = pick_column(table, {"latitude", "lat"});
  auto longitude = pick_column(table, {"longitude", "lng", "long", "lon"});
  auto active = pick_column(table, {"active", "is_active"});
  RowErrors errors;
  std::vector<ImportRow> rows;
  std::map<std::string, std::size_t> first_row;
  for (const auto& record : table.records()) {
    try {
      LocationInput input{table.field(record, key),     cell(table, record, name),     cell(table, record, width),
                          cell(table, record, height),  cell(table, record, type),     cell(table, record, series),
                          cell(table, record, address), cell(table, record, latitude), cell(table, record, longitude),
                          cell(table, record, active)};
      auto values = check_location(input, "");
      auto [seen, fresh] = first_row.emplace(values.key, rows.size());
      if (fresh) {
        rows.push_back({record.line, table.where(record), std::move(values)});
      } else if (!(rows[seen->second].values == values)) {
        errors.add(table.where(record) + ": location " + values.key +
                   " appears again with different values (first on line " + std::to_string(rows[seen->second].line) +
                   ")");
      }
    } catch (const Error& e) {
      errors.add(table.where(record) + ": " + e.what(), e.category(), e.hint());
    }
  }
  errors.throw_if_any();
  return rows;
}

}  // namespace

Result run_location_import(const LocationImportOptions& o, Session& session) {
  auto table = CsvTable::parse(read_input_file(o.file, "CSV file", max_csv_table_bytes), o.file,
                               csv_options_for(session.option("encoding"), o.encoding));
  auto rows = checked_rows(table);
  auto interruptible = session.interruptible();
  pqxx::work tx(session.database().ready());
  auto scope = find_scope(tx, session, o.workspace, "workspace:locations:update");
  Table out{"locations", {"line", "location_key", "outcome", "id"}, {}};
  std::map<Upserted, int> counts;
  for (const auto& row : rows) {
    auto metadata = nlohmann::json{{"import", o.file}, {"line", row.line}}.dump();
    auto outcome =
        with_row_prefix(row.where, [&] { return upsert_location(tx, scope, row.values, session.actor(), metadata); });
    ++counts[outcome.what];
    out.rows.push_back({Cell(static_cast<std::int64_t>(row.line)), Cell(row.values.key),
                        Cell(outcome_name(outcome.what)), Cell(outcome.id)});
  }
  Result r;
  r.tables.push_back(std::move(out));
  auto summary = std::to_string(rows.size()) + " locations from " + o.file + ": " +
                 std::to_string(counts[Upserted::created]) + " created, " + std::to_string(counts[Upserted::updated]) +
                 " updated, " + std::to_string(counts[Upserted::unchanged]) + " unchanged";
  session.stop_if_interrupted("the location import of " + o.file);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "imported " + summary, "would import " + summary);
}

}  // namespace wfa
