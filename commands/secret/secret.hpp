#pragma once
/// `wfa secret rotate`: re-seal every stored secret with a new key in one transaction.
#include <string>

#include "core/result.hpp"

namespace wfa {

class Session;

struct SecretRotateOptions {
  std::string new_key_file;  ///< empty: generate (only when the key lives in $WFA_DATA_DIR/secret.key); "-" is stdin
  bool yes = false;
};

Result run_secret_rotate(const SecretRotateOptions& options, Session& session);

}  // namespace wfa
