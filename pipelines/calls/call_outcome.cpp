// Provider end reasons and analysis flags to campaign outcomes.
#include "pipelines/calls/call_outcome.hpp"

#include <array>
#include <utility>

#include <simdjson.h>

namespace wfa {

namespace {

bool starts(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

/// vapi_outcome reads VAPI's endedReason (an open enum: unknown reasons of a call that ran are completed).
CallOutcome vapi_outcome(std::string_view reason) {
  if (reason == "customer-did-not-answer") return CallOutcome::no_answer;
  if (reason == "customer-busy") return CallOutcome::busy;
  if (reason == "voicemail") return CallOutcome::voicemail;
  if (reason == "call.start.error-subscription-concurrency-limit-reached") return CallOutcome::concurrency;
  if (reason == "twilio-failed-to-connect-call" || reason == "manually-canceled" || starts(reason, "pipeline-error") ||
      starts(reason, "call.start.error") || starts(reason, "call.in-progress.error") ||
      reason.find("failed-to-connect") != std::string_view::npos)
    return CallOutcome::failed;
  return CallOutcome::completed;
}

/// retell_outcome reads Retell's disconnection_reason.
CallOutcome retell_outcome(std::string_view reason) {
  static const std::array<std::pair<std::string_view, CallOutcome>, 9> named = {{
      {"dial_no_answer", CallOutcome::no_answer},
      {"dial_busy", CallOutcome::busy},
      {"user_declined", CallOutcome::busy},
      {"voicemail_reached", CallOutcome::voicemail},
      {"ivr_reached", CallOutcome::voicemail},
      {"concurrency_limit_reached", CallOutcome::concurrency},
      {"no_concurrency_fallback", CallOutcome::concurrency},
      {"dial_failed", CallOutcome::failed},
      {"invalid_destination", CallOutcome::failed},
  }};
  for (const auto& [name, outcome] : named)
    if (reason == name) return outcome;
  if (starts(reason, "error_") || starts(reason, "telephony_provider_") || reason == "sip_routing_error" ||
      reason == "no_valid_payment" || reason == "marked_as_spam" || reason == "scam_detected" ||
      reason == "registered_call_timeout" || reason == "manual_stopped")
    return CallOutcome::failed;
  return CallOutcome::completed;
}

/// synthflow_outcome reads Synthflow's call status (its end_call_reason adds nothing the status lacks here).
CallOutcome synthflow_outcome(std::string_view status) {
  if (status == "no-answer") return CallOutcome::no_answer;
  if (status == "busy") return CallOutcome::busy;
  if (status == "hangup_on_voicemail" || status == "left_voicemail") return CallOutcome::voicemail;
  if (status == "failed" || status == "canceled" || status == "user-canceled" || status == "spam")
    return CallOutcome::failed;
  return CallOutcome::completed;
}

/// truthy: a JSON true, or the strings "true" / "yes" (any case).
bool truthy(simdjson::ondemand::value value) {
  bool b = false;
  if (!value.get_bool().get(b)) return b;
  std::string_view text;
  if (value.get_string().get(text)) return false;
  std::string lower(text);
  for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower == "true" || lower == "yes";
}

}  // namespace

const char* outcome_name(CallOutcome outcome) {
  switch (outcome) {
    case CallOutcome::completed:
      return "completed";
    case CallOutcome::no_answer:
      return "no_answer";
    case CallOutcome::busy:
      return "busy";
    case CallOutcome::voicemail:
      return "voicemail";
    case CallOutcome::failed:
      return "failed";
    case CallOutcome::refused:
      return "refused";
    case CallOutcome::opted_out:
      return "opted_out";
    case CallOutcome::concurrency:
      return "concurrency";
  }
  return "failed";
}

AnalysisFlags analysis_flags(std::string_view analysis_json) {
  AnalysisFlags flags;
  if (analysis_json.empty()) return flags;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(analysis_json);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) return flags;
  for (auto field : object) {
    std::string_view key;
    simdjson::ondemand::value value;
    if (field.unescaped_key().get(key) || field.value().get(value)) return flags;
    if (key == "opted_out" || key == "opt_out" || key == "optedOut" || key == "do_not_call")
      flags.opted_out = flags.opted_out || truthy(value);
    else if (key == "refused" || key == "not_interested" || key == "notInterested")
      flags.refused = flags.refused || truthy(value);
  }
  return flags;
}

CallOutcome call_outcome(std::string_view provider, std::string_view status, std::string_view end_reason,
                         const AnalysisFlags& flags) {
  auto outcome = provider == "vapi"     ? vapi_outcome(end_reason)
                 : provider == "retell" ? retell_outcome(end_reason)
                                        : synthflow_outcome(status);
  if (outcome != CallOutcome::completed) return outcome;
  if (flags.opted_out) return CallOutcome::opted_out;
  if (flags.refused) return CallOutcome::refused;
  return outcome;
}

bool is_retryable(CallOutcome outcome) {
  return outcome == CallOutcome::no_answer || outcome == CallOutcome::busy || outcome == CallOutcome::voicemail ||
         outcome == CallOutcome::failed;
}

}  // namespace wfa
