#pragma once
/// `wfa mockup batch` in parts: the manifest read into rows, the rows made into mockups (locally, or by a worker for
/// a mockup.chunk job of `--enqueue`, whose creatives travel through the file store).
#include <filesystem>
#include <string>
#include <vector>

#include "commands/job/job_kinds.hpp"
#include "commands/mockup/mockup.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

/// MockupSpec is one manifest row as read: what to make, or why the row cannot be read.
struct MockupSpec {
  std::size_t row = 0;        ///< 1-based data row
  std::string where;          ///< manifest.csv:12, the prefix of its messages
  std::string location;       ///< location key
  std::string creative;       ///< the file read: as given (relative to the manifest's directory), or in the store
  std::string creative_name;  ///< as given, for the report and the default output name
  std::string time_of_day, finish, out;
  std::string error;  ///< a row that cannot be read
};

/// MockupPlace is where a run of rows happens: the workspace, the directory relative creatives are read from, and the
/// directory outputs are written to.
struct MockupPlace {
  WorkspaceRef workspace;
  std::filesystem::path base;
  std::filesystem::path out_dir;
};

/// read_mockup_manifest reads the manifest of O (location and creative columns required).
std::vector<MockupSpec> read_mockup_manifest(const MockupBatchOptions& o, const Session& session);
/// make_mockups makes SPECS on O's worker pool at PLACE, logs each, and reports them as `mockup batch` does.
Result make_mockups(const std::vector<MockupSpec>& specs, const MockupPlace& place, const MockupBatchOptions& o,
                    Session& session);

/// refuse_local_only_options refuses, with --enqueue, --out and a chunk size outside 1..1000.
void refuse_local_only_options(const MockupBatchOptions& o, const Session& session);
/// enqueue_mockup_batch stores each creative (relative to BASE) in the file store and enqueues SPECS in chunks.
Result enqueue_mockup_batch(const MockupBatchOptions& o, std::vector<MockupSpec> specs,
                            const std::filesystem::path& base, Session& session);

/// mockup_job_kinds is mockup.chunk.
std::vector<JobKind> mockup_job_kinds();

}  // namespace wfa
