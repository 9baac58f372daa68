#pragma once
/// `wfa usage`: each workspace's month closed once (`reset`: snapshot into usage_periods, counters zeroed) and read
/// back per partner, workspace and period (`report`, `show`).
#include <optional>
#include <string>

#include "core/listing.hpp"
#include "core/pqxx_fwd.hpp"
#include "core/result.hpp"

namespace wfa {

class Session;

struct UsageResetOptions {
  std::optional<std::string> period;  ///< YYYY-MM; default the month before the current one (UTC)
  bool dry_run = false;
};

struct UsageReportOptions {
  std::optional<std::string> period;     ///< YYYY-MM; default every period
  std::optional<std::string> partner;    ///< id or slug
  std::optional<std::string> workspace;  ///< id or PARTNER/SLUG
  Paging paging;
};

struct UsageShowOptions {
  std::string workspace;
  std::optional<std::string> period;  ///< default: the current month, live from the counters
};

/// run_usage_reset closes PERIOD for every workspace not yet closed: one transaction per workspace (a kill leaves
/// each closed or not), under a run lock (a concurrent run exits 9).
Result run_usage_reset(const UsageResetOptions& options, Session& session);
Result run_usage_report(const UsageReportOptions& options, Session& session);
Result run_usage_show(const UsageShowOptions& options, Session& session);

/// parse_period reads YYYY-MM (named WHAT in errors) as the period's first day, YYYY-MM-01.
std::string parse_period(const std::string& text, const std::string& what);
/// previous_month is the first day of the UTC month before this one, YYYY-MM-01: the month cron closes.
std::string previous_month(pqxx::transaction_base& tx);

}  // namespace wfa
