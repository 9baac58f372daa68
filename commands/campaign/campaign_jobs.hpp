#pragma once
/// The campaign.dispatch job kind, and queueing its jobs when a campaign is scheduled or resumed.
#include <string>
#include <vector>

#include "commands/job/job_kinds.hpp"
#include "core/pqxx_fwd.hpp"

namespace wfa {

/// campaign_job_kinds are the campaign noun's job kinds: campaign.dispatch.
std::vector<JobKind> campaign_job_kinds();

/// queue_dispatchers enqueues COUNT campaign.dispatch jobs for CAMPAIGN_ID in TX, to run from its start; a dispatcher
/// slot an unfinished job already holds is not queued twice.
void queue_dispatchers(pqxx::dbtransaction& tx, const Session& session, const std::string& campaign_id, int count);

}  // namespace wfa
