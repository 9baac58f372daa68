// `wfa location add|list|show`.
#include "commands/location/location.hpp"

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/listing.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/location/location_rules.hpp"
#include "commands/rate_card/rate_card_rules.hpp"

namespace wfa {

namespace {

/// location_fields is one location as output fields (the same columns `location list` shows, plus ids and times).
std::vector<std::pair<std::string, Cell>> location_fields(pqxx::transaction_base& tx, const std::string& id) {
  return to_fields(
      tx.exec_params("SELECT id, location_key, display_name, location_type AS type, width_m::text AS width_m, "
                     "height_m::text AS height_m,"
                     " series, address, latitude, longitude, is_active, workspace_id, created_at, updated_at FROM "
                     "locations WHERE id = $1::uuid",
                     id));
}

}  // namespace

Result run_location_add(const LocationAddOptions& o, Session& session) {
  LocationInput input{o.key,    o.name,    o.width,    o.height,    o.type,
                      o.series, o.address, o.latitude, o.longitude, std::nullopt};
  if (o.inactive) input.active = "false";
  auto values = check_location(input, "--");
  if (!values.name)
    throw InvalidInputError(session.option("name") + " of location " + o.key + " is missing",
                            "give the name shown on proposals");
  pqxx::work tx(session.database().ready());
  auto scope = find_scope(tx, session, o.workspace, "workspace:locations:update");
  auto existing = tx.exec_params("SELECT id FROM locations WHERE workspace_id = $1::uuid AND location_key = $2",
                                 scope.workspace.id, values.key);
  Result r;
  if (!existing.empty() && o.if_not_exists) {
    r.fields = location_fields(tx, existing[0][0].as<std::string>());
    r.message = "location " + values.key + " already exists; nothing changed";
    return r;
  }
  if (!existing.empty())
    throw ConflictError("location " + values.key + " already exists in workspace " + o.workspace,
                        "see it with `wfa location show " + values.key + " --workspace " + o.workspace +
                            "`; change it with `wfa location import`, or pass --if-not-exists");
  UpsertOutcome outcome;
  try {
    outcome = upsert_location(tx, scope, values, session.actor(), "");
  } catch (const pqxx::unique_violation&) {
    throw ConflictError("location " + values.key + " was added by another run at the same time",
                        "see it with `wfa location show " + values.key + " --workspace " + o.workspace + "`");
  }
  r.fields = location_fields(tx, outcome.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "added location " + values.key,
                             "would add location " + values.key);
}

Result run_location_list(const LocationListOptions& o, Session& session) {
  std::optional<std::string> type;
  if (o.type) type = check_location(LocationInput{"x", {}, {}, {}, o.type, {}, {}, {}, {}, {}}, "--").type;
  auto tx = list_transaction(session);
  auto scope = find_scope(*tx, session, o.workspace, "workspace:locations:read");
  ListQuery query("location list", "locations");
  query
      .select(
          "l.location_key, l.display_name, l.location_type AS type, l.width_m::text AS width_m,"
          " l.height_m::text AS height_m, l.series, l.address, l.latitude, l.longitude, l.is_active,"
          " (SELECT count(*) FROM location_photos p WHERE p.location_id = l.id) AS photos, l.id")
      .from("locations l")
      .where("l.workspace_id = ?::uuid", scope.workspace.id)
      .where("l.location_type = ?", type)
      .order_by({{"l.location_key", "text"}})
      .when_empty("no locations in workspace " + o.workspace);
  if (!o.include_inactive) query.where("l.is_active");
  return list_rows(tx, query, o.paging, session);
}

Result run_location_show(const LocationShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto scope = find_scope(tx, session, o.workspace, "workspace:locations:read");
  auto location = find_location(tx, scope, o.key);
  Result r;
  r.fields = location_fields(tx, location.id);
  r.tables.push_back(photo_table(tx, location.id));
  r.tables.push_back(rate_card_table(tx, scope.workspace.id, location.id, std::nullopt));
  return r;
}

}  // namespace wfa
