// `wfa mockup frame set|list|show|remove`: the billboard corners and effects of a location photo.
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/listing.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/mockup/mockup.hpp"
#include "commands/mockup/mockup_store.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

const char* frame_select =
    "l.location_key AS location, p.time_of_day || '-' || p.finish AS photo, f.points, f.effects, f.version,"
    " p.width AS photo_width, p.height AS photo_height, f.id, f.photo_id, f.created_at, f.updated_at";
const char* frame_from =
    "mockup_frames f JOIN location_photos p ON p.id = f.photo_id JOIN locations l ON l.id = p.location_id";

std::vector<std::pair<std::string, Cell>> frame_fields(pqxx::transaction_base& tx, const std::string& photo_id) {
  return to_fields(tx.exec_params(
      std::string("SELECT ") + frame_select + " FROM " + frame_from + " WHERE f.photo_id = $1::uuid", photo_id));
}

/// target_photo resolves a FrameTarget to its photo row where the session's actor holds PERMISSION.
PhotoRow target_photo(pqxx::transaction_base& tx, const Session& session, const FrameTarget& target,
                      std::string_view permission) {
  auto [time, finish] = split_photo_name(target.photo, "--photo");
  auto ws = workspace_for(tx, session, target.workspace, permission);
  return find_photo(tx, ws.id, target.location, time, finish);
}

std::string reference(const PhotoRow& photo) { return "frame of " + photo.label(); }

}  // namespace

Result run_mockup_frame_set(const MockupFrameSetOptions& o, Session& session) {
  auto points = parse_points(o.points, session.option("points"));
  split_photo_name(o.target.photo, "--photo");
  pqxx::work tx(session.database().ready());
  auto photo = target_photo(tx, session, o.target, "workspace:mockups:update");
  auto quad = normalize_quad(points, photo.width, photo.height);
  tx.exec_params("SELECT 1 FROM location_photos WHERE id = $1::uuid FOR UPDATE", photo.photo_id);
  auto existing = load_frame(tx, photo.photo_id);
  Effects effects = existing ? existing->effects : Effects{};
  if (o.brightness) effects.brightness = *o.brightness;
  if (o.contrast) effects.contrast = *o.contrast;
  if (o.saturation) effects.saturation = *o.saturation;
  if (o.temperature) effects.temperature = *o.temperature;
  if (o.blur) effects.blur = *o.blur;
  if (o.feather) effects.feather = *o.feather;
  check_effects(effects);
  Result r;
  if (existing && existing->quad == quad && existing->effects == effects) {
    r.fields = frame_fields(tx, photo.photo_id);
    r.message = reference(photo) + " already has these corners and effects; nothing changed";
    return r;
  }
  auto before = existing ? row_json(tx, "mockup_frames", existing->id) : std::string();
  auto id =
      tx.exec_params(
            "INSERT INTO mockup_frames (workspace_id, photo_id, points, effects)"
            " SELECT workspace_id, id, $2::jsonb, $3::jsonb FROM location_photos WHERE id = $1::uuid"
            " ON CONFLICT (workspace_id, photo_id) DO UPDATE SET points = EXCLUDED.points, effects = EXCLUDED.effects,"
            " version = mockup_frames.version + 1 RETURNING id",
            photo.photo_id, points_json(quad), effects_json(effects))[0][0]
          .as<std::string>();
  record_audit(tx, {session.actor(), existing ? "mockup.frame.update" : "mockup.frame.set", "mockup_frame", id,
                    photo.partner_id, photo.workspace_id, before, row_json(tx, "mockup_frames", id), ""});
  r.fields = frame_fields(tx, photo.photo_id);
  auto verb = existing ? "updated " : "set ";
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             std::string(verb) + reference(photo) + " (" + format_points(quad) + ")",
                             std::string("would ") + (existing ? "update " : "set ") + reference(photo));
}

Result run_mockup_frame_list(const MockupFrameListOptions& o, Session& session) {
  auto tx = list_transaction(session);
  auto ws = workspace_for(*tx, session, o.workspace, "workspace:mockups:read");
  ListQuery query("mockup frame list", "frames");
  query.select(frame_select)
      .from(frame_from)
      .where("l.workspace_id = ?::uuid", ws.id)
      .where("l.location_key = ?", o.location)
      .order_by({{"l.location_key", "text"}, {"p.time_of_day", "text"}, {"p.finish", "text"}})
      .when_empty("no mockup frames");
  return list_rows(tx, query, o.paging, session);
}

Result run_mockup_frame_show(const MockupFrameShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto photo = target_photo(tx, session, o.target, "workspace:mockups:read");
  require_frame(tx, photo);
  Result r;
  r.fields = frame_fields(tx, photo.photo_id);
  return r;
}

Result run_mockup_frame_remove(const MockupFrameRemoveOptions& o, Session& session) {
  auto& conn = session.database().ready();
  {
    pqxx::read_transaction tx(conn);
    require_frame(tx, target_photo(tx, session, o.target, "workspace:mockups:update"));
  }
  if (!o.dry_run) session.confirm(o.yes, "remove the mockup frame of " + o.target.location + " " + o.target.photo);
  pqxx::work tx(conn);
  auto photo = target_photo(tx, session, o.target, "workspace:mockups:update");
  auto frame = require_frame(tx, photo);
  Result r;
  r.fields = frame_fields(tx, photo.photo_id);
  auto before = row_json(tx, "mockup_frames", frame.id);
  tx.exec_params("DELETE FROM mockup_frames WHERE id = $1::uuid", frame.id);
  record_audit(tx, {session.actor(), "mockup.frame.remove", "mockup_frame", frame.id, photo.partner_id,
                    photo.workspace_id, before, "", ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "removed " + reference(photo),
                             "would remove " + reference(photo));
}

}  // namespace wfa
