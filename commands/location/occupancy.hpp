#pragma once
/// Share of voice on a location: what a booking claims, the check that no day goes above 100 % (10000 basis points)
/// under the locations' row locks, and the occupation rows an approval writes.
#include <string>
#include <vector>

#include "core/pqxx_fwd.hpp"

namespace wfa {

/// OccupancyClaim is a share of voice wanted on one location for a run of days (inclusive).
struct OccupancyClaim {
  std::string location_id;
  std::string location_key;
  std::string start, end;  ///< YYYY-MM-DD
  int share_bp = 10000;
};

/// lock_claimed_locations takes the row locks of the claimed locations in id order (so two approvals never deadlock):
/// every occupation written by an approval before this one is then visible to the check that follows.
void lock_claimed_locations(pqxx::transaction_base& tx, const std::string& ws_id,
                            const std::vector<OccupancyClaim>& claims);

/// check_share_of_voice throws ConflictError (4) when a claim would put its location above 100 % on any day, naming
/// WHAT (e.g. "booking BO-2026-0003"), each location with its days as ranges, and the bookings holding those days;
/// occupations of EXCLUDE_BOOKING (an id, or "") do not count.
void check_share_of_voice(pqxx::transaction_base& tx, const std::string& ws_id,
                          const std::vector<OccupancyClaim>& claims, const std::string& what,
                          const std::string& exclude_booking = "");

/// occupy writes the claims of BOOKING_ID as its occupations (after lock_claimed_locations and check_share_of_voice).
void occupy(pqxx::transaction_base& tx, const std::string& ws_id, const std::string& booking_id,
            const std::vector<OccupancyClaim>& claims);

/// check_period accepts FROM..TO (YYYY-MM-DD, FROM ≤ TO, at most ten years), naming the flags in messages (exit 6).
void check_period(const std::string& from_flag, const std::string& from, const std::string& to_flag,
                  const std::string& to);

/// percent_sql formats the basis points expression BP as a percentage with two decimals (SQL numeric).
std::string percent_sql(const std::string& bp);

}  // namespace wfa
