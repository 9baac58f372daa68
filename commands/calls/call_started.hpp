#pragma once
/// Calls wfa started (single calls, test calls, a campaign's dials): once the provider has answered with its call id,
/// the attempt gets that id and the conversation is created as `initiated`, so the webhook's or ingest's merge of the
/// same provider call updates that row instead of inserting another.
#include <string>
#include <vector>

#include "core/pqxx_fwd.hpp"

namespace wfa {

/// StartedCall is one call a provider accepted for a call_attempts row.
struct StartedCall {
  std::string workspace_id, attempt_id, agent_id, provider, provider_call_id, to, from_number;
  bool test = false;
};

/// record_calls_started sets each attempt's provider_call_id and conversation_id and creates its conversation
/// (outbound, initiated, metadata wfa_attempt_id, wfa_test, from_number) in one statement under the calls' merge lock;
/// a conversation the merge already made for that provider call (an early webhook) is linked, not duplicated.
void record_calls_started(pqxx::transaction_base& tx, const std::vector<StartedCall>& calls);

/// record_account_limit keeps LIMIT, the account's own concurrency limit as PROVIDER reported it (Retell's
/// get-concurrency, VAPI's POST /call answer), as WORKSPACE_ID's integration's reported_concurrency when it changed.
void record_account_limit(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& provider,
                          int limit);

}  // namespace wfa
