#pragma once
/// What verbs that call a provider share: the client policy from the settings, and a client for a workspace's
/// integration with its key opened.
#include <string>

#include "core/pqxx_fwd.hpp"
#include "pipelines/providers/provider_client.hpp"

namespace wfa {

class Session;

/// whole_setting is setting KEY as a whole number from LOW to HIGH, FALLBACK when unset; anything else is UsageError
/// naming the setting and where it came from.
int whole_setting(const Session& session, const std::string& key, int fallback, int low, int high);

/// client_policy reads provider_retries, provider_timeout, circuit_failures and circuit_cooldown; a value that is
/// not a whole number in range is UsageError naming the setting.
ClientPolicy client_policy(const Session& session);

/// provider_base_url is the setting PROVIDER_base_url, else the provider's public API.
std::string provider_base_url(const Session& session, const std::string& provider);

/// integration_client opens WORKSPACE_ID's key for PROVIDER (inside TX) and returns a client for it, with at least
/// MAX_IN_FLIGHT requests at once to the account (0: the default); no integration, or an inactive one, is
/// NotFoundError naming WORKSPACE.
ProviderClient integration_client(Session& session, pqxx::transaction_base& tx, const std::string& workspace_id,
                                  const std::string& workspace, const std::string& provider, int max_in_flight = 0);

}  // namespace wfa
