// `wfa integration set|list|show|remove|test`: sealed provider API keys per workspace.
#include "commands/integration/integration.hpp"

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/integration/integration_access.hpp"
#include "commands/secret/secret_keys.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/input_file.hpp"
#include "core/listing.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"
#include "pipelines/providers/provider.hpp"

namespace wfa {

namespace {

/// max_api_key_bytes bounds a key read from a file or standard input.
constexpr std::size_t max_api_key_bytes = 4096;

/// integration_query lists a workspace's integrations: never the sealed key, only its masked hint.
ListQuery integration_query(const Session& session, const std::string& workspace_id,
                            const std::optional<std::string>& provider) {
  ListQuery query("integration list", "integrations");
  query
      .select(
          "i.provider, i.key_hint AS api_key, i.is_active, i.last_tested_at, i.last_test_result,"
          " '/webhooks/' || i.provider || '/' || i.webhook_endpoint AS webhook_path, NULLIF(rtrim(?, '/'), '') ||"
          " '/webhooks/' || i.provider || '/' || i.webhook_endpoint AS webhook_url, CASE WHEN i.provider = 'retell'"
          " THEN 'the API key' ELSE i.webhook_secret_hint END AS webhook_secret, i.max_concurrent_calls,"
          " i.reported_concurrency, i.updated_at, i.workspace_id",
          {session.settings().value("public_url")})
      .from("workspace_integrations i")
      .where("i.workspace_id = ?::uuid", workspace_id)
      .where("i.provider = ?", provider)
      .order_by({{"i.provider", "text"}})
      .machine_columns(1);
  return query;
}

/// audit_values is the JSON the audit log keeps of an integration: no key, sealed or not, only its hint.
std::string audit_values(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& provider) {
  auto rows = tx.exec_params(
      "SELECT jsonb_build_object('provider', provider, 'api_key', key_hint, 'is_active', is_active,"
      " 'max_concurrent_calls', max_concurrent_calls)::text"
      " FROM workspace_integrations WHERE workspace_id = $1::uuid AND provider = $2",
      workspace_id, provider);
  return rows.empty() ? "" : rows[0][0].as<std::string>();
}

/// integration_audit starts the audit entry of ACTION on WS's PROVIDER integration, its old values as they stand.
AuditEntry integration_audit(pqxx::transaction_base& tx, const Session& session, const std::string& action,
                             const WorkspaceRef& ws, const std::string& provider) {
  AuditEntry audit{session.actor(),
                   action,
                   "workspace_integration",
                   ws.id + "/" + provider,
                   ws.partner_id,
                   ws.id,
                   audit_values(tx, ws.id, provider),
                   "",
                   ""};
  return audit;
}

void check_provider(const std::string& provider) {
  check_choice("provider", provider, voice_providers, "a voice provider");
}

std::string label(const std::string& workspace, const std::string& provider) {
  return provider + " integration of " + workspace;
}

[[noreturn]] void no_integration(const std::string& workspace, const std::string& provider) {
  throw NotFoundError("workspace " + workspace + " has no " + provider + " integration",
                      "add one with `wfa integration set " + workspace + " " + provider + " --key-file FILE`");
}

}  // namespace

Result run_integration_set(const IntegrationSetOptions& o, Session& session) {
  check_provider(o.provider);
  std::optional<std::string> public_key;
  if (o.public_key_file) {
    if (o.provider != "vapi")
      throw UsageError(session.option("public-key-file") + " is for VAPI, whose web calls start with a public key");
    auto text = read_input_file(*o.public_key_file, "the VAPI public key", 512);
    auto begin = text.find_first_not_of(" \t\r\n"), end = text.find_last_not_of(" \t\r\n");
    public_key = begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
    if (public_key->size() < 8 || public_key->size() > 200 ||
        public_key->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
            std::string::npos)
      throw InvalidInputError(
          "the VAPI public key in " + *o.public_key_file + " is not 8 to 200 letters, digits, _ or -",
          "copy it from VAPI's dashboard (API Keys, public key)");
  }
  if (o.max_concurrent_calls && (*o.max_concurrent_calls < 0 || *o.max_concurrent_calls > 10000))
    throw InvalidInputError(session.option("max-concurrent-calls") + " must be 0 to 10000",
                            "give the calls this account may have at once (0: what the provider reports)");
  auto key = read_secret_input(o.key_file, "the " + o.provider + " API key", max_api_key_bytes);
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:integrations:update");
  auto [sealed, hint] = seal_input(session, tx, key, integration_context(ws.id, o.provider));
  auto audit = integration_audit(tx, session, "integration.set", ws, o.provider);
  tx.exec_params(
      "INSERT INTO workspace_integrations (workspace_id, provider, api_key, key_hint, is_active, public_key,"
      " max_concurrent_calls) VALUES ($1::uuid, $2, $3, $4, $5, $6, NULLIF($7::int, 0)) ON CONFLICT (workspace_id,"
      " provider) DO UPDATE SET api_key = EXCLUDED.api_key, key_hint = EXCLUDED.key_hint, is_active ="
      " EXCLUDED.is_active, last_tested_at = NULL, last_test_result = NULL, public_key = coalesce(EXCLUDED.public_key,"
      " workspace_integrations.public_key), max_concurrent_calls = CASE WHEN $7::int IS NULL THEN"
      " workspace_integrations.max_concurrent_calls ELSE EXCLUDED.max_concurrent_calls END",
      ws.id, o.provider, pqxx::binarystring(sealed), hint, !o.inactive, public_key, o.max_concurrent_calls);
  audit.new_values = audit_values(tx, ws.id, o.provider);
  record_audit(tx, audit);
  Result r;
  r.fields = to_fields(query_table(tx, integration_query(session, ws.id, o.provider)));
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             "set the " + label(o.workspace, o.provider) + " (key " + hint + ")",
                             "would set the " + label(o.workspace, o.provider) + " (key " + hint + ")");
}

