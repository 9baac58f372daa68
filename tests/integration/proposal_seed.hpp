#pragma once
// The proposal tests' workspace: skyline/sales with the 30 W1 locations, their weekly rate cards and the demo photo.
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "core/digest.hpp"
#include "core/file_io.hpp"
#include "pipelines/csv_records.hpp"
#include "pipelines/money.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa::test {

/// seed_w1_workspace makes skyline/sales, its locations and rate cards, stores the demo photo in the file store at
/// STORE and returns the photo's path in it.
inline std::string seed_w1_workspace(IntegrationFixture& f, const std::filesystem::path& store) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"partner", "create", "skyline", "--name", "Skyline Outdoor Media", "--primary-color", "#0B5FA5"},
           {"workspace", "create", "sales", "--partner", "skyline", "--name", "Sales"}})
    if (auto r = f.run(args); r.exit_code != 0) throw std::runtime_error(r.err);
  auto photo = read_file(source_dir() / "fixtures/demo/location_day.jpg", "photo");
  auto sha = sha256_hex(photo);
  auto photo_path = "photos/" + sha.substr(0, 2) + "/" + sha + ".jpg";
  write_file_atomic(store / photo_path, photo);
  auto fx = source_dir() / "fixtures/w1";
  auto batch = CsvTable::parse(read_file(fx / "batch.csv", "batch"), "batch.csv");
  std::map<std::string, std::string> names;
  for (const auto& r : batch.records()) names[batch.field(r, "location_key")] = batch.field(r, "location_name");
  auto rates = CsvTable::parse(read_file(fx / "rates.csv", "rates"), "rates.csv");
  std::string sql;
  for (const auto& r : rates.records()) {
    auto key = rates.field(r, "location_key");
    sql += "INSERT INTO locations (workspace_id, location_key, display_name) SELECT id, '" + key + "', '" + names[key] +
           "' FROM workspaces WHERE slug = 'sales';"
           "INSERT INTO location_photos (workspace_id, location_id, time_of_day, finish, path, sha256, media_type, "
           "width, height, bytes) SELECT workspace_id, id, 'day', 'gold', '" +
           photo_path + "', '" + sha + "', 'image/jpeg', 800, 500, " + std::to_string(photo.size()) +
           " FROM locations WHERE location_key = '" + key +
           "';"
           "INSERT INTO rate_cards (workspace_id, location_id, net_rate, upload_fee, municipality_fee_bp, "
           "valid_from) SELECT workspace_id, id, " +
           std::to_string(parse_amount(rates.field(r, "net_rate_week_aed"), 2, "net")) + ", " +
           std::to_string(parse_amount(rates.field(r, "upload_fee_aed"), 2, "upload")) + ", " +
           std::to_string(parse_percent_bp(rates.field(r, "municipality_fee_pct"), "pct")) +
           ", '2024-01-01' FROM locations WHERE location_key = '" + key + "';";
  }
  f.db.exec(sql);
  return photo_path;
}

}  // namespace wfa::test
