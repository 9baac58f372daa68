// `wfa secret rotate`: operator only; the audit log records the key ids and how many secrets moved, never a key.
#include "commands/secret/secret.hpp"

#include <pqxx/binarystring>
#include <pqxx/transaction>

#include "commands/secret/secret_keys.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/input_file.hpp"
#include "core/rows.hpp"
#include "core/secret_box.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"

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

std::string platform_secret_context(const std::string& name) { return "platform_secrets/" + name; }

Result run_secret_set(const SecretSetOptions& o, Session& session) {
  check_choice("name", o.name, {"stripe_webhook", "slack_signing", "stripe_api"}, "a platform secret");
  auto secret = read_secret_input(o.secret_file, "the " + o.name + " secret", 4096);
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "set the platform's secrets");
  auto [sealed, hint] = seal_input(session, tx, secret, platform_secret_context(o.name));
  tx.exec_params(
      "INSERT INTO platform_secrets (name, value, hint) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET value ="
      " EXCLUDED.value, hint = EXCLUDED.hint, updated_at = now()",
      o.name, pqxx::binarystring(sealed), hint);
  record_audit(
      tx, {session.actor(), "secret.set", "platform_secret", o.name, {}, {}, "", "{\"hint\": \"" + hint + "\"}", ""});
  Result r;
  r.fields = {{"name", Cell(o.name)}, {"secret", Cell(hint)}};
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "set the platform secret " + o.name,
                             "would set the platform secret " + o.name);
}

Result run_secret_list(Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  require_super_admin(actor_of(tx, session), "see the platform's secrets");
  Result r;
  r.tables.push_back(to_table(tx.exec("SELECT name, hint AS secret, " + utc_sql("updated_at") +
                                      " AS updated_at FROM platform_secrets ORDER BY name"),
                              "secrets"));
  return r;
}

}  // namespace wfa
