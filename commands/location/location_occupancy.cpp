// `wfa location availability|occupancy`: share of voice booked on locations over a period.
#include <string>

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/database.hpp"
#include "core/listing.hpp"
#include "core/session.hpp"
#include "commands/location/location.hpp"
#include "commands/location/occupancy.hpp"
#include "commands/sales/sales_rules.hpp"

namespace wfa {

Result run_location_availability(const LocationAvailabilityOptions& o, Session& session) {
  check_period("--from", o.from, "--to", o.to);
  pqxx::read_transaction tx(session.read_database().ready());
  auto scope = find_scope(tx, session, o.workspace, "workspace:locations:read");
  auto location = find_location(tx, scope, o.location);
  // Days with the same occupations form one run: day minus its rank within its group is constant along a run.
  auto days = tx.exec_params(
      "WITH per_day AS (SELECT d::date AS day, COALESCE(sum(o.share_bp), 0)::int AS used,"
      " COALESCE(string_agg(b.number, ', ' ORDER BY b.number), '') AS bookings FROM generate_series($3::date,"
      " $4::date, interval '1 day') d LEFT JOIN location_occupations o ON o.workspace_id = $1::uuid AND o.location_id ="
      " $2::uuid AND d::date BETWEEN o.start_date AND o.end_date LEFT JOIN booking_orders b ON b.workspace_id ="
      " o.workspace_id AND b.id = o.booking_id GROUP BY d::date), runs AS (SELECT *, day - (row_number() OVER"
      " (PARTITION BY used, bookings ORDER BY day))::int AS run FROM per_day)"
      " SELECT min(day)::text AS from, max(day)::text AS to, count(*) AS days, " +
          percent_sql("used") + " AS booked_pct, " + percent_sql("10000 - used") +
          " AS free_pct, bookings FROM runs GROUP BY run, used, bookings ORDER BY min(day)",
      scope.workspace.id, location.id, o.from, o.to);
  Table runs("days", {"from", "to", "days", "booked_pct", "free_pct", "bookings"});
  std::int64_t free_days = 0, full_days = 0;
  double peak = 0;
  std::string peak_text = "0.00";
  for (const auto& row : days) {
    Row out;
    for (const auto& field : row) out.push_back(field.is_null() ? Cell() : Cell(field.as<std::string>()));
    out[2] = Cell(row[2].as<std::int64_t>());
    runs.rows.push_back(std::move(out));
    auto booked = row[3].as<double>();
    if (booked == 0) free_days += row[2].as<std::int64_t>();
    if (booked >= 100) full_days += row[2].as<std::int64_t>();
    if (booked > peak) {
      peak = booked;
      peak_text = row[3].as<std::string>();
    }
  }
  Result r;
  r.fields = {{"location", Cell(location.key)},
              {"from", Cell(o.from)},
              {"to", Cell(o.to)},
              {"free_days", Cell(free_days)},
              {"fully_booked_days", Cell(full_days)},
              {"peak_booked_pct", Cell(peak_text)}};
  r.tables.push_back(std::move(runs));
  return r;
}

Result run_location_occupancy(const LocationOccupancyOptions& o, Session& session) {
  check_period("--from", o.from, "--to", o.to);
  auto tx = list_transaction(session);
  auto scope = find_scope(*tx, session, o.workspace, "workspace:locations:read");
  std::optional<std::string> location;
  if (o.location) location = find_location(*tx, scope, *o.location).id;
  // Share-days are basis points times days inside the period; the peak is reached on the first day of an occupation.
  ListQuery query("location occupancy", "locations");
  query
      .select("l.location_key AS location, l.display_name AS name, (?::date - ?::date + 1) AS days, " +
                  percent_sql("COALESCE(x.share_days, 0) / (?::date - ?::date + 1)") + " AS occupancy_pct, " +
                  percent_sql("COALESCE(x.peak, 0)") + " AS peak_pct, COALESCE(x.bookings, 0) AS bookings",
              {o.to, o.from, o.to, o.from})
      .from(
          "locations l LEFT JOIN LATERAL (SELECT sum(o.share_bp::bigint * (LEAST(o.end_date, ?::date) -"
          " GREATEST(o.start_date, ?::date) + 1)) AS share_days, count(DISTINCT o.booking_id) AS bookings,"
          " max((SELECT sum(p.share_bp) FROM location_occupations p WHERE p.workspace_id = o.workspace_id AND"
          " p.location_id = o.location_id AND GREATEST(o.start_date, ?::date) BETWEEN p.start_date AND p.end_date))"
          " AS peak FROM location_occupations o WHERE o.workspace_id = l.workspace_id AND o.location_id = l.id AND"
          " o.start_date <= ?::date AND o.end_date >= ?::date) x ON true",
          {o.to, o.from, o.from, o.to, o.from})
      .where("l.workspace_id = ?::uuid", scope.workspace.id)
      .where("l.id = ?::uuid", location)
      .order_by({{"l.location_key", "text"}})
      .when_empty("no locations in workspace " + o.workspace);
  return list_rows(tx, query, o.paging, session);
}

}  // namespace wfa
