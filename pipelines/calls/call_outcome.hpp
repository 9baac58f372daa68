#pragma once
/// What an ended call means for the campaign that placed it: one outcome from the provider's status and end reason
/// (VAPI endedReason, Retell disconnection_reason, Synthflow status) and the call's structured analysis, which alone
/// can say the person refused or opted out.
#include <string>
#include <string_view>

namespace wfa {

/// CallOutcome: completed (a conversation took place), no_answer, busy, voicemail, failed (never connected, or an
/// error), refused, opted_out; concurrency is the provider refusing for want of a slot, which is not an attempt.
enum class CallOutcome { completed, no_answer, busy, voicemail, failed, refused, opted_out, concurrency };

const char* outcome_name(CallOutcome outcome);

/// AnalysisFlags are what the call's structured analysis says about the person's answer.
struct AnalysisFlags {
  bool opted_out = false;  ///< asked never to be called again
  bool refused = false;    ///< declined the offer
};

/// analysis_flags reads ANALYSIS_JSON (the provider's structured data object: VAPI analysis.structuredData, Retell
/// call_analysis.custom_analysis_data, Synthflow collected_variables) for opted_out / opt_out / do_not_call and
/// refused / not_interested set to true (a boolean, or the strings "true" / "yes"). Anything else: no flags.
AnalysisFlags analysis_flags(std::string_view analysis_json);

/// call_outcome classifies an ended call of PROVIDER with its STATUS and END_REASON: an opt-out or a refusal in the
/// analysis wins over a completed call; otherwise the reason decides, and an unknown reason of a call that connected is
/// completed.
CallOutcome call_outcome(std::string_view provider, std::string_view status, std::string_view end_reason,
                         const AnalysisFlags& flags);

/// is_retryable: no_answer, busy, voicemail and failed may be dialed again under the campaign's retry policy.
bool is_retryable(CallOutcome outcome);

}  // namespace wfa
