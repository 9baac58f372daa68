#pragma once
/// Outbound calls at a provider: the create-call request (with wfa's attempt id in the call's metadata), the account's
/// concurrency limit, and finding the call an attempt made after a crash. No SQL, no CLI.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "pipelines/providers/provider_client.hpp"

namespace wfa {

/// OutboundCall is one call to place.
struct OutboundCall {
  std::string attempt_id;               ///< call_attempts.id, sent in the call's metadata as wfa_attempt_id
  std::string agent_external_id;        ///< the provider's assistant or agent id
  std::string to;                       ///< E.164
  std::string from_number;              ///< E.164 caller id
  std::string from_provider_number_id;  ///< VAPI phoneNumberId; may be empty elsewhere
  std::vector<std::pair<std::string, std::string>> variables;  ///< the agent's dynamic variables
  bool test = false;                                           ///< a test call: metadata wfa_test=true
};

struct OutboundCallResult {
  std::string provider_call_id;
};

/// ConcurrencyRefused: the provider refused the call for want of a concurrency slot; not an attempt.
struct ConcurrencyRefused : TemporaryError {
  using TemporaryError::TemporaryError;
};

/// outbound_call_body is the JSON PROVIDER gets to place CALL.
std::string outbound_call_body(std::string_view provider, const OutboundCall& call);
/// start_outbound_call asks the provider once (never retried: a retry after a timeout could dial twice).
OutboundCallResult start_outbound_call(ProviderClient& client, const OutboundCall& call);
/// account_concurrency_limit is the calls the account may have at once, where the provider reports it.
std::optional<int> account_concurrency_limit(ProviderClient& client);
/// find_outbound_call is the call CALL's attempt created, if any: by metadata, or by agent, number and a window
/// from REQUESTED_AT where the provider has no metadata filter.
std::optional<std::string> find_outbound_call(ProviderClient& client, const OutboundCall& call,
                                              std::chrono::system_clock::time_point requested_at);

}  // namespace wfa
