#pragma once
/// What mockup verbs share: finding a location photo and its frame, the content-addressed cache key,
/// rendering one mockup into the file store, and logging it in mockup_files.
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "core/file_store.hpp"
#include "commands/mockup/mockup.hpp"
#include "pipelines/mockup_compositor.hpp"

namespace wfa {

class Session;

/// PhotoRow is a location photo as stored (path relative to the file store root).
struct PhotoRow {
  std::string workspace_id, partner_id, location_id, location_key, photo_id, time_of_day, finish, path, sha256;
  int width = 0, height = 0;
  std::string name() const { return time_of_day + "-" + finish; }
  std::string label() const { return "photo " + name() + " of location " + location_key; }
};

/// FrameRow is a photo's frame; version counts its changes.
struct FrameRow {
  std::string id;
  Quad quad{};
  Effects effects;
  int version = 0;
};

/// split_photo_name turns "day-gold" into {"day", "gold"}; anything else is InvalidInputError naming FLAG.
std::pair<std::string, std::string> split_photo_name(const std::string& name, const std::string& flag);
/// check_photo_kind refuses (exit 6: a batch row's values) a time of day other than day|night or a finish other than
/// gold|silver.
void check_photo_kind(const std::string& time_of_day, const std::string& finish);

/// find_photo looks up LOCATION (key) of WORKSPACE_ID and its TIME-FINISH photo; unknown ones are NotFoundError.
PhotoRow find_photo(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& location,
                    const std::string& time_of_day, const std::string& finish);
/// load_frame returns the photo's frame, if one was set.
std::optional<FrameRow> load_frame(pqxx::transaction_base& tx, const std::string& photo_id);

std::string points_json(const Quad& q);
std::string effects_json(const Effects& e);
/// parse_effects reads effects_json's output; missing keys keep their defaults.
Effects parse_effects(const std::string& json);
Quad parse_points_json(const std::string& json);

/// MockupJob is one mockup to make, resolved on the database thread so workers never touch the database.
struct MockupJob {
  PhotoRow photo;
  FrameRow frame;
  std::string creative_name;  ///< as given, for messages
  std::string creative_bytes;
  std::string creative_sha256;
  std::string cache_key;  ///< sha256 over photo, frame, effects, creative and quality
  int quality = 90;
  std::optional<StoredFile> cached;  ///< an identical mockup already in the store
};

/// prepare_job resolves a mockup's inputs and looks it up in the cache (unless NO_CACHE).
MockupJob prepare_job(pqxx::transaction_base& tx, const std::filesystem::path& root, const PhotoRow& photo,
                      const std::string& creative_path, int quality, bool no_cache);

/// RenderedMockup is a mockup in the store plus how it was made.
struct RenderedMockup {
  StoredFile file;
  int width = 0, height = 0;
  bool cached = false;
  StageTimes times;
};

/// DecodedImages decodes each photo or creative of a batch once and shares the pixels between workers
/// (read-only); it keeps at most CAPACITY images, least recently used first out, so memory stays bounded.
class DecodedImages {
 public:
  explicit DecodedImages(std::size_t capacity) : capacity_(capacity) {}
  /// photo returns PHOTO decoded (BGR), decoding it with COMPOSITOR (timed) if no worker has yet.
  std::shared_ptr<const cv::Mat> photo(const PhotoRow& photo, const std::filesystem::path& root,
                                       Compositor& compositor);
  /// creative returns JOB's creative decoded (premultiplied BGRA), likewise.
  std::shared_ptr<const cv::Mat> creative(const MockupJob& job, Compositor& compositor);

 private:
  struct Entry;
  std::shared_ptr<const cv::Mat> get(const std::string& key, const std::function<void(cv::Mat&)>& decode);
  std::size_t capacity_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<Entry>> entries_;  ///< most recently used last
};

/// render_job makes JOB's mockup (or returns the cached one) and stores it under ROOT/mockups.
RenderedMockup render_job(const MockupJob& job, const std::filesystem::path& root, DecodedImages& photos,
                          DecodedImages& creatives, Compositor& compositor, std::vector<std::uint8_t>& buffer);

/// log_mockup records RENDERED in mockup_files (idempotent on the cache key).
void log_mockup(pqxx::transaction_base& tx, const MockupJob& job, const RenderedMockup& rendered);

/// mockup_columns are the output columns of a made mockup; mockup_row fills them (status ok, cached or failed).
std::vector<std::string> mockup_columns();
Row mockup_row(std::size_t row, const MockupJob& job, const RenderedMockup& rendered, const std::filesystem::path& root,
               const std::string& out);

/// check_quality refuses a JPEG quality outside 1..100 (InvalidInputError naming --quality).
void check_quality(int quality, const Session& session);
/// copy_mockup copies a stored mockup FROM to TO (parents created); failures are InvalidInputError naming TO.
void copy_mockup(const std::filesystem::path& from, const std::filesystem::path& to);

/// require_frame returns PHOTO's frame or a NotFoundError saying how to set one.
FrameRow require_frame(pqxx::transaction_base& tx, const PhotoRow& photo);

}  // namespace wfa
