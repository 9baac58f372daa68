#pragma once
/// The mockup compositor: a creative warped into a billboard frame of a photo with colour effects, depth blur
/// and a feathered edge. One Compositor per worker thread; it reuses its buffers from mockup to mockup and
/// works only on the frame's bounding box, so the photo itself is never copied or modified.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "pipelines/mockup_frame.hpp"

namespace wfa {

/// StageTimes are the milliseconds each stage of the last mockup took (0 for a stage that was skipped).
struct StageTimes {
  double decode_photo = 0;
  double decode_creative = 0;
  double warp = 0;     ///< perspective warp of the creative into the box
  double effects = 0;  ///< colour effects and depth blur
  double mask = 0;     ///< feathered quad mask (reused when the frame repeats)
  double composite = 0;
  double encode = 0;
  double total() const { return decode_photo + decode_creative + warp + effects + mask + composite + encode; }
};

/// Composite is a finished mockup: the untouched photo plus the composed pixels of box.
struct Composite {
  const cv::Mat* photo = nullptr;  ///< BGR, borrowed
  cv::Rect box;                    ///< the only region that differs from the photo
  cv::Mat pixels;                  ///< BGR, box.size(), borrowed from the Compositor
};

class Compositor {
 public:
  /// compose puts CREATIVE (BGRA with premultiplied alpha; opaque images qualify as they are) into QUAD of PHOTO
  /// (BGR) with EFFECTS. The result borrows PHOTO and this Compositor's buffers until the next call.
  Composite compose(const cv::Mat& photo, const cv::Mat& creative, const Quad& quad, const Effects& effects);

  /// decode_creative decodes a creative file (JPEG/PNG) into OUT as premultiplied BGRA, timing it as decode_creative.
  void decode_creative(std::span<const std::uint8_t> bytes, const std::string& name, cv::Mat& out);

  /// decode_photo decodes a photo file into OUT (BGR, EXIF orientation applied), timing it as decode_photo.
  void decode_photo(std::span<const std::uint8_t> bytes, const std::string& name, cv::Mat& out);

  /// encode writes C as a JPEG of QUALITY into OUT, streaming rows (no full-size copy).
  void encode(const Composite& c, int quality, std::vector<std::uint8_t>& out);

  /// times holds the stage timings of the current mockup; reset_times starts a new one.
  StageTimes& times() { return times_; }
  void reset_times() { times_ = {}; }

 private:
  void build_mask(const Quad& local, const cv::Size& size, int feather);
  void apply_effects(const Effects& effects);

  cv::Mat creative_scratch_, photo_scratch_;
  cv::Mat warped_, blurred_, mask_, pixels_;
  std::vector<std::uint8_t> row_;
  Quad mask_quad_{};
  cv::Size mask_size_;
  int mask_feather_ = -1;
  StageTimes times_;
};

/// frame_box is the region of a WIDTH x HEIGHT photo a mockup of QUAD with EFFECTS can change.
cv::Rect frame_box(const Quad& quad, const Effects& effects, int width, int height);

/// use_inner_threads lets OpenCV parallelise one mockup (single mockups) or not (worker pools, which are the
/// parallelism).
void use_inner_threads(bool enabled);

/// to_mat copies a composite into one full BGR image (tests and PNG output; the JPEG path never does this).
cv::Mat to_mat(const Composite& c);

}  // namespace wfa
