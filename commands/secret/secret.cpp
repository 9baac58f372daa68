// `wfa secret rotate`: operator only; the audit log records the key ids and how many secrets moved, never a key.
#include "commands/secret/secret.hpp"

#include <pqxx/transaction>

#include "commands/secret/secret_keys.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/input_file.hpp"
#include "core/session.hpp"

namespace wfa {

Result run_secret_rotate(const SecretRotateOptions& o, Session& session) {
  {
    pqxx::read_transaction tx(session.database().ready());
    require_super_admin(actor_of(tx, session), "rotate the secret key");
  }
  std::string new_key;
  if (!o.new_key_file.empty()) new_key = read_secret_input(o.new_key_file, "the new secret key", 4096);
  session.confirm(o.yes, "re-seal every stored secret with a new key");
  auto outcome = rotate_secret_key(session, new_key);
  wipe_secret(new_key);
  {
    pqxx::work tx(session.database().ready());
    record_audit(tx, {session.actor(),
                      "secret.rotate",
                      "secret_key",
                      outcome.new_id,
                      {},
                      {},
                      "",
                      "",
                      "{\"from\": \"" + outcome.old_id + "\", \"to\": \"" + outcome.new_id +
                          "\", \"resealed\": " + std::to_string(outcome.resealed) + "}"});
    tx.commit();
  }
  Result r;
  r.fields = {{"old_key_id", Cell(outcome.old_id)},
              {"new_key_id", Cell(outcome.new_id)},
              {"resealed", Cell(static_cast<std::int64_t>(outcome.resealed))},
              {"key_file", Cell(outcome.key_file ? std::string("updated") : std::string("unchanged"))}};
  r.message = std::to_string(outcome.resealed) + " secrets re-sealed with key " + outcome.new_id +
              (outcome.key_file ? " ($WFA_DATA_DIR/secret.key replaced)"
                                : "; set WFA_SECRET_KEY to the new key before the next command");
  return r;
}

}  // namespace wfa
