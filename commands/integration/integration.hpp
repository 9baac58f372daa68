#pragma once
/// `wfa integration`: a workspace's accounts at the voice providers (VAPI, Retell, Synthflow). API keys are read from a
/// file or standard input, never from the command line, stored sealed (commands/secret) and shown masked.
#include <optional>
#include <string>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct IntegrationSetOptions {
  std::string workspace;
  std::string provider;
  std::string key_file = "-";                  ///< "-" is standard input
  std::optional<std::string> public_key_file;  ///< VAPI: the public key web calls start with (not secret)
  bool inactive = false;                       ///< store the key but mark the integration inactive
  std::optional<int> max_concurrent_calls;     ///< the account's cap of calls at once (0: the provider's own)
  bool dry_run = false;
};

struct IntegrationRefOptions {
  std::string workspace;
  std::string provider;
  bool yes = false;      ///< remove: no confirmation prompt
  bool dry_run = false;  ///< remove
};

struct IntegrationListOptions {
  std::string workspace;
  Paging paging;
};

Result run_integration_set(const IntegrationSetOptions& options, Session& session);
/// run_integration_webhook_secret seals the secret VAPI or Synthflow signs its webhooks with (never from argv).
Result run_integration_webhook_secret(const IntegrationSetOptions& options, Session& session);
Result run_integration_list(const IntegrationListOptions& options, Session& session);
Result run_integration_show(const IntegrationRefOptions& options, Session& session);
Result run_integration_remove(const IntegrationRefOptions& options, Session& session);
/// run_integration_test makes one authenticated read call with the stored key and records the result.
Result run_integration_test(const IntegrationRefOptions& options, Session& session);

}  // namespace wfa
