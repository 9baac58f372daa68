// Lookups, cache keys, rendering into the file store and mockup_files logging, shared by generate and batch.
#include "commands/mockup/mockup_store.hpp"
#include "commands/sales/sales_rules.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction_base>

#include "core/error.hpp"
#include "core/digest.hpp"
#include "core/file_io.hpp"
#include "core/input_file.hpp"
#include "pipelines/image_info.hpp"

namespace wfa {

namespace fs = std::filesystem;

std::pair<std::string, std::string> split_photo_name(const std::string& name, const std::string& flag) {
  check_choice(flag, name, photo_variants, "a photo name");
  auto dash = name.find('-');
  return {name.substr(0, dash), name.substr(dash + 1)};
}

void check_photo_kind(const std::string& time_of_day, const std::string& finish) {
  auto known = [](const Choices& values, const std::string& v) {
    return std::find(values.begin(), values.end(), v) != values.end();
  };
  if (!known(times_of_day, time_of_day))
    throw InvalidInputError("time of day '" + time_of_day + "' is not day or night", "use day or night");
  if (!known(finishes, finish))
    throw InvalidInputError("finish '" + finish + "' is not gold or silver", "use gold or silver");
}

PhotoRow find_photo(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& location,
                    const std::string& time_of_day, const std::string& finish) {
  check_photo_kind(time_of_day, finish);
  auto found = tx.exec_params(
      "SELECT l.id, w.partner_id FROM locations l JOIN workspaces w ON w.id = l.workspace_id"
      " WHERE l.workspace_id = $1::uuid AND l.location_key = $2",
      workspace_id, location);
  if (found.empty())
    throw NotFoundError("location '" + location + "' not found in this workspace",
                        "list locations with `wfa location list`");
  auto rows = tx.exec_params(
      "SELECT id, path, sha256, width, height FROM location_photos WHERE location_id = $1::uuid AND time_of_day = $2 "
      "AND finish = $3",
      found[0][0].as<std::string>(), time_of_day, finish);
  if (rows.empty())
    throw NotFoundError("location '" + location + "' has no " + time_of_day + "-" + finish + " photo",
                        "add one with `wfa location photo add " + location + " FILE --time-of-day " + time_of_day +
                            " --finish " + finish + "`");
  PhotoRow p;
  p.workspace_id = workspace_id, p.partner_id = found[0][1].as<std::string>(),
  p.location_id = found[0][0].as<std::string>();
  p.location_key = location, p.time_of_day = time_of_day, p.finish = finish;
  p.photo_id = rows[0][0].as<std::string>(), p.path = rows[0][1].as<std::string>(),
  p.sha256 = rows[0][2].as<std::string>();
  p.width = rows[0][3].as<int>(), p.height = rows[0][4].as<int>();
  return p;
}

std::string points_json(const Quad& q) {
  auto out = nlohmann::json::array();
  for (const auto& p : q) out.push_back({p.x, p.y});
  return out.dump();
}

Quad parse_points_json(const std::string& json) {
  auto parsed = nlohmann::json::parse(json);
  Quad q{};
  for (std::size_t i = 0; i < 4; ++i) q[i] = {parsed.at(i).at(0).get<double>(), parsed.at(i).at(1).get<double>()};
  return q;
}

std::string effects_json(const Effects& e) {
  return nlohmann::json{{"brightness", e.brightness},   {"contrast", e.contrast}, {"saturation", e.saturation},
                        {"temperature", e.temperature}, {"blur", e.blur},         {"feather", e.feather}}
      .dump();
}

Effects parse_effects(const std::string& json) {
  auto parsed = nlohmann::json::parse(json);
  Effects e;
  e.brightness = parsed.value("brightness", e.brightness), e.contrast = parsed.value("contrast", e.contrast);
  e.saturation = parsed.value("saturation", e.saturation), e.temperature = parsed.value("temperature", e.temperature);
  e.blur = parsed.value("blur", e.blur), e.feather = parsed.value("feather", e.feather);
  return e;
}

std::optional<FrameRow> load_frame(pqxx::transaction_base& tx, const std::string& photo_id) {
  auto rows =
      tx.exec_params("SELECT id, points, effects, version FROM mockup_frames WHERE photo_id = $1::uuid", photo_id);
  if (rows.empty()) return std::nullopt;
  return FrameRow{rows[0][0].as<std::string>(), parse_points_json(rows[0][1].as<std::string>()),
                  parse_effects(rows[0][2].as<std::string>()), rows[0][3].as<int>()};
}

FrameRow require_frame(pqxx::transaction_base& tx, const PhotoRow& photo) {
  auto frame = load_frame(tx, photo.photo_id);
  if (!frame)
    throw NotFoundError(photo.label() + " has no mockup frame", "set one with `wfa mockup frame set " +
                                                                    photo.location_key + " --photo " + photo.name() +
                                                                    " --points \"x,y x,y x,y x,y\"`");
  return *frame;
}

MockupJob prepare_job(pqxx::transaction_base& tx, const fs::path& root, const PhotoRow& photo,
                      const std::string& creative_path, int quality, bool no_cache) {
  MockupJob job;
  job.photo = photo;
  job.frame = require_frame(tx, photo);
  job.creative_name = creative_path;
  job.creative_bytes = read_input_file(creative_path, "creative", max_image_bytes);
  job.creative_sha256 = sha256_hex(job.creative_bytes);
  job.quality = quality;
  job.cache_key =
      sha256_hex("wfa-mockup-1\n" + photo.sha256 + "\n" + points_json(job.frame.quad) + "\n" +
                 effects_json(job.frame.effects) + "\n" + job.creative_sha256 + "\n" + std::to_string(quality));
  if (no_cache) return job;
  auto rows = tx.exec_params("SELECT path, bytes FROM mockup_files WHERE cache_key = $1", job.cache_key);
  if (rows.empty()) return job;
  StoredFile file{rows[0][0].as<std::string>(), "", rows[0][1].as<std::uint64_t>()};
  std::error_code ec;
  if (fs::file_size(root / file.relative_path, ec) != file.bytes || ec) return job;  // gone from disk: make it again
  file.sha256 = fs::path(file.relative_path).stem().string();
  job.cached = file;
  return job;
}

struct DecodedImages::Entry {
  std::string key;
  std::mutex mutex;
  std::shared_ptr<const cv::Mat> image;
};

std::shared_ptr<const cv::Mat> DecodedImages::get(const std::string& key, const std::function<void(cv::Mat&)>& decode) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e->key == key; });
    if (it != entries_.end()) {
      entry = *it;
      entries_.erase(it);
    } else {
      entry = std::make_shared<Entry>();
      entry->key = key;
    }
    entries_.push_back(entry);
    if (entries_.size() > std::max<std::size_t>(capacity_, 1)) entries_.erase(entries_.begin());
  }
  std::lock_guard lock(entry->mutex);
  if (!entry->image) {
    auto image = std::make_shared<cv::Mat>();
    decode(*image);
    entry->image = std::move(image);
  }
  return entry->image;
}

