#pragma once
/// The notify.flush job kind: `wfa notify flush` in a worker, bounded in time.
#include <vector>

#include "commands/job/job_kinds.hpp"

namespace wfa {

/// notify_job_kinds are the notify noun's job kinds: notify.flush.
std::vector<JobKind> notify_job_kinds();

}  // namespace wfa
