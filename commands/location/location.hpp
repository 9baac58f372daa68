#pragma once
/// `wfa location`: a workspace's billboard locations (add, import from CSV, list, show) and their
/// photos, one per time of day and finish, stored content-addressed in the file store.
#include <optional>
#include <string>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct LocationAddOptions {
  std::string key;
  std::string workspace;  ///< id or PARTNER/SLUG
  std::string name;
  std::optional<std::string> width;  ///< metres, up to 2 decimals
  std::optional<std::string> height;
  std::optional<std::string> type;  ///< static | led | digital (default static)
  std::optional<std::string> series;
  std::optional<std::string> address;
  std::optional<std::string> latitude;   ///< decimal degrees, -90..90
  std::optional<std::string> longitude;  ///< decimal degrees, -180..180
  bool inactive = false;
  bool if_not_exists = false;  ///< an existing key is success, unchanged
  bool dry_run = false;
};

struct LocationImportOptions {
  std::string file;
  std::string encoding = "auto";  ///< csv_encoding's names
  std::string workspace;
  bool dry_run = false;
};

struct LocationListOptions {
  std::string workspace;
  std::optional<std::string> type;
  bool include_inactive = false;
  Paging paging;
};

struct LocationShowOptions {
  std::string key;
  std::string workspace;
};

struct PhotoAddOptions {
  std::string location;
  std::string file;
  std::string workspace;
  std::string time_of_day;  ///< day | night
  std::string finish;       ///< gold | silver
  bool dry_run = false;
};

struct PhotoListOptions {
  std::string location;
  std::string workspace;
  Paging paging;
};

struct PhotoRemoveOptions {
  std::string location;
  std::string workspace;
  std::string time_of_day;
  std::string finish;
  bool yes = false;
  bool dry_run = false;
};

/// LocationAvailabilityOptions: one location's share of voice, day by day, from FROM to TO (inclusive).
struct LocationAvailabilityOptions {
  std::string location;
  std::string workspace;
  std::string from, to;
};

/// LocationOccupancyOptions: every location's (or one's) occupancy over FROM..TO.
struct LocationOccupancyOptions {
  std::string workspace;
  std::string from, to;
  std::optional<std::string> location;
  Paging paging;
};

Result run_location_add(const LocationAddOptions& options, Session& session);
Result run_location_import(const LocationImportOptions& options, Session& session);
Result run_location_list(const LocationListOptions& options, Session& session);
Result run_location_show(const LocationShowOptions& options, Session& session);
Result run_location_photo_add(const PhotoAddOptions& options, Session& session);
Result run_location_photo_list(const PhotoListOptions& options, Session& session);
Result run_location_photo_remove(const PhotoRemoveOptions& options, Session& session);
/// run_location_availability answers runs of days with the same bookings: the share booked and free, and by whom.
Result run_location_availability(const LocationAvailabilityOptions& options, Session& session);
/// run_location_occupancy reports per location the days of the period, the average and peak share booked, and the
/// number of bookings, from the approved bookings' occupations.
Result run_location_occupancy(const LocationOccupancyOptions& options, Session& session);

}  // namespace wfa
