#pragma once
/// `wfa campaign`: a workspace's calling campaigns, their status machine and schedule window,
/// their recipients, and the CSV import that loads recipients at COPY speed.
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct CampaignCreateOptions {
  std::string name;
  std::string workspace;             ///< id or PARTNER/SLUG
  std::optional<std::string> agent;  ///< agent id (uuid)
  std::string timezone = "UTC";
  std::optional<std::string> starts_at;
  std::optional<std::string> ends_at;
  bool if_not_exists = false;
  bool dry_run = false;
};

struct CampaignListOptions {
  std::optional<std::string> workspace;
  std::optional<std::string> status;
  Paging paging;
};

/// A campaign is named by its id or PARTNER/WORKSPACE/NAME.
struct CampaignShowOptions {
  std::string campaign;
};

/// CampaignStatusOptions serves schedule, pause, resume and cancel.
struct CampaignStatusOptions {
  std::string campaign;
  std::optional<std::string> starts_at;  ///< schedule only
  std::optional<std::string> ends_at;    ///< schedule only
  std::optional<std::string> timezone;   ///< schedule only
  bool yes = false;                      ///< cancel only
  bool now = false;                      ///< schedule only: start now (starts_at := now)
  int dispatchers = 1;                   ///< schedule and resume: campaign.dispatch jobs queued for `wfa worker`
  bool dry_run = false;
};

struct CampaignImportOptions {
  std::string campaign;
  std::string file;
  std::vector<std::string> map;   ///< FIELD=Header
  std::vector<std::string> skip;  ///< headers not imported
  std::optional<std::string> default_country;
  std::string delimiter = "auto";  ///< auto , ; tab |
  std::string encoding = "auto";   ///< csv_encoding's names
  bool allow_partial = false;
  std::optional<std::string> max_errors;  ///< N or P%
  std::optional<std::string> reject_file;
  bool dry_run = false;
};

struct RecipientsListOptions {
  std::string campaign;
  std::optional<std::string> status;
  Paging paging;
};

struct RecipientsRemoveOptions {
  std::string campaign;
  std::vector<std::string> phones;
  std::optional<std::string> default_country;
  bool yes = false;
  bool dry_run = false;
};

struct RecipientsExportOptions {
  std::string campaign;
  std::optional<std::string> out;  ///< file; stdout when absent
};

/// CampaignUpdateOptions: the campaign's dialing settings; an unset one is kept.
struct CampaignUpdateOptions {
  std::string campaign;
  std::optional<std::string> call_days;           ///< weekdays, e.g. mon,tue,wed ("all" clears)
  std::optional<std::string> call_from, call_to;  ///< local HH:MM ("" clears both)
  std::optional<int> max_concurrent, calls_per_minute;
  std::vector<std::string> retries;                      ///< OUTCOME=ATTEMPTS[@GAP_MINUTES]
  std::optional<std::vector<std::string>> from_numbers;  ///< caller ids rotated ("none" clears)
  bool dry_run = false;
};

/// CampaignRunOptions: dial a campaign in the foreground until it ends, pauses or is interrupted (which pauses it).
struct CampaignRunOptions {
  std::string campaign;
  int concurrency = 32;  ///< provider requests in flight from this process
  bool force = false;    ///< dial beyond the campaign's own window and retry limits, never beyond the country's rules
  std::optional<double> for_seconds;  ///< stop (without pausing) after this long
};

/// CampaignDueOptions: the dispatcher's decision for a page of recipients at an instant.
struct CampaignDueOptions {
  std::string campaign;
  std::optional<std::string> at;  ///< ISO 8601; default now
  long limit = 100;
  std::optional<long long> after;  ///< recipient id to continue after
};

struct CampaignStatsOptions {
  std::string campaign;
};

Result run_campaign_create(const CampaignCreateOptions& options, Session& session);
Result run_campaign_list(const CampaignListOptions& options, Session& session);
Result run_campaign_show(const CampaignShowOptions& options, Session& session);
Result run_campaign_schedule(const CampaignStatusOptions& options, Session& session);
Result run_campaign_pause(const CampaignStatusOptions& options, Session& session);
Result run_campaign_resume(const CampaignStatusOptions& options, Session& session);
Result run_campaign_cancel(const CampaignStatusOptions& options, Session& session);
/// run_campaign_import's category is batch_partial when rows were rejected but the rest committed.
Result run_campaign_update(const CampaignUpdateOptions& options, Session& session);
/// run_campaign_run dispatches the campaign here: the same loop as the campaign.dispatch job, with progress.
Result run_campaign_run(const CampaignRunOptions& options, Session& session);
/// run_campaign_due says, for each recipient, whether it would be dialed at AT and, if not, why and when it may be.
Result run_campaign_due(const CampaignDueOptions& options, Session& session);
/// run_campaign_stats: recipients by status and by outcome, attempts, the connect rate, minutes, cost and the median
/// and 95th-percentile call length, from the recipients, their attempts and the calls those became.
Result run_campaign_stats(const CampaignStatsOptions& options, Session& session);
Result run_campaign_import(const CampaignImportOptions& options, Session& session);
Result run_campaign_recipients_list(const RecipientsListOptions& options, Session& session);
Result run_campaign_recipients_remove(const RecipientsRemoveOptions& options, Session& session);
/// run_campaign_recipients_export writes to --out, or returns the CSV as the Result's stream (no fields, so
/// standard output stays pure CSV).
Result run_campaign_recipients_export(const RecipientsExportOptions& options, Session& session);

}  // namespace wfa
