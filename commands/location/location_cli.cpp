// Flags of `wfa location` and `wfa location photo`.
#include "commands/sales/sales_rules.hpp"
#include "cli/command_cli.hpp"
#include "commands/location/location.hpp"
#include "commands/location/location_rules.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

namespace {

const char* const workspace_help = "Workspace: id or PARTNER/SLUG, e.g. acme/main";

void register_photo(CLI::App& location, Dispatch& dispatch) {
  auto* photo = location.add_subcommand("photo", "Manage a location's photos (day/night, gold/silver finish)");
  photo->require_subcommand(1);
  auto variant_check = [](CLI::Option* time_of_day, CLI::Option* finish) {
    time_of_day->check(CLI::IsMember(times_of_day))->required();
    finish->check(CLI::IsMember(finishes))->required();
  };

  auto add_o = std::make_shared<PhotoAddOptions>();
  auto* add = photo->add_subcommand("add", "Store a JPEG or PNG as the location's photo of one variant (replaces it)");
  add->add_option("LOCATION", add_o->location, "Location key")->required();
  add->add_option("FILE", add_o->file, "JPEG or PNG file")->required();
  add->add_option("--workspace", add_o->workspace, workspace_help)->required();
  variant_check(add->add_option("--time-of-day", add_o->time_of_day, "day or night"),
                add->add_option("--finish", add_o->finish, "gold or silver"));
  add->add_flag("--dry-run", add_o->dry_run, "Check the image and show the photo row; change nothing");
  on_run(add, dispatch, [add_o](Session& session) { return run_location_photo_add(*add_o, session); });

  auto list_o = std::make_shared<PhotoListOptions>();
  auto* list = photo->add_subcommand("list", "List a location's photos");
  list->add_option("LOCATION", list_o->location, "Location key")->required();
  list->add_option("--workspace", list_o->workspace, workspace_help)->required();
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_location_photo_list(*list_o, session); });

  auto remove_o = std::make_shared<PhotoRemoveOptions>();
  auto* remove = photo->add_subcommand("remove", "Remove a location's photo of one variant");
  remove->add_option("LOCATION", remove_o->location, "Location key")->required();
  remove->add_option("--workspace", remove_o->workspace, workspace_help)->required();
  variant_check(remove->add_option("--time-of-day", remove_o->time_of_day, "day or night"),
                remove->add_option("--finish", remove_o->finish, "gold or silver"));
  remove->add_flag("-y,--yes", remove_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  remove->add_flag("--dry-run", remove_o->dry_run, "Show the photo that would be removed; change nothing");
  on_run(remove, dispatch, [remove_o](Session& session) { return run_location_photo_remove(*remove_o, session); });
}

void register_occupancy(CLI::App& location, Dispatch& dispatch) {
  auto avail_o = std::make_shared<LocationAvailabilityOptions>();
  auto* avail = location.add_subcommand("availability", "Show a location's share of voice booked and free, day by day");
  avail->add_option("KEY", avail_o->location, "Location key")->required();
  avail->add_option("--workspace", avail_o->workspace, workspace_help)->required();
  avail->add_option("--from", avail_o->from, "First day, YYYY-MM-DD")->required();
  avail->add_option("--to", avail_o->to, "Last day, YYYY-MM-DD (inclusive)")->required();
  on_run(avail, dispatch, [avail_o](Session& session) { return run_location_availability(*avail_o, session); });

  auto occ_o = std::make_shared<LocationOccupancyOptions>();
  auto* occ = location.add_subcommand("occupancy", "Report each location's average and peak share of voice booked");
  occ->add_option("--workspace", occ_o->workspace, workspace_help)->required();
  occ->add_option("--from", occ_o->from, "First day, YYYY-MM-DD")->required();
  occ->add_option("--to", occ_o->to, "Last day, YYYY-MM-DD (inclusive)")->required();
  occ->add_option("--location", occ_o->location, "Only this location (its key)");
  add_paging(occ, occ_o->paging);
  on_run(occ, dispatch, [occ_o](Session& session) { return run_location_occupancy(*occ_o, session); });
}

}  // namespace

void register_location(CLI::App& root, Dispatch& dispatch) {
  auto* location = root.add_subcommand("location", "Manage billboard locations and their photos");
  location->require_subcommand(1);

  auto add_o = std::make_shared<LocationAddOptions>();
  auto* add = location->add_subcommand("add", "Add a location to a workspace");
  add->add_option("KEY", add_o->key, "Location key, unique per workspace, e.g. DXB-001")->required();
  add->add_option("--workspace", add_o->workspace, workspace_help)->required();
  add->add_option("--name", add_o->name, "Display name shown on proposals")->required();
  add->add_option("--width", add_o->width, "Width in metres");
  add->add_option("--height", add_o->height, "Height in metres");
  add->add_option("--type", add_o->type, "Location type (default static)")
      ->check(CLI::IsMember(location_types, CLI::ignore_case));
  add->add_option("--series", add_o->series, "Series or network the location belongs to");
  add->add_option("--address", add_o->address, "Street address");
  add->add_option("--latitude", add_o->latitude, "Latitude in decimal degrees");
  add->add_option("--longitude", add_o->longitude, "Longitude in decimal degrees");
  add->add_flag("--inactive", add_o->inactive, "Add it as inactive (hidden from lists by default)");
  add->add_flag("--if-not-exists", add_o->if_not_exists, "Succeed without change when the key exists");
  add->add_flag("--dry-run", add_o->dry_run, "Show the location that would be added; change nothing");
  on_run(add, dispatch, [add_o](Session& session) { return run_location_add(*add_o, session); });

  auto import_o = std::make_shared<LocationImportOptions>();
  auto* import = location->add_subcommand("import", "Create or update locations from a CSV file (all rows or none)");
  import->add_option("FILE", import_o->file, "CSV file with a location_key column")->required();
  import->add_option("--encoding", import_o->encoding,
                     "Text encoding: auto (default: UTF-16 or UTF-8 by byte-order mark, else UTF-8), utf-8, utf-16, "
                     "windows-1252 or latin1");
  import->add_option("--workspace", import_o->workspace, workspace_help)->required();
  import->add_flag("--dry-run", import_o->dry_run, "Check the file and show what would change; change nothing");
  on_run(import, dispatch, [import_o](Session& session) { return run_location_import(*import_o, session); });

  auto list_o = std::make_shared<LocationListOptions>();
  auto* list = location->add_subcommand("list", "List a workspace's locations with their photo counts");
  list->add_option("--workspace", list_o->workspace, workspace_help)->required();
  list->add_option("--type", list_o->type, "Only locations of this type")
      ->check(CLI::IsMember(location_types, CLI::ignore_case));
  list->add_flag("--include-inactive", list_o->include_inactive, "Also list inactive locations");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_location_list(*list_o, session); });

  auto show_o = std::make_shared<LocationShowOptions>();
  auto* show = location->add_subcommand("show", "Show a location with its photos and rate cards");
  show->add_option("KEY", show_o->key, "Location key")->required();
  show->add_option("--workspace", show_o->workspace, workspace_help)->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_location_show(*show_o, session); });

  register_photo(*location, dispatch);
  register_occupancy(*location, dispatch);
}

}  // namespace wfa
