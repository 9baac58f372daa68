// `wfa number create|import|adopt`: numbers a workspace gets at its provider, recorded once the provider has them.
#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/integration/integration_access.hpp"
#include "commands/number/number.hpp"
#include "commands/number/number_rules.hpp"
#include "commands/secret/secret_keys.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/json_input.hpp"
#include "core/rows.hpp"
#include "core/secret_box.hpp"
#include "core/session.hpp"
#include "pipelines/phone.hpp"
#include "pipelines/providers/number_payload.hpp"
#include "pipelines/providers/provider.hpp"
#include "pipelines/providers/provider_json.hpp"

namespace wfa {

namespace {

/// max_credentials_bytes bounds a credentials file.
constexpr std::size_t max_credentials_bytes = 16 * 1024;

/// NewNumber is what the provider gave, to be recorded.
struct NewNumber {
  ProviderNumber got;
  std::string source;
  std::string credential_id, termination_uri;
  NumberCredentials credentials;
};

void check_provider(const std::string& provider) {
  check_choice("provider", provider, voice_providers, "a voice provider");
}

/// call_provider makes REQUEST and reads its JSON answer; a 404 is NotFoundError naming WHAT.
nlohmann::json call_provider(ProviderClient& client, const NumberRequest& request, const std::string& what,
                             const std::string& hint) {
  auto response = client.call(request.method, request.path, request.body);
  if (response.status == 404)
    throw NotFoundError(client.provider() + " has no " + what, "check the id in the provider's dashboard");
  return provider_json(client, response, what, hint);
}

/// agent_of is the id of WS's agent on PROVIDER whose provider id is EXTERNAL, or NULL.
std::optional<std::string> agent_of(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& provider,
                                    const std::string& external) {
  if (external.empty()) return std::nullopt;
  auto rows = tx.exec_params(
      "SELECT id FROM ai_agents WHERE workspace_id = $1::uuid AND provider = $2 AND external_agent_id = $3"
      " AND deleted_at IS NULL",
      ws.id, provider, external);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

/// forget_credential_quietly deletes the credential a failed import made at the provider; the import's own failure is
/// what the user must see, so a failure here is swallowed (the credential then stays, unused, in the dashboard).
void forget_credential_quietly(ProviderClient& client, const std::string& credential_id) {
  try {
    forget_credential(client, credential_id);
  } catch (const std::exception&) {
  }
}

/// record_number writes NUMBER as WS's new number at PROVIDER (route, row with sealed credentials, audit) and
/// commits; if that fails and UNDO, the provider is asked to let the number go again, so nothing it issued or imported
/// for this run is left unrecorded (an adopted number was there before and stays).
Result record_number(pqxx::work& tx, Session& session, ProviderClient& client, const WorkspaceRef& ws,
                     const std::string& provider, NewNumber& number, const std::string& action, bool undo) {
  try {
    auto id = tx.exec("SELECT gen_random_uuid()")[0][0].as<std::string>();
    claim_number_route(tx, ws, number.got.number, id);
    auto text_or_null = [](const std::string& s) { return s.empty() ? std::optional<std::string>() : s; };
    tx.exec_params(
        "INSERT INTO phone_numbers (workspace_id, id, provider, number, provider_number_id, provider_credential_id,"
        " source, agent_id, termination_uri, created_by)"
        " VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8::uuid, $9, $10)",
        ws.id, id, provider, number.got.number, number.got.id, text_or_null(number.credential_id), number.source,
        agent_of(tx, ws, provider, number.got.agent), text_or_null(number.termination_uri), session.actor());
    if (!number.credentials.empty()) {
      auto text = number.credentials.to_json();
      pqxx::binarystring sealed(secret_keyring(session, tx).seal(text, number_context(ws.id, id)));
      wipe_secret(text);
      tx.exec_params(
          "UPDATE phone_numbers SET credentials = $3, credentials_hint = $4 WHERE workspace_id = $1::uuid"
          " AND id = $2::uuid",
          ws.id, id, sealed, number.credentials.hint(number.source));
    }
    number.credentials.wipe();
    AuditEntry audit{
        session.actor(), action, "phone_number", id, ws.partner_id, ws.id, "", number_audit_values(tx, ws.id, id), ""};
    record_audit(tx, audit);
    Result r;
    r.fields = to_fields(query_table(tx, number_query(ws.id, std::nullopt, std::nullopt, id)));
    return commit_or_roll_back(tx, std::move(r), false,
                               "added " + number.got.number + " (" + provider + ", " + number.source + ")", "");
  } catch (...) {
    number.credentials.wipe();
    if (undo) {
      try {
        auto release = release_number_request(provider, number.got.id);
        client.call(release.method, release.path, release.body);
      } catch (const std::exception&) {
        // The original failure is what the user must see; the number stays at the provider, to be adopted.
      }
      forget_credential_quietly(client, number.credential_id);
    }
    throw;
  }
}

/// dry_run_result describes what a dry run would have asked PROVIDER for, and rolls TX back.
Result dry_run_result(pqxx::work& tx, const std::string& provider, const std::string& what) {
  Result r;
  r.fields = {{"provider", Cell(provider)}, {"request", Cell(what)}};
  return commit_or_roll_back(tx, std::move(r), true, "", "would " + what + " at " + provider);
}

}  // namespace

Result run_number_create(const NumberCreateOptions& o, Session& session) {
  check_provider(o.provider);
  require_number_api(o.provider, "sells");
  auto area = check_area_code(session.option("area-code"), o.area_code);
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:numbers:create");
  auto client = integration_client(session, tx, ws.id, o.workspace, o.provider);
  require_number_room(tx, ws, o.workspace);
  auto what = "a new number in area code " + area;
  if (o.dry_run) return dry_run_result(tx, o.provider, "ask for " + what);
  auto answer = call_provider(client, create_number_request(o.provider, area), what,
                              "try another area code, or buy the number in the provider's dashboard and adopt it");
  NewNumber number{read_provider_number(o.provider, answer), "provider", "", "", {}};
  return record_number(tx, session, client, ws, o.provider, number, "number.create", true);
}

Result run_number_import(const NumberImportOptions& o, Session& session) {
  check_provider(o.provider);
  check_choice(session.option("source"), o.source, number_import_sources, "a number source");
  require_number_api(o.provider, "imports");
  std::string e164;
  auto reading = PhoneReader(o.default_country.value_or(""), PhoneUse::contact).read(o.number, e164);
  if (!reading.problem.empty())
    throw InvalidInputError("phone number '" + o.number + "': " + reading.problem,
                            "give the number with its country code, e.g. +14155550100");
  NewNumber number{{"", e164, ""}, o.source, "", "", {}};
  if (needs_termination_uri(o.provider, o.source)) {
    if (!o.termination_uri)
      throw UsageError(
          "an import from " + o.source + " at " + o.provider + " needs " + session.option("termination-uri"),
          "give the SIP trunk's address, e.g. example.pstn.twilio.com");
    number.termination_uri = check_termination_uri(session.option("termination-uri"), *o.termination_uri);
  } else if (o.termination_uri) {
    throw UsageError(session.option("termination-uri") + " is only for SIP trunks",
                     "leave it out for an import from " + o.source + " at " + o.provider);
  }
  // Synthflow's custom numbers join one of its workspaces, which its API names in the request.
  std::string provider_workspace;
  if (o.provider == "synthflow") {
    if (!o.provider_workspace)
      throw UsageError("an import at synthflow needs " + session.option("provider-workspace"),
                       "give the id of the Synthflow workspace the number joins (Settings in its dashboard)");
    check_single_line(session.option("provider-workspace"), *o.provider_workspace, 200);
    if (o.provider_workspace->empty())
      throw InvalidInputError(session.option("provider-workspace") + " is empty", "give the Synthflow workspace id");
    provider_workspace = *o.provider_workspace;
  } else if (o.provider_workspace) {
    throw UsageError(session.option("provider-workspace") + " is only for synthflow",
                     "leave it out for an import at " + o.provider);
  }
  {
    auto text = read_input_file(o.credentials_file, "the credentials", max_credentials_bytes);
    auto hint = "a JSON object, e.g. {\"account_sid\": \"AC...\", \"auth_token\": \"...\"}";
    auto doc = parse_json_input(text, "the credentials", o.credentials_file, max_credentials_bytes, hint);
    wipe_secret(text);
    number.credentials = read_number_credentials(doc, o.provider, o.source, "the credentials");
    for (auto& item : doc.items())
      if (item.value().is_string()) wipe_secret(item.value().get_ref<std::string&>());
  }
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:numbers:create");
  auto client = integration_client(session, tx, ws.id, o.workspace, o.provider);
  require_number_room(tx, ws, o.workspace);
  require_number_free(tx, ws, e164);
  if (o.dry_run) {
    number.credentials.wipe();
    return dry_run_result(tx, o.provider, "import " + e164 + " from " + o.source);
  }
  try {
    auto hint = "check the credentials and the number at " + o.source;
    if (auto request = credential_request(o.provider, o.source, number.credentials, number.termination_uri))
      number.credential_id =
          read_credential_id(o.provider, call_provider(client, *request, "the credentials for " + e164, hint));
    auto answer =
        call_provider(client,
                      import_number_request(o.provider, o.source, e164, number.credentials,
                                            {number.termination_uri, number.credential_id, provider_workspace}),
                      "importing " + e164, hint);
    number.got = read_provider_number(o.provider, answer);
  } catch (...) {
    number.credentials.wipe();
    forget_credential_quietly(client, number.credential_id);
    throw;
  }
  return record_number(tx, session, client, ws, o.provider, number, "number.import", true);
}

Result run_number_adopt(const NumberAdoptOptions& o, Session& session) {
  check_provider(o.provider);
  check_single_line("provider id", o.provider_id, 200);
  if (o.provider_id.empty()) throw InvalidInputError("the provider's number id is empty", "give its id or number");
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:numbers:create");
  auto client = integration_client(session, tx, ws.id, o.workspace, o.provider);
  require_number_room(tx, ws, o.workspace);
  auto answer = call_provider(client, fetch_number_request(o.provider, o.provider_id), "phone number " + o.provider_id,
                              "check the id in the provider's dashboard");
  NewNumber number{read_provider_number(o.provider, answer), "adopted", "", "", {}};
  require_number_free(tx, ws, number.got.number);
  if (o.dry_run) return dry_run_result(tx, o.provider, "adopt " + number.got.number);
  return record_number(tx, session, client, ws, o.provider, number, "number.adopt", false);
}

}  // namespace wfa
