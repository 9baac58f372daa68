#pragma once
/// `wfa mockup`: billboard frames on location photos, single mockups and batches from a manifest.
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/listing.hpp"

namespace wfa {

class Session;

/// FrameTarget names one location photo: LOCATION (key) in WORKSPACE (id or PARTNER/SLUG), photo day-gold etc.
struct FrameTarget {
  std::string workspace;
  std::string location;
  std::string photo = "day-gold";  ///< TIME-FINISH: day-gold, day-silver, night-gold or night-silver
};

struct MockupFrameSetOptions {
  FrameTarget target;
  std::string points;  ///< "x,y x,y x,y x,y"
  std::optional<double> brightness, contrast, saturation, temperature, blur;
  std::optional<int> feather;
  bool dry_run = false;
};

struct MockupFrameListOptions {
  std::string workspace;
  std::optional<std::string> location;
  Paging paging;
};

struct MockupFrameShowOptions {
  FrameTarget target;
};

struct MockupFrameRemoveOptions {
  FrameTarget target;
  bool yes = false;
  bool dry_run = false;
};

struct MockupGenerateOptions {
  std::string workspace;
  std::string location;
  std::string creative;  ///< JPEG or PNG file
  std::string time_of_day = "day";
  std::string finish = "gold";
  std::optional<std::string> out;  ///< also copy the mockup here
  int quality = 90;
  bool no_cache = false;  ///< recompute even when an identical mockup is stored
};

struct MockupBatchOptions {
  std::string manifest;           ///< CSV: location,creative[,time_of_day,finish,out]
  std::string encoding = "auto";  ///< csv_encoding's names
  std::string workspace;
  std::string out_dir;
  unsigned workers = 2;
  int quality = 90;
  bool no_cache = false;
  bool enqueue = false;      ///< split into mockup.chunk jobs for `wfa worker`; outputs land in the file store
  unsigned chunk_size = 20;  ///< rows per job with enqueue
};

Result run_mockup_frame_set(const MockupFrameSetOptions& options, Session& session);
Result run_mockup_frame_list(const MockupFrameListOptions& options, Session& session);
Result run_mockup_frame_show(const MockupFrameShowOptions& options, Session& session);
Result run_mockup_frame_remove(const MockupFrameRemoveOptions& options, Session& session);
Result run_mockup_generate(const MockupGenerateOptions& options, Session& session);
/// run_mockup_batch sets CATEGORY to batch_partial (exit 8) when some rows failed, interrupted when cancelled.
Result run_mockup_batch(const MockupBatchOptions& options, Session& session);

}  // namespace wfa
