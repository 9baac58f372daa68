#pragma once
/// The agent.sync job kind: one agent pushed to its provider, as `wfa agent sync --enqueue` planned it.
#include <vector>

#include "commands/job/job_kinds.hpp"

namespace wfa {

/// agent_job_kinds are the agent noun's job kinds: agent.sync.
std::vector<JobKind> agent_job_kinds();

}  // namespace wfa
