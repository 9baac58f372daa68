#pragma once
/// The keys that seal secrets at rest (API keys of providers) and the columns that hold sealed values. The database's
/// secret_key_state names the current key; the key itself lives outside the database: WFA_SECRET_KEY, or the 0600 file
/// $WFA_DATA_DIR/secret.key made on first use. wfa-secret(1) has the whole story.
#include <string>
#include <string_view>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "core/secret_box.hpp"

namespace wfa {

class Session;

/// SecretKeyring holds the key that seals and every key that may open: the current one, and while a rotation is being
/// finished the other of the pair.
struct SecretKeyring {
  SecretKey current;
  std::vector<SecretKey> others;

  /// seal seals PLAINTEXT with the current key for CONTEXT.
  std::string seal(std::string_view plaintext, std::string_view context) const;
  /// open opens SEALED with whichever key sealed it; WHAT names the secret in messages.
  std::string open(std::string_view sealed, std::string_view context, std::string_view what) const;
};

/// secret_keyring loads the keys inside TX, reading secret_key_state FOR SHARE (so a rotation cannot commit until TX
/// ends); with no state yet, it records the key in use. A key that is not the one the state names is an error naming
/// both ids, never a silent second key.
SecretKeyring secret_keyring(Session& session, pqxx::transaction_base& tx);

/// SealedSecret is a secret as it is stored: sealed, with its masked hint for display.
struct SealedSecret {
  std::string sealed, hint;
};

/// seal_input seals SECRET for CONTEXT with the session's keyring (read in TX), then wipes SECRET.
SealedSecret seal_input(Session& session, pqxx::transaction_base& tx, std::string& secret, std::string_view context);

/// SealedColumn is one column of sealed secrets: TABLE.COLUMN, and the SQL expression giving each row's context.
struct SealedColumn {
  const char* table;
  const char* column;
  const char* context_sql;  ///< e.g. 'workspace_integrations/' || workspace_id || '/' || provider
  const char* row_sql;      ///< the row's key for UPDATE, e.g. workspace_id::text || '/' || provider
  const char* row_where;    ///< matches that key: e.g. workspace_id::text || '/' || provider = $1
};

/// sealed_columns lists every column that holds sealed secrets; `secret rotate` re-seals them all.
const std::vector<SealedColumn>& sealed_columns();

/// integration_context is the authenticated data of a workspace's API key for PROVIDER.
std::string integration_context(const std::string& workspace_id, const std::string& provider);
/// integration_webhook_context is the authenticated data of a workspace's webhook secret for PROVIDER.
std::string integration_webhook_context(const std::string& workspace_id, const std::string& provider);

/// RotationOutcome says what `secret rotate` did.
struct RotationOutcome {
  std::string old_id, new_id;
  std::size_t resealed = 0;
  bool key_file = false;  ///< the new key went to $WFA_DATA_DIR/secret.key (else WFA_SECRET_KEY must change)
};

/// rotate_secret_key re-seals every sealed secret with NEW_KEY (generated when empty and the key lives in the key
/// file) in one transaction that also names the new key in secret_key_state; the key file changes only after that
/// commit, through secret.key.next, so a crash at any point leaves every secret openable.
RotationOutcome rotate_secret_key(Session& session, const std::string& new_key_text);

}  // namespace wfa
