#pragma once
/// One attempt of a claimed job, whichever front end runs it: the kind's handler in a Session, and how the attempt
/// ended as the queue records it. A wfa::Error's category decides whether a later attempt may succeed.
#include "commands/job/job_queue.hpp"

namespace wfa {

class Session;
struct JobKind;

/// run_job runs JOB with KIND's handler in SESSION: completed with the Result (as JSON, when it says anything), or
/// failed with the error's one line and category: temporary, lock held, outcome unknown and unexpected errors are
/// retried, invalid input, not found, conflicts and refusals are not; an interruption after its cancellation was asked
/// for ends it cancelled.
JobOutcome run_job(const JobKind& kind, const ClaimedJob& job, Session& session);
/// unknown_kind_outcome ends JOB, whose kind this worker does not know, as a retried failure: a newer worker may.
JobOutcome unknown_kind_outcome(const ClaimedJob& job);

}  // namespace wfa
