// Provider clients for verbs: settings to policy, and a workspace's sealed key opened for one client.
#include "commands/integration/integration_access.hpp"

#include <algorithm>

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/secret/secret_keys.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "pipelines/providers/provider.hpp"

namespace wfa {

int whole_setting(const Session& session, const std::string& key, int fallback, int low, int high) {
  const auto& s = session.settings().get(key);
  if (!s.is_set || s.value.empty()) return fallback;
  std::size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(s.value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != s.value.size() || value < low || value > high)
    throw UsageError(key + " '" + s.value + "' (" + s.source + ") is not a whole number from " + std::to_string(low) +
                         " to " + std::to_string(high),
                     "fix the setting");
  return value;
}

ClientPolicy client_policy(const Session& session) {
  ClientPolicy policy;
  policy.max_retries = whole_setting(session, "provider_retries", policy.max_retries, 0, 10);
  policy.timeout = std::chrono::seconds(whole_setting(session, "provider_timeout", 30, 1, 600));
  policy.breaker_failures = whole_setting(session, "circuit_failures", policy.breaker_failures, 1, 1000);
  policy.breaker_cool_down = std::chrono::seconds(whole_setting(session, "circuit_cooldown", 30, 0, 86400));
  return policy;
}

std::string provider_base_url(const Session& session, const std::string& provider) {
  const auto& configured = session.settings().get(provider + "_base_url");
  return configured.is_set && !configured.value.empty() ? configured.value : default_base_url(provider);
}

ProviderClient integration_client(Session& session, pqxx::transaction_base& tx, const std::string& workspace_id,
                                  const std::string& workspace, const std::string& provider, int max_in_flight) {
  auto rows = tx.exec_params(
      "SELECT api_key, is_active FROM workspace_integrations WHERE workspace_id = $1::uuid AND provider = $2",
      workspace_id, provider);
  if (rows.empty() || !rows[0][1].as<bool>())
    throw NotFoundError(
        "workspace " + workspace + " has no " + (rows.empty() ? "" : "active ") + provider + " integration",
        "set its API key with `wfa integration set " + workspace + " " + provider + "`");
  auto ring = secret_keyring(session, tx);
  auto key = ring.open(pqxx::binarystring(rows[0][0]).str(), integration_context(workspace_id, provider),
                       "the " + provider + " API key of " + workspace);
  auto policy = client_policy(session);
  policy.max_in_flight = std::max(policy.max_in_flight, max_in_flight);
  ProviderClient client(provider, provider_base_url(session, provider), key, policy);
  wipe_secret(key);
  return client;
}

}  // namespace wfa