Result run_integration_webhook_secret(const IntegrationSetOptions& o, Session& session) {
  check_provider(o.provider);
  if (o.provider == "retell")
    throw UsageError("Retell signs its webhooks with the API key; there is no separate secret",
                     "set the key that has Retell's webhook badge with `wfa integration set`");
  auto secret = read_secret_input(o.key_file, "the " + o.provider + " webhook secret", max_api_key_bytes);
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:integrations:update");
  auto [sealed, hint] = seal_input(session, tx, secret, integration_webhook_context(ws.id, o.provider));
  auto audit = integration_audit(tx, session, "integration.webhook_secret", ws, o.provider);
  auto updated = tx.exec_params(
      "UPDATE workspace_integrations SET webhook_secret = $3, webhook_secret_hint = $4 WHERE workspace_id = $1::uuid"
      " AND provider = $2 RETURNING 1",
      ws.id, o.provider, pqxx::binarystring(sealed), hint);
  if (updated.empty()) no_integration(o.workspace, o.provider);
  record_audit(tx, audit);
  Result r;
  r.fields = to_fields(query_table(tx, integration_query(session, ws.id, o.provider)));
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             "set the webhook secret of the " + label(o.workspace, o.provider) + " (" + hint + ")",
                             "would set the webhook secret of the " + label(o.workspace, o.provider));
}

Result run_integration_list(const IntegrationListOptions& o, Session& session) {
  auto tx = list_transaction(session);
  auto ws = workspace_for(*tx, session, o.workspace, "workspace:integrations:read");
  auto query = integration_query(session, ws.id, std::nullopt);
  query.when_empty("workspace " + o.workspace + " has no integrations; add one with `wfa integration set " +
                   o.workspace + " vapi --key-file FILE`");
  return list_rows(tx, query, o.paging, session);
}

Result run_integration_show(const IntegrationRefOptions& o, Session& session) {
  check_provider(o.provider);
  pqxx::read_transaction tx(session.read_database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:integrations:read");
  Result r;
  r.fields = to_fields(query_table(tx, integration_query(session, ws.id, o.provider)));
  if (r.fields.empty()) no_integration(o.workspace, o.provider);
  return r;
}

Result run_integration_remove(const IntegrationRefOptions& o, Session& session) {
  check_provider(o.provider);
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:integrations:delete");
  Result r;
  r.fields = to_fields(query_table(tx, integration_query(session, ws.id, o.provider)));
  if (r.fields.empty()) no_integration(o.workspace, o.provider);
  if (!o.dry_run) session.confirm(o.yes, "remove the " + label(o.workspace, o.provider) + " and its API key");
  auto audit = integration_audit(tx, session, "integration.remove", ws, o.provider);
  tx.exec_params("DELETE FROM workspace_integrations WHERE workspace_id = $1::uuid AND provider = $2", ws.id,
                 o.provider);
  record_audit(tx, audit);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "removed the " + label(o.workspace, o.provider),
                             "would remove the " + label(o.workspace, o.provider));
}

Result run_integration_test(const IntegrationRefOptions& o, Session& session) {
  check_provider(o.provider);
  std::optional<ProviderClient> client;
  WorkspaceRef ws;
  {
    pqxx::work tx(session.database().ready());
    ws = workspace_for(tx, session, o.workspace, "workspace:integrations:update");
    client.emplace(integration_client(session, tx, ws.id, o.workspace, o.provider));
    tx.commit();
  }
  KeyCheck check;
  std::optional<Error> unreachable;
  try {
    check = read_key_check(client->call("GET", key_check_path(o.provider)));
  } catch (const Error& e) {
    unreachable = e;
    check.result = "unreachable";
  }
  pqxx::work tx(session.database().ready());
  tx.exec_params(
      "UPDATE workspace_integrations SET last_tested_at = now(), last_test_result = $3"
      " WHERE workspace_id = $1::uuid AND provider = $2",
      ws.id, o.provider, check.result);
  Result r;
  r.fields = to_fields(query_table(tx, integration_query(session, ws.id, o.provider)));
  tx.commit();
  if (unreachable) throw *unreachable;
  if (check.refused)
    throw InvalidInputError(o.provider + " refused the API key of " + o.workspace + " (" + check.result + ")",
                            "set the right key with `wfa integration set " + o.workspace + " " + o.provider + "`");
  if (!check.ok) throw TemporaryError(o.provider + " answered the key check with " + check.result, "try again later");
  r.message = "the " + label(o.workspace, o.provider) + " works: " + check.result;
  return r;
}

}  // namespace wfa
