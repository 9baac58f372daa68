#pragma once
/// The job queue in Prometheus' text format, for serve's /metrics: depth by queue, kind and status, the oldest due
/// job's wait, and the last hour's outcomes and durations (migrations/0035_job_metrics.sql).
#include <string>

#include "core/pqxx_fwd.hpp"

namespace wfa {

/// job_queue_metrics reads wfa_job_queue_stats() through CONNECTION and renders it as wfa_job_* metric families.
std::string job_queue_metrics(pqxx::connection_base& connection);

}  // namespace wfa
