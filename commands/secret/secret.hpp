#pragma once
/// `wfa secret rotate`: re-seal every stored secret with a new key in one transaction; `wfa secret set|list`: the
/// platform's own webhook secrets (Stripe, Slack), sealed.
#include <string>

#include "core/result.hpp"

namespace wfa {

class Session;

struct SecretRotateOptions {
  std::string new_key_file;  ///< empty: generate (only when the key lives in $WFA_DATA_DIR/secret.key); "-" is stdin
  bool yes = false;
};

struct SecretSetOptions {
  std::string name;  ///< stripe_webhook | slack_signing | stripe_api
  std::string secret_file = "-";
  bool dry_run = false;
};

Result run_secret_rotate(const SecretRotateOptions& options, Session& session);
/// run_secret_set seals platform secret NAME (never from argv); super admins.
Result run_secret_set(const SecretSetOptions& options, Session& session);
/// run_secret_list shows the platform secrets, masked.
Result run_secret_list(Session& session);

/// platform_secret_context is the authenticated data of platform secret NAME.
std::string platform_secret_context(const std::string& name);

}  // namespace wfa
