#pragma once
/// Phone numbers at the voice providers: each provider's requests to issue, import, read, route and release a number,
/// and the ids and numbers read back from its answers. No SQL and no CLI; credentials pass through but are never put
/// into a message.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/validation.hpp"

namespace wfa {

/// number_import_sources are where an imported number comes from: a carrier account or a BYO SIP trunk.
inline const Choices number_import_sources = {"twilio", "vonage", "telnyx", "sip"};

/// NumberRequest is one call to make at a provider: METHOD PATH (relative to its API) with a JSON BODY ("" for none).
struct NumberRequest {
  std::string method, path, body;
};

/// NumberCredentials are an import's secrets: Twilio's account SID and auth token, Vonage's API key and secret,
/// Telnyx's API key, or a SIP trunk's username and password. Unset fields are empty.
struct NumberCredentials {
  std::string account_sid, auth_token, api_key, api_secret, username, password;

  /// empty: no field is set (a Retell trunk without authentication).
  bool empty() const;
  /// to_json is the credentials as a JSON object of the set fields, for sealing.
  std::string to_json() const;
  /// hint is what people may see: the source and the masked first identifier ("twilio AC1…9f3e").
  std::string hint(std::string_view source) const;
  /// wipe overwrites every field.
  void wipe();
};

/// read_number_credentials takes DOC (the credentials file WHAT, a JSON object of strings) for an import from SOURCE
/// at PROVIDER: the fields that pair needs must be there and no others; InvalidInputError names the field, never a
/// value.
NumberCredentials read_number_credentials(const nlohmann::json& doc, std::string_view provider, std::string_view source,
                                          std::string_view what);

/// needs_termination_uri: an import from SOURCE at PROVIDER routes outbound calls through a SIP termination URI
/// (every Retell and Synthflow import; VAPI's BYO SIP trunks).
bool needs_termination_uri(std::string_view provider, std::string_view source);

/// check_termination_uri accepts a SIP trunk's address: an optional "sip:" scheme, a hostname or IPv4 address and an
/// optional port; returns it with the hostname lowercased. Anything else is InvalidInputError naming FIELD.
std::string check_termination_uri(std::string_view field, std::string_view value);

/// check_area_code accepts PROVIDER's area code for a new number: three digits, the first 2-9 (both VAPI and Retell
/// issue US numbers); anything else is InvalidInputError naming FIELD.
std::string check_area_code(std::string_view field, std::string_view value);

/// require_number_api refuses PROVIDER when its API cannot do WHAT with numbers ("sells", "imports"): Synthflow sells
/// numbers only in its dashboard, a UsageError saying to buy the number there and adopt it.
void require_number_api(std::string_view provider, std::string_view what);

/// create_number_request asks PROVIDER for a new number in AREA_CODE (VAPI POST /phone-number with provider vapi,
/// Retell POST /create-phone-number). Synthflow sells numbers only in its dashboard: UsageError saying to buy it there
/// and adopt it.
NumberRequest create_number_request(std::string_view provider, const std::string& area_code);

/// credential_request is the credential PROVIDER must hold before a number from SOURCE is imported (VAPI's
/// POST /credential for Vonage, Telnyx and BYO SIP trunks), or nothing.
std::optional<NumberRequest> credential_request(std::string_view provider, std::string_view source,
                                                const NumberCredentials& credentials,
                                                const std::string& termination_uri);

/// NumberImport is what an import sends besides the number: the SIP trunk's termination URI, the credential the
/// provider made first (VAPI), and the provider's own workspace the number joins (Synthflow).
struct NumberImport {
  std::string termination_uri, credential_id, provider_workspace;
};

/// import_number_request imports NUMBER (E.164) from SOURCE into PROVIDER: VAPI POST /phone-number (Twilio's keys
/// inline, the others through the credential), Retell POST /import-phone-number and Synthflow POST /custom-numbers
/// (into its workspace) with the termination URI and SIP credentials.
NumberRequest import_number_request(std::string_view provider, std::string_view source, const std::string& number,
                                    const NumberCredentials& credentials, const NumberImport& import);

/// fetch_number_request reads the number PROVIDER knows as ID (VAPI's id, Retell's E.164, Synthflow's slug).
NumberRequest fetch_number_request(std::string_view provider, const std::string& id);

/// route_request points the number ID at PROVIDER to AGENT (the provider's agent id) for inbound calls, or away from
/// PREVIOUS when AGENT is empty: VAPI PATCH assistantId, Retell PATCH inbound_agent_id, Synthflow attaches the slug to
/// the assistant (or detaches it from PREVIOUS).
NumberRequest route_request(std::string_view provider, const std::string& id, const std::string& agent,
                            const std::string& previous);

/// release_number_request deletes the number ID at PROVIDER.
NumberRequest release_number_request(std::string_view provider, const std::string& id);

/// delete_credential_request deletes the credential ID that PROVIDER holds for an imported number (VAPI
/// DELETE /credential/{id}); a provider that keeps no credentials apart from its numbers has none: nullopt.
std::optional<NumberRequest> delete_credential_request(std::string_view provider, const std::string& id);

/// ProviderNumber is a number as a provider answered it: its id there, its E.164 form and the provider's id of the
/// agent that answers its inbound calls ("" for none, or where the provider does not say).
struct ProviderNumber {
  std::string id, number, agent;
};

/// read_provider_number reads PROVIDER's answer BODY about one number; an answer without its id or number is
/// TemporaryError.
ProviderNumber read_provider_number(std::string_view provider, const nlohmann::json& body);

/// read_credential_id is the id of a credential PROVIDER made; none is TemporaryError.
std::string read_credential_id(std::string_view provider, const nlohmann::json& body);

}  // namespace wfa
