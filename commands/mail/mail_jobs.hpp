#pragma once
/// The mail.send job kind: `wfa mail flush` in a worker, bounded in time.
#include <vector>

#include "commands/job/job_kinds.hpp"

namespace wfa {

/// mail_job_kinds are the mail noun's job kinds: mail.send.
std::vector<JobKind> mail_job_kinds();

}  // namespace wfa
