#pragma once
/// The cleanup job kind: `wfa cleanup` of one kind, several or all, in a worker.
#include <vector>

#include "commands/job/job_kinds.hpp"

namespace wfa {

/// cleanup_job_kinds are the cleanup noun's job kinds: cleanup.
std::vector<JobKind> cleanup_job_kinds();

}  // namespace wfa
