// Recording calls the providers accepted: attempts get their provider call id, conversations start as initiated.
#include "commands/calls/call_started.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/transaction>

#include "commands/calls/calls_merge.hpp"

namespace wfa {

void record_calls_started(pqxx::transaction_base& tx, const std::vector<StartedCall>& calls) {
  if (calls.empty()) return;
  auto rows = nlohmann::json::array();
  for (const auto& c : calls)
    rows.push_back({{"workspace_id", c.workspace_id},
                    {"attempt_id", c.attempt_id},
                    {"agent_id", c.agent_id},
                    {"provider", c.provider},
                    {"provider_call_id", c.provider_call_id},
                    {"phone", c.to},
                    {"from_number", c.from_number.empty() ? nlohmann::json() : nlohmann::json(c.from_number)},
                    {"test", c.test}});
  lock_call_merge(tx);
  tx.exec_params(
      "WITH s AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(workspace_id uuid, attempt_id uuid, agent_id uuid,"
      " provider text, provider_call_id text, phone text, from_number text, test boolean)),"
      " made AS (INSERT INTO conversations (workspace_id, agent_id, provider, external_call_id, direction, status,"
      " phone_number, started_at, metadata) SELECT workspace_id, agent_id, provider, provider_call_id, 'outbound',"
      " 'initiated', phone, now(), jsonb_strip_nulls(jsonb_build_object('wfa_attempt_id', attempt_id, 'wfa_test',"
      " CASE WHEN test THEN true END, 'from_number', from_number)) FROM s ON CONFLICT (workspace_id, provider,"
      " external_call_id) DO NOTHING RETURNING workspace_id, id, provider, external_call_id)"
      " UPDATE call_attempts a SET provider_call_id = s.provider_call_id, conversation_id = coalesce(made.id, c.id)"
      " FROM s LEFT JOIN made ON made.workspace_id = s.workspace_id AND made.provider = s.provider AND"
      " made.external_call_id = s.provider_call_id LEFT JOIN conversations c ON c.workspace_id = s.workspace_id AND"
      " c.provider = s.provider AND c.external_call_id = s.provider_call_id WHERE a.workspace_id = s.workspace_id AND"
      " a.id = s.attempt_id",
      rows.dump());
}

void record_account_limit(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& provider,
                          int limit) {
  tx.exec_params(
      "UPDATE workspace_integrations SET reported_concurrency = $3, reported_at = now() WHERE workspace_id = $1::uuid"
      " AND provider = $2 AND reported_concurrency IS DISTINCT FROM $3",
      workspace_id, provider, limit);
}

}  // namespace wfa
