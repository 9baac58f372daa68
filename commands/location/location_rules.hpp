#pragma once
/// One location's values as typed (flags or a CSV row), checked, and written as an upsert with audit.
#include <cstdint>
#include <optional>
#include <string>

#include "core/listing.hpp"
#include "core/validation.hpp"
#include "core/pqxx_fwd.hpp"
#include "commands/sales/sales_rules.hpp"

namespace wfa {

inline const Choices location_types = {"static", "led", "digital"};

/// LocationInput is a location as typed; nullopt (or, from CSV, a blank cell) means "not given".
struct LocationInput {
  std::string key;
  std::optional<std::string> name, width, height, type, series, address, latitude, longitude, active;
};

/// LocationValues is a checked input. A field not given keeps the stored value; new rows get the defaults
/// (type static, active).
struct LocationValues {
  std::string key;
  std::optional<std::string> name;
  std::optional<std::int64_t> width_cm, height_cm;
  std::optional<std::string> type, series, address;
  std::optional<std::string> latitude, longitude;  ///< validated decimal text, passed to PostgreSQL as is
  std::optional<bool> active;
  bool operator==(const LocationValues&) const = default;
};

/// check_location validates INPUT; messages name fields as PREFIX + name ("--width" for flags, "width" for CSV).
LocationValues check_location(const LocationInput& input, const std::string& prefix);

/// upsert_location creates VALUES' key in the scope's workspace or updates the given fields, writing an
/// audit row (with METADATA, JSON text or "") unless nothing changed. A new location without a name is
/// InvalidInputError.
UpsertOutcome upsert_location(pqxx::dbtransaction& tx, const SalesScope& scope, const LocationValues& values,
                              const std::string& actor, const std::string& metadata);

/// photo_table lists a location's photos (variant, media type, size, digest, store path).
Table photo_table(pqxx::transaction_base& tx, const std::string& location_id);
/// photo_query lists a location's photos by time of day and finish; ONLY_ID narrows to one.
ListQuery photo_query(const std::optional<std::string>& location_id,
                      const std::optional<std::string>& only_id = std::nullopt);

}  // namespace wfa
