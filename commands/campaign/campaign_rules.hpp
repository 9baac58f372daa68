#pragma once
/// Shared campaign rules: finding a campaign by what users type, its output fields, the
/// status machine, and checks of time zones and schedule times.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/validation.hpp"
#include "pipelines/phone.hpp"

#include "core/pqxx_fwd.hpp"

namespace wfa {

inline const Choices campaign_statuses = {"draft",     "scheduled", "running", "paused",
                                          "completed", "cancelled", "expired"};
inline const Choices recipient_statuses = {"pending", "queued", "calling", "completed", "failed", "skipped"};

class Session;

struct CampaignRef {
  std::string id;
  std::string workspace_id;
  std::string partner_id;
  std::string label;  ///< PARTNER/WORKSPACE/NAME
  std::string status;
};

/// RecipientResultColumn is one of a recipient's dialing results, which every export of recipients shows after its
/// contact columns: its name, its SQL over campaign_recipients r joined with recipient_attempts_join (alias a), and
/// whether it is a time (timestamptz), a count or a flag.
struct RecipientResultColumn {
  enum class Kind { code, integer, time, boolean };
  const char* name;
  const char* sql;
  Kind kind;
};
/// recipient_result_columns: outcome, attempts, last_attempt_at, next_attempt_at, skip_reason, requires_follow_up.
const std::vector<RecipientResultColumn>& recipient_result_columns();
/// recipient_attempts_join gives each recipient r its latest dial (a.last_attempt_at) from one grouped pass over the
/// attempts; a filter on r's workspace and campaign reaches the pass (index call_attempts_campaign).
inline constexpr const char* recipient_attempts_join =
    " LEFT JOIN (SELECT workspace_id, campaign_id, recipient_id, max(requested_at) AS last_attempt_at FROM"
    " call_attempts WHERE recipient_id IS NOT NULL GROUP BY 1, 2, 3) a ON a.workspace_id = r.workspace_id AND"
    " a.campaign_id = r.campaign_id AND a.recipient_id = r.id";

/// campaign_for is find_campaign for a verb: the session's actor needs PERMISSION in its workspace (exit 5).
CampaignRef campaign_for(pqxx::transaction_base& tx, const Session& session, const std::string& reference,
                         std::string_view permission, bool lock = false);
/// find_campaign accepts an id or PARTNER/WORKSPACE/NAME; LOCK takes the row FOR UPDATE.
CampaignRef find_campaign(pqxx::transaction_base& tx, const std::string& reference, bool lock = false);
/// campaign_fields is the `campaign show` object of campaign ID.
std::vector<std::pair<std::string, Cell>> campaign_fields(pqxx::transaction_base& tx, const std::string& id);

/// Transition is one verb of the status machine: the states it leaves and the state it enters.
struct Transition {
  std::string_view verb;
  std::vector<std::string_view> from;
  std::string_view to;
};
/// transition looks a verb up in the table (schedule, pause, resume, cancel, expire).
const Transition& transition(std::string_view verb);
/// is_terminal: completed, cancelled and expired campaigns no longer change.
bool is_terminal(std::string_view status);

/// phone_reader_for checks --default-country (an ISO code libphonenumber knows; usage error 6 otherwise) and returns
/// the reader campaign numbers go through.
PhoneReader phone_reader_for(const std::optional<std::string>& default_country, const Session& session);

/// check_timezone refuses a name PostgreSQL does not know (pg_timezone_names).
void check_timezone(pqxx::transaction_base& tx, std::string_view field, const std::string& name);
/// check_local_time refuses a VALUE without an offset that does not exist in time zone TZ (the hour skipped when
/// clocks go forward), which PostgreSQL would silently move an hour on; FIELD names it in the message.
void check_local_time(pqxx::transaction_base& tx, const std::string& field, const std::optional<std::string>& value,
                      const std::string& tz);

/// timestamp_sql is a SQL expression for parameter $N as timestamptz: a time without offset is in zone $TZ.
std::string timestamp_sql(int n, int tz);

}  // namespace wfa
