#pragma once
/// The calls.ingest job kind: one workspace's calls listed from its provider, or one file kept in the file store.
#include <vector>

#include "commands/job/job_kinds.hpp"

namespace wfa {

/// calls_job_kinds are the calls noun's job kinds: calls.ingest.
std::vector<JobKind> calls_job_kinds();

}  // namespace wfa
