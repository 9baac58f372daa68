#pragma once
/// Whom a campaign may dial at an instant and why not: the one decision the dispatcher and `campaign due` share.
/// A recipient is due when the campaign may dial, it is not on a do-not-call list, no refusal ended contact, it has no
/// live call, its retry gap has passed, the country's attempts per local day and per week are not used up, and the
/// instant is inside the country's window narrowed by the campaign's in every zone the recipient may be in.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "pipelines/calling_window.hpp"

namespace wfa {

/// DialVerdict says why a recipient is or is not due; reason_text spells it.
enum class DialVerdict {
  due,
  finished,        ///< completed, failed or skipped already
  do_not_call,     ///< on a list that reaches the workspace
  refused,         ///< an earlier call was refused or opted out, and the country's rules end contact then
  live_call,       ///< a call to it has not ended
  retry_gap,       ///< its retry is not due yet
  attempts_day,    ///< the country's attempts per local day are used up
  attempts_week,   ///< the country's attempts per week are used up
  outside_window,  ///< outside the calling window in one of its zones
  no_zone,         ///< no time zone is known for it
};
const char* verdict_name(DialVerdict verdict);

/// RecipientVerdict is one recipient's decision; NEXT is when it may next be due (when known).
struct RecipientVerdict {
  std::int64_t id = 0;
  std::string phone;
  std::string status;
  std::string country;  ///< whose rules applied
  DialVerdict verdict = DialVerdict::due;
  std::optional<Instant> next;
};

/// CampaignGate is whether a workspace or a campaign may dial at an instant; REASON says why not.
struct CampaignGate {
  bool may_dial = false;
  std::string reason;
};

/// reserved_minutes is the call length each live call reserves credit for until its end settles it.
inline constexpr int reserved_minutes = 3;

/// workspace_gate: the one answer to "may this workspace dial now": live (not deleted or suspended, nor its partner),
/// and, when its partner stops agents at zero credit, a balance that covers every live call's reservation and one
/// more ("insufficient_credit" otherwise). Later issues add the minutes cap here.
CampaignGate workspace_gate(pqxx::transaction_base& tx, const std::string& workspace_id);

/// campaign_gate: the workspace_gate, then the campaign running (or scheduled and started), before its end, with an
/// agent.
CampaignGate campaign_gate(pqxx::transaction_base& tx, const std::string& campaign_id, Instant at);

/// judge_recipients decides for up to LIMIT recipients of CAMPAIGN_ID after recipient id AFTER, in id order.
std::vector<RecipientVerdict> judge_recipients(pqxx::transaction_base& tx, const std::string& campaign_id, Instant at,
                                               std::int64_t after, std::size_t limit);

/// claim_candidates judges up to LIMIT recipients of CAMPAIGN_ID waiting at AT (pending or queued, and not held back
/// by next_attempt_at), locking them FOR UPDATE SKIP LOCKED so concurrent dispatchers take different ones. FORCE
/// judges by the country's window alone and takes back recipients whose campaign retries ran out.
std::vector<RecipientVerdict> claim_candidates(pqxx::transaction_base& tx, const std::string& campaign_id, Instant at,
                                               std::size_t limit, bool force);

/// credit_room is how many more calls WORKSPACE_ID's credit covers beyond its live calls' reservations; nullopt when
/// its partner lets balances go below zero (or calls cost nothing).
std::optional<std::int64_t> credit_room(pqxx::transaction_base& tx, const std::string& workspace_id);

}  // namespace wfa
