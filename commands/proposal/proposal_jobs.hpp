#pragma once
/// `wfa proposal batch --enqueue`: the batch checked and numbered whole, then split into proposal.chunk jobs that
/// `wfa worker` renders into the file store, the same bytes the local run writes.
#include <vector>

#include "commands/job/job_kinds.hpp"
#include "commands/proposal/proposal.hpp"
#include "commands/proposal/proposal_items.hpp"

namespace wfa {

/// refuse_local_only_options refuses, with --enqueue, what only a local run can do (--out, --combined-pdf, --resume)
/// and a chunk size outside 1..1000.
void refuse_local_only_options(const ProposalBatchOptions& options, const Session& session);

/// enqueue_proposal_batch enqueues REQUESTS (numbered, their conflicts found) in chunks of options.chunk_size rows.
Result enqueue_proposal_batch(const ProposalBatchOptions& options, std::vector<ProposalRequest> requests,
                              Session& session);

/// proposal_job_kinds is proposal.chunk.
std::vector<JobKind> proposal_job_kinds();

}  // namespace wfa