std::shared_ptr<const cv::Mat> DecodedImages::photo(const PhotoRow& photo, const fs::path& root,
                                                    Compositor& compositor) {
  return get("photo:" + photo.photo_id + ":" + photo.sha256, [&](cv::Mat& out) {
    auto bytes = read_file(root / photo.path, photo.label());
    compositor.decode_photo({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, photo.label(), out);
  });
}

std::shared_ptr<const cv::Mat> DecodedImages::creative(const MockupJob& job, Compositor& compositor) {
  return get("creative:" + job.creative_sha256, [&](cv::Mat& out) {
    compositor.decode_creative(
        {reinterpret_cast<const std::uint8_t*>(job.creative_bytes.data()), job.creative_bytes.size()},
        job.creative_name, out);
  });
}

RenderedMockup render_job(const MockupJob& job, const fs::path& root, DecodedImages& photos, DecodedImages& creatives,
                          Compositor& compositor, std::vector<std::uint8_t>& buffer) {
  RenderedMockup out;
  compositor.reset_times();
  if (job.cached) {
    out.file = *job.cached;
    out.cached = true;
    out.width = job.photo.width, out.height = job.photo.height;
    return out;
  }
  auto photo = photos.photo(job.photo, root, compositor);
  auto creative = creatives.creative(job, compositor);
  auto composite = compositor.compose(*photo, *creative, job.frame.quad, job.frame.effects);
  compositor.encode(composite, job.quality, buffer);
  out.file = store_blob(root, "mockups", {reinterpret_cast<const char*>(buffer.data()), buffer.size()}, "jpg");
  out.width = photo->cols, out.height = photo->rows;
  out.times = compositor.times();
  return out;
}

void log_mockup(pqxx::transaction_base& tx, const MockupJob& job, const RenderedMockup& rendered) {
  tx.exec_params(
      "INSERT INTO mockup_files (workspace_id, location_id, photo_id, frame_version, creative_sha256, cache_key, path, "
      "bytes,"
      " width, height) VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10)"
      " ON CONFLICT (workspace_id, cache_key) DO UPDATE SET path = EXCLUDED.path, bytes = EXCLUDED.bytes, "
      "frame_version = "
      "EXCLUDED.frame_version",
      job.photo.workspace_id, job.photo.location_id, job.photo.photo_id, job.frame.version, job.creative_sha256,
      job.cache_key, rendered.file.relative_path, static_cast<std::int64_t>(rendered.file.bytes), rendered.width,
      rendered.height);
}

std::vector<std::string> mockup_columns() {
  return {"row",
          "location",
          "photo",
          "creative",
          "status",
          "out",
          "path",
          "bytes",
          "width",
          "height",
          "frame_version",
          "total_us",
          "decode_photo_us",
          "decode_creative_us",
          "warp_us",
          "effects_us",
          "mask_us",
          "composite_us",
          "encode_us",
          "error"};
}

Row mockup_row(std::size_t row, const MockupJob& job, const RenderedMockup& rendered, const fs::path& root,
               const std::string& out) {
  auto us = [](double ms) { return Cell(static_cast<std::int64_t>(std::llround(ms * 1000))); };
  const auto& t = rendered.times;
  return {Cell(static_cast<std::int64_t>(row)),
          Cell(job.photo.location_key),
          Cell(job.photo.name()),
          Cell(job.creative_name),
          Cell(rendered.cached ? "cached" : "ok"),
          Cell(out),
          Cell((root / rendered.file.relative_path).string()),
          Cell(static_cast<std::int64_t>(rendered.file.bytes)),
          Cell(rendered.width),
          Cell(rendered.height),
          Cell(job.frame.version),
          us(t.total()),
          us(t.decode_photo),
          us(t.decode_creative),
          us(t.warp),
          us(t.effects),
          us(t.mask),
          us(t.composite),
          us(t.encode),
          Cell::null()};
}

}  // namespace wfa
