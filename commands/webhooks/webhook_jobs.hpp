#pragma once
/// The webhook.process job kind: one stored delivery processed once, through the claim serve's processor uses.
#include <vector>

#include "commands/job/job_kinds.hpp"

namespace wfa {

/// webhook_job_kinds are the webhooks noun's job kinds: webhook.process.
std::vector<JobKind> webhook_job_kinds();

}  // namespace wfa
