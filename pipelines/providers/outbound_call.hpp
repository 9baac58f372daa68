#pragma once
/// Outbound calls at the voice providers: each provider's create-call body (VAPI POST /call, Retell POST
/// /v2/create-phone-call, Synthflow POST /calls), the call sent once and never retried blindly, its refusals for want
/// of a concurrency slot, the account's own concurrency limit, the call an attempt created found again after a crash,
/// and web calls for the browser. No SQL and no CLI.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "pipelines/providers/provider_client.hpp"

namespace wfa {

/// OutboundCall is one dial as the provider gets it.
struct OutboundCall {
  /// call_attempts.id: sent as metadata.wfa_attempt_id (VAPI, Retell); Synthflow: custom_variables wfa_attempt_id.
  std::string attempt_id;
  /// ai_agents.external_agent_id (VAPI assistantId, Retell override_agent_id, Synthflow model_id).
  std::string agent_external_id;
  std::string to;  ///< E.164
  /// E.164 caller id (Retell from_number, Synthflow from_phone_number).
  std::string from_number;
  /// VAPI phoneNumberId (phone_numbers.provider_number_id); may be empty elsewhere.
  std::string from_provider_number_id;
  std::vector<std::pair<std::string, std::string>> variables;  ///< dynamic variables
  bool test = false;                                           ///< a test call: metadata wfa_test=true
};

/// OutboundCallResult is what the provider answered a created call with.
struct OutboundCallResult {
  std::string provider_call_id;
  /// the account's limit of calls at once where the answer reports it (VAPI subscriptionLimits.concurrencyLimit)
  std::optional<int> account_limit;
};

/// ConcurrencyRefused is thrown when the provider refuses a call for want of a concurrency slot: no call was made and
/// it is no attempt; the caller frees its slot and retries later.
struct ConcurrencyRefused : TemporaryError {
  using TemporaryError::TemporaryError;
};

/// outbound_call_body is the JSON PROVIDER gets for CALL. A call the provider cannot place (VAPI without the caller
/// number's phoneNumberId, Retell without a from number) is InvalidInputError.
std::string outbound_call_body(std::string_view provider, const OutboundCall& call);

/// start_outbound_call creates CALL at CLIENT's provider with one request (Retry::never): the provider's call id and,
/// from VAPI, the account's concurrency limit. A concurrency refusal (VAPI: also a call whose subscriptionLimits say
/// concurrencyBlocked) is ConcurrencyRefused; a rate limit, a 5xx, a timeout or a 2xx without a call id is
/// TemporaryError (the call may exist: find it with find_outbound_call before dialing again); any other refusal is
/// InvalidInputError quoting the provider on one line.
OutboundCallResult start_outbound_call(ProviderClient& client, const OutboundCall& call);

/// account_concurrency_limit asks for the account's own limit of calls at once where a provider has a request for it:
/// Retell's GET /get-concurrency concurrency_limit. VAPI reports its limit only in each POST /call answer
/// (OutboundCallResult::account_limit) and Synthflow not at all: nullopt, without a request.
std::optional<int> account_concurrency_limit(ProviderClient& client);

/// find_outbound_call: after a crash, the call this attempt created, if any: by metadata wfa_attempt_id (VAPI's
/// assistant's calls, Retell's agent's calls, created from REQUESTED_AT less a minute of clock skew), or for Synthflow,
/// which has no metadata, the agent's earliest call to CALL.to from then (one carrying the attempt id first).
std::optional<std::string> find_outbound_call(ProviderClient& client, const OutboundCall& call,
                                              std::chrono::system_clock::time_point requested_at);

/// WebCall is what a browser needs to talk to an agent: Retell's access token and call id; VAPI's public key and
/// assistant id (the web SDK starts the call itself).
struct WebCall {
  std::string provider, access_token, call_id, public_key, assistant_id;
};

/// start_web_call makes a web test call to AGENT_EXTERNAL_ID: Retell POST /v2/create-web-call (metadata wfa_test=true);
/// VAPI needs no request: PUBLIC_KEY (the workspace's VAPI public key) and the assistant id, and an empty PUBLIC_KEY is
/// NotFoundError. Synthflow has no web calls in its API: UsageError.
WebCall start_web_call(ProviderClient& client, const std::string& agent_external_id, const std::string& public_key);

}  // namespace wfa
