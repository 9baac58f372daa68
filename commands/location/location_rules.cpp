// Checking location values and writing them (insert, or update only what differs).
#include "commands/location/location_rules.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/audited_mutation.hpp"
#include "core/validation.hpp"
#include "pipelines/money.hpp"

namespace wfa {

namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return text;
}

std::optional<std::int64_t> check_metres(const std::optional<std::string>& text, const std::string& field) {
  if (!text) return std::nullopt;
  auto cm = parse_amount(*text, 2, field);
  if (cm <= 0 || cm >= 100000000)
    throw InvalidInputError(field + " '" + *text + "' is out of range",
                            "give metres above 0 and below 1,000,000, e.g. 12.5");
  return cm;
}

std::optional<std::string> check_degrees(const std::optional<std::string>& text, const std::string& field,
                                         double limit) {
  if (!text) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || !std::isfinite(value))
    throw InvalidInputError(field + " '" + *text + "' is not a number", "give decimal degrees, e.g. 25.2048");
  if (value < -limit || value > limit)
    throw InvalidInputError(field + " '" + *text + "' is out of range",
                            "give decimal degrees from " + std::to_string(static_cast<int>(-limit)) + " to " +
                                std::to_string(static_cast<int>(limit)));
  return *text;
}

std::optional<bool> check_active(const std::optional<std::string>& text, const std::string& field) {
  if (!text) return std::nullopt;
  auto value = lower(*text);
  if (value == "true" || value == "yes" || value == "y" || value == "1") return true;
  if (value == "false" || value == "no" || value == "n" || value == "0") return false;
  throw InvalidInputError(field + " '" + *text + "' is not true or false", "write true or false (or yes/no, 1/0)");
}

}  // namespace

LocationValues check_location(const LocationInput& in, const std::string& prefix) {
  LocationValues v;
  v.key = check_location_key(prefix.empty() ? "location_key" : "KEY", in.key);
  if (in.name && in.name->find_first_not_of(" \t") == std::string::npos)
    throw InvalidInputError(prefix + "name of location " + in.key + " is empty", "give the name shown on proposals");
  if (in.name) check_single_line(prefix + "name of location " + in.key, *in.name);
  if (in.series) check_single_line(prefix + "series of location " + in.key, *in.series);
  if (in.address) check_single_line(prefix + "address of location " + in.key, *in.address, 500);
  v.name = in.name;
  v.width_cm = check_metres(in.width, prefix + "width");
  v.height_cm = check_metres(in.height, prefix + "height");
  if (in.type) {
    v.type = lower(*in.type);
    // A flag's value is a usage error (2); a file's cell is bad input at its line (6).
    if (prefix == "--") check_choice("--type", *v.type, location_types, "a location type");
    if (std::find(location_types.begin(), location_types.end(), *v.type) == location_types.end())
      throw InvalidInputError(prefix + "type '" + *in.type + "' is not a location type", "use static, led or digital");
  }
  v.series = in.series;
  v.address = in.address;
  v.latitude = check_degrees(in.latitude, prefix + "latitude", 90);
  v.longitude = check_degrees(in.longitude, prefix + "longitude", 180);
  v.active = check_active(in.active, prefix + "active");
  return v;
}

UpsertOutcome upsert_location(pqxx::dbtransaction& tx, const SalesScope& scope, const LocationValues& v,
                              const std::string& actor, const std::string& metadata) {
  AuditEntry audit{actor, "location.create", "location", "", {}, {}, "", "", metadata};
  set_audit_scope(audit, scope);
  auto existing =
      tx.exec_params("SELECT id FROM locations WHERE workspace_id = $1::uuid AND location_key = $2 FOR UPDATE",
                     scope.workspace.id, v.key);
  if (existing.empty() && !v.name)
    throw InvalidInputError("new location " + v.key + " has no name",
                            "give its display name (column display_name, location_name or name)");
  std::optional<std::string> existing_id;
  if (!existing.empty()) existing_id = existing[0][0].as<std::string>();
  auto insert = [&] {
    return tx
        .exec_params(
            "INSERT INTO locations (workspace_id, location_key, display_name, width_m, height_m, location_type,"
            " series, address, latitude, longitude, is_active) VALUES ($1::uuid, $2, $3, $4::bigint / 100.0,"
            " $5::bigint / 100.0, COALESCE($6, 'static'), $7, $8, $9::float8, $10::float8, COALESCE($11::boolean, "
            "true))"
            " RETURNING id",
            scope.workspace.id, v.key, v.name, v.width_cm, v.height_cm, v.type, v.series, v.address, v.latitude,
            v.longitude, v.active)[0][0]
        .as<std::string>();
  };
  auto update = [&](const std::string& id) {
    return !tx.exec_params(
                  "WITH n AS (SELECT COALESCE($2, display_name) AS display_name, COALESCE($3::bigint / 100.0, width_m) "
                  "AS width_m,"
                  " COALESCE($4::bigint / 100.0, height_m) AS height_m, COALESCE($5, location_type) AS location_type,"
                  " COALESCE($6, series) AS series, COALESCE($7, address) AS address, COALESCE($8::float8, latitude) "
                  "AS latitude,"
                  " COALESCE($9::float8, longitude) AS longitude, COALESCE($10::boolean, is_active) AS is_active"
                  " FROM locations WHERE id = $1::uuid)"
                  " UPDATE locations l SET display_name = n.display_name, width_m = n.width_m, height_m = n.height_m,"
                  " location_type = n.location_type, series = n.series, address = n.address, latitude = n.latitude,"
                  " longitude = n.longitude, is_active = n.is_active FROM n WHERE l.id = $1::uuid AND"
                  " (l.display_name, l.width_m, l.height_m, l.location_type, l.series, l.address, l.latitude, "
                  "l.longitude, l.is_active)"
                  " IS DISTINCT FROM (n.display_name, n.width_m, n.height_m, n.location_type, n.series, n.address, "
                  "n.latitude,"
                  " n.longitude, n.is_active) RETURNING l.id",
                  id, v.name, v.width_cm, v.height_cm, v.type, v.series, v.address, v.latitude, v.longitude, v.active)
                .empty();
  };
  return audited_upsert(tx, audit, "location.update", "locations", existing_id, insert, update);
}

}  // namespace wfa
