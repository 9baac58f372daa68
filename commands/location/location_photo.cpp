// `wfa location photo add|list|remove`: one photo per time of day and finish, validated by its bytes.
#include <filesystem>

#include <opencv2/core.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/sales/sales_rules.hpp"
#include "core/listing.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "core/file_store.hpp"
#include "commands/location/location.hpp"
#include "commands/location/location_rules.hpp"
#include "core/input_file.hpp"
#include "pipelines/image_codec.hpp"
#include "pipelines/image_info.hpp"

namespace wfa {

namespace {

std::string variant_text(const std::string& key, const std::string& time_of_day, const std::string& finish) {
  return key + " " + time_of_day + "/" + finish;
}

/// photo_id is the id of the location's photo of one variant, if it has one.
std::optional<std::string> photo_id(pqxx::transaction_base& tx, const std::string& location_id,
                                    const std::string& time_of_day, const std::string& finish) {
  auto rows =
      tx.exec_params("SELECT id FROM location_photos WHERE location_id = $1::uuid AND time_of_day = $2 AND finish = $3",
                     location_id, time_of_day, finish);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

}  // namespace

ListQuery photo_query(const std::optional<std::string>& location_id, const std::optional<std::string>& only_id) {
  ListQuery query("location photo list", "photos");
  query
      .select(
          "p.time_of_day, p.finish, p.media_type, p.width, p.height, p.bytes, p.sha256, p.path, p.original_path, p.id,"
          " p.updated_at")
      .from("location_photos p")
      .where("p.location_id = ?::uuid", location_id)
      .where("p.id = ?::uuid", only_id)
      .order_by({{"p.time_of_day", "text"}, {"p.finish", "text"}});
  return query;
}

Table photo_table(pqxx::transaction_base& tx, const std::string& location_id) {
  return query_table(tx, photo_query(location_id));
}

Result run_location_photo_add(const PhotoAddOptions& o, Session& session) {
  check_photo_variant(session, o.time_of_day, o.finish);
  auto bytes = read_input_file(o.file, "photo", max_image_bytes);
  auto info = inspect_image(bytes, "photo " + o.file);
  // Decoded once here, so a photo that later steps could not read is refused now, not at the first proposal; one that
  // its EXIF orientation turns is stored upright (JPEG quality 95) and the upload is kept as the original.
  std::optional<std::string> original;
  {
    cv::Mat pixels, scratch;
    auto decoded = decode_image({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, "photo " + o.file,
                                PixelLayout::bgr, pixels, scratch);
    if (decoded.orientation != 1) {
      std::vector<std::uint8_t> upright;
      encode_jpeg(
          pixels.cols, pixels.rows, [&](int y) { return pixels.ptr<std::uint8_t>(y); }, 95, upright);
      original = std::move(bytes);
      bytes.assign(upright.begin(), upright.end());
      info = inspect_image(bytes, "photo " + o.file);
    }
  }
  pqxx::work tx(session.database().ready());
  auto scope = find_scope(tx, session, o.workspace, "workspace:locations:update");
  auto location = find_location(tx, scope, o.location, true);
  auto extension = info.media_type == "image/png" ? "png" : "jpg";
  auto stored = o.dry_run ? blob_address("photos", bytes, extension)
                          : store_blob(file_store_root(session), "photos", bytes, extension);
  std::optional<std::string> original_path;
  if (original) {
    auto kind = inspect_image(*original, "photo " + o.file).media_type == "image/png" ? "png" : "jpg";
    original_path = (o.dry_run ? blob_address("photos", *original, kind)
                               : store_blob(file_store_root(session), "photos", *original, kind))
                        .relative_path;
  }
  auto existing_id = photo_id(tx, location.id, o.time_of_day, o.finish);
  auto size = static_cast<std::int64_t>(stored.bytes);
  auto insert = [&] {
    return tx
        .exec_params(
            "INSERT INTO location_photos (workspace_id, location_id, time_of_day, finish, path, sha256, media_type,"
            " width, height, bytes, original_path)"
            " SELECT workspace_id, id, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM locations WHERE id = $1::uuid"
            " RETURNING id",
            location.id, o.time_of_day, o.finish, stored.relative_path, stored.sha256, info.media_type, info.width,
            info.height, size, original_path)[0][0]
        .as<std::string>();
  };
  auto update = [&](const std::string& id) {
    return !tx.exec_params(
                  "UPDATE location_photos SET path = $2, sha256 = $3, media_type = $4, width = $5, height = $6, bytes "
                  "= $7, original_path = $8"
                  " WHERE id = $1::uuid AND (path, sha256) IS DISTINCT FROM ($2, $3) RETURNING id",
                  id, stored.relative_path, stored.sha256, info.media_type, info.width, info.height, size,
                  original_path)
                .empty();
  };
  AuditEntry audit{session.actor(),
                   "location.photo.add",
                   "location_photo",
                   "",
                   {},
                   {},
                   "",
                   "",
                   nlohmann::json{{"source", o.file}}.dump()};
  set_audit_scope(audit, scope);
  auto outcome = audited_upsert(tx, audit, "location.photo.replace", "location_photos", existing_id, insert, update);
  Result r;
  r.fields = to_fields(query_table(tx, photo_query(std::nullopt, outcome.id)));
  r.fields.insert(r.fields.begin(), {"location_key", Cell(location.key)});
  r.fields.emplace_back("file", Cell((file_store_root(session) / stored.relative_path).string()));
  auto variant = variant_text(location.key, o.time_of_day, o.finish);
  if (outcome.what == Upserted::unchanged) {
    tx.abort();
    r.message = "photo " + variant + " is already this image; nothing changed";
    return r;
  }
  bool replaced = outcome.what == Upserted::updated;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, (replaced ? "replaced photo " : "added photo ") + variant,
                             (replaced ? "would replace photo " : "would add photo ") + variant);
}

Result run_location_photo_list(const PhotoListOptions& o, Session& session) {
  auto tx = list_transaction(session);
  auto scope = find_scope(*tx, session, o.workspace, "workspace:locations:read");
  auto location = find_location(*tx, scope, o.location);
  auto query = photo_query(location.id);
  query.when_empty("no photos of " + location.key + "; add one with `wfa location photo add " + location.key +
                   " FILE`");
  return list_rows(tx, query, o.paging, session);
}

Result run_location_photo_remove(const PhotoRemoveOptions& o, Session& session) {
  check_photo_variant(session, o.time_of_day, o.finish);
  pqxx::work tx(session.database().ready());
  auto scope = find_scope(tx, session, o.workspace, "workspace:locations:delete");
  auto location = find_location(tx, scope, o.location, true);
  auto variant = variant_text(location.key, o.time_of_day, o.finish);
  auto existing = photo_id(tx, location.id, o.time_of_day, o.finish);
  if (!existing)
    throw NotFoundError(
        "location " + location.key + " has no " + o.time_of_day + "/" + o.finish + " photo",
        "list its photos with `wfa location photo list " + location.key + " --workspace " + o.workspace + "`");
  auto id = *existing;
  if (!o.dry_run) session.confirm(o.yes, "remove photo " + variant);
  AuditEntry audit{session.actor(),
                   "location.photo.remove",
                   "location_photo",
                   id,
                   {},
                   {},
                   row_json(tx, "location_photos", id),
                   "",
                   ""};
  set_audit_scope(audit, scope);
  Result r;
  r.fields = to_fields(query_table(tx, photo_query(std::nullopt, id)));
  tx.exec_params("DELETE FROM location_photos WHERE id = $1::uuid", id);
  record_audit(tx, audit);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "removed photo " + variant, "would remove photo " + variant);
}

}  // namespace wfa
