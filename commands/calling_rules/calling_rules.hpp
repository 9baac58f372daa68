#pragma once
/// `wfa calling-rules`: the calling law of each country as data (allowed weekdays and local hours, attempts per day
/// and week, whether a refusal ends contact, the notices required), with a `default` row for every other country,
/// and the check that says whether a number may be called at an instant and when it next may.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"
#include "core/pqxx_fwd.hpp"
#include "pipelines/calling_window.hpp"

namespace wfa {

class Session;

/// CallingRules are one country's rules as the dialer reads them.
struct CallingRules {
  std::string country;  ///< ISO code, or "default" when the country has no row
  CallingWindow window;
  int max_attempts_per_day = 1;
  int max_attempts_per_week = 1;
  bool refusal_ends_contact = true;
  bool ai_consent_required = false;
  bool recording_notice_required = false;
  bool registered_caller_required = false;
};

/// rules_for_country are COUNTRY's rules, or the default row's (named "default") when it has none.
CallingRules rules_for_country(pqxx::transaction_base& tx, const std::string& country);

/// LawCheck is what the calling rules say about calling one number at one instant.
struct LawCheck {
  std::string e164;
  RecipientPlace place;  ///< its country and the zones whose local time counts
  CallingRules rules;    ///< the rules that apply (the country's, or the default row's)
  Instant at;
  bool allowed = false;
  std::optional<Instant> next;  ///< AT when allowed, else the next instant the rules allow (none within eight days)
};

/// check_law judges E164 (in TIMEZONE when it is a zone tzdata knows) against its country's weekdays and local hours
/// at AT, in every zone it may be in: the one check behind single calls, test calls and `calling-rules check`.
LawCheck check_law(pqxx::transaction_base& tx, const std::string& e164, const std::string& timezone, Instant at);

/// require_law_allows throws ConflictError (exit 4) when CHECK does not allow the call: one line naming the number, its
/// local time, the country's hours and the next instant allowed. Nothing overrides it.
void require_law_allows(const LawCheck& check);

struct CallingRulesListOptions {
  Paging paging;
};

/// CallingRulesSetOptions: an unset field keeps the stored value; a new country needs days, hours and attempts.
struct CallingRulesSetOptions {
  std::string country;                  ///< ISO code or "default"
  std::optional<std::string> days;      ///< comma-separated weekday names, e.g. mon,tue,wed
  std::optional<std::string> from, to;  ///< local HH:MM; TO is exclusive
  std::optional<int> per_day, per_week;
  std::optional<bool> refusal_ends_contact, ai_consent, recording_notice, registered_caller;
  std::optional<std::string> source;
  bool dry_run = false;
};

struct CallingRulesCheckOptions {
  std::string phone;
  std::optional<std::string> at;        ///< an ISO 8601 instant; default now
  std::optional<std::string> timezone;  ///< the recipient's own zone, when known
};

Result run_calling_rules_list(const CallingRulesListOptions& options, Session& session);
Result run_calling_rules_set(const CallingRulesSetOptions& options, Session& session);
/// run_calling_rules_check answers for PHONE at AT: its country and the rules that apply, the zones counted, whether
/// a call is allowed then and, if not, the next instant it is.
Result run_calling_rules_check(const CallingRulesCheckOptions& options, Session& session);

}  // namespace wfa
