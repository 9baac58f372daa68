// Share of voice: locking, the over-100 % check with the days and bookings it names, and the occupation rows.
#include "commands/location/occupancy.hpp"

#include <algorithm>
#include <set>

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "pipelines/calendar.hpp"

namespace wfa {

namespace {

/// max_days bounds a claim or a report period: ten years of days.
constexpr long max_days = 3660;

/// ranges_text is "A..B, C" for the day runs of ROWS (first, last), at most six runs then "and N more".
std::string ranges_text(const pqxx::result& rows) {
  std::string out;
  std::size_t shown = 0;
  for (const auto& row : rows) {
    if (shown == 6) return out + " and " + std::to_string(rows.size() - shown) + " more";
    auto first = row[0].as<std::string>(), last = row[1].as<std::string>();
    out += (out.empty() ? "" : ", ") + (first == last ? first : first + ".." + last);
    ++shown;
  }
  return out;
}

}  // namespace

void lock_claimed_locations(pqxx::transaction_base& tx, const std::string& ws_id,
                            const std::vector<OccupancyClaim>& claims) {
  std::vector<std::string> ids;
  for (const auto& c : claims) ids.push_back(c.location_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (const auto& id : ids)
    tx.exec_params("SELECT 1 FROM locations WHERE workspace_id = $1::uuid AND id = $2::uuid FOR UPDATE", ws_id, id);
}

void check_share_of_voice(pqxx::transaction_base& tx, const std::string& ws_id,
                          const std::vector<OccupancyClaim>& claims, const std::string& what,
                          const std::string& exclude_booking) {
  std::string problems;
  std::set<std::string> holders;
  for (const auto& c : claims) {
    // Days where the occupations already there plus this claim pass 10000 bp, as runs of consecutive days.
    auto runs = tx.exec_params(
        "WITH over AS (SELECT d::date AS day, array_agg(b.number ORDER BY b.number) AS bookings"
        " FROM generate_series($3::date, $4::date, interval '1 day') d JOIN location_occupations o"
        " ON o.workspace_id = $1::uuid AND o.location_id = $2::uuid AND d::date BETWEEN o.start_date AND o.end_date"
        " AND o.booking_id::text IS DISTINCT FROM NULLIF($6, '') JOIN booking_orders b ON b.workspace_id ="
        " o.workspace_id AND b.id = o.booking_id GROUP BY d::date HAVING sum(o.share_bp) + $5::int > 10000),"
        " runs AS (SELECT day, bookings, day - (row_number() OVER (ORDER BY day))::int AS run FROM over)"
        " SELECT min(day)::text, max(day)::text, array_to_string(array_agg(DISTINCT b), ',')"
        " FROM runs, unnest(bookings) b GROUP BY run ORDER BY min(day)",
        ws_id, c.location_id, c.start, c.end, c.share_bp, exclude_booking);
    if (runs.empty()) continue;
    problems += (problems.empty() ? "" : "; ") + c.location_key + " on " + ranges_text(runs);
    for (const auto& row : runs) {
      auto list = row[2].as<std::string>();
      for (std::size_t at = 0; at <= list.size();) {
        auto comma = std::min(list.find(',', at), list.size());
        if (comma > at) holders.insert(list.substr(at, comma - at));
        at = comma + 1;
      }
    }
  }
  if (problems.empty()) return;
  std::string names;
  for (const auto& h : holders) names += (names.empty() ? "" : ", ") + h;
  throw ConflictError(what + " would take more than 100 % share of voice: " + problems + " (held by " + names + ")",
                      "choose other dates or a smaller --share, or cancel a conflicting booking");
}

void occupy(pqxx::transaction_base& tx, const std::string& ws_id, const std::string& booking_id,
            const std::vector<OccupancyClaim>& claims) {
  for (const auto& c : claims)
    tx.exec_params(
        "INSERT INTO location_occupations (workspace_id, location_id, booking_id, start_date, end_date, share_bp)"
        " VALUES ($1::uuid, $2::uuid, $3::uuid, $4::date, $5::date, $6::int)",
        ws_id, c.location_id, booking_id, c.start, c.end, c.share_bp);
}

void check_period(const std::string& from_flag, const std::string& from, const std::string& to_flag,
                  const std::string& to) {
  auto first = parse_date(from, from_flag), last = parse_date(to, to_flag);
  if (last < first)
    throw InvalidInputError(to_flag + " " + to + " is before " + from_flag + " " + from,
                            "give an end date on or after the start date");
  if ((last - first).count() >= max_days)
    throw InvalidInputError(from_flag + " " + from + " to " + to_flag + " " + to + " spans more than ten years",
                            "give a period of at most ten years");
}

std::string percent_sql(const std::string& bp) { return "round((" + bp + ") / 100.0, 2)"; }

}  // namespace wfa
