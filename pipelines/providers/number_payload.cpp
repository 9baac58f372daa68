// Each provider's phone-number requests and answers (VAPI /phone-number and /credential, Retell *-phone-number,
// Synthflow /numbers and an assistant's phone_numbers).
#include "pipelines/providers/number_payload.hpp"

#include <algorithm>
#include <regex>
#include <vector>

#include "core/error.hpp"
#include "core/secret_box.hpp"
#include "core/url_encoding.hpp"

namespace wfa {

namespace {

using json = nlohmann::json;

/// CredentialField is one credentials field: its name in the file and where it goes.
struct CredentialField {
  const char* name;
  std::string NumberCredentials::*member;
};

const std::vector<CredentialField> fields = {
    {"account_sid", &NumberCredentials::account_sid}, {"auth_token", &NumberCredentials::auth_token},
    {"api_key", &NumberCredentials::api_key},         {"api_secret", &NumberCredentials::api_secret},
    {"username", &NumberCredentials::username},       {"password", &NumberCredentials::password},
};

/// CredentialNeeds is what an import from one source requires: fields that must be set, and fields that may come as a
/// pair.
struct CredentialNeeds {
  std::vector<std::string> required, optional_pair;
};

CredentialNeeds needs_of(std::string_view provider, std::string_view source) {
  if (provider == "vapi" && source == "twilio") return {{"account_sid", "auth_token"}, {}};
  if (provider == "vapi" && source == "vonage") return {{"api_key", "api_secret"}, {}};
  if (provider == "vapi" && source == "telnyx") return {{"api_key"}, {}};
  return {{}, {"username", "password"}};  // a SIP trunk: username and password, or IP authentication
}

std::string body_of(const json& body) { return body.dump(); }

/// pick is the first string of NAMES in OBJ, or "".
std::string pick(const json& obj, std::initializer_list<const char*> names) {
  if (!obj.is_object()) return "";
  for (const auto* name : names)
    if (obj.contains(name) && obj[name].is_string()) return obj[name].get<std::string>();
  return "";
}

}  // namespace

void require_number_api(std::string_view provider, std::string_view what) {
  if (provider == "synthflow" && what != "imports")
    throw UsageError("Synthflow " + std::string(what) + " phone numbers only in its dashboard",
                     "get the number in Synthflow's dashboard, then adopt it by its slug");
}

bool NumberCredentials::empty() const {
  for (const auto& f : fields)
    if (!(this->*f.member).empty()) return false;
  return true;
}

std::string NumberCredentials::to_json() const {
  json out = json::object();
  for (const auto& f : fields)
    if (!(this->*f.member).empty()) out[f.name] = this->*f.member;
  return out.dump();
}

std::string NumberCredentials::hint(std::string_view source) const {
  for (const auto* id : {&account_sid, &api_key, &username})
    if (!id->empty()) return std::string(source) + " " + masked_secret(*id);
  return std::string(source);
}

void NumberCredentials::wipe() {
  for (const auto& f : fields) wipe_secret(this->*f.member);
}

NumberCredentials read_number_credentials(const json& doc, std::string_view provider, std::string_view source,
                                          std::string_view what) {
  auto where = std::string(what);
  auto needs = needs_of(provider, source);
  auto wanted = needs.required;
  wanted.insert(wanted.end(), needs.optional_pair.begin(), needs.optional_pair.end());
  std::string names;
  for (const auto& w : wanted) names += (names.empty() ? "" : ", ") + w;
  auto hint = "give a JSON object with " + (names.empty() ? std::string("no fields") : names);
  if (!doc.is_object()) throw InvalidInputError(where + " is not a JSON object", hint);
  NumberCredentials out;
  for (const auto& [key, value] : doc.items()) {
    const CredentialField* field = nullptr;
    for (const auto& f : fields)
      if (key == f.name) field = &f;
    if (!field || std::find(wanted.begin(), wanted.end(), key) == wanted.end())
      throw InvalidInputError(where + ": field '" + key + "' does not belong to an import from " + std::string(source) +
                                  " at " + std::string(provider),
                              hint);
    if (!value.is_string() || value.get<std::string>().empty() || value.get<std::string>().size() > 500 ||
        control_at(value.get<std::string>()) != std::string::npos)
      throw InvalidInputError(where + ": field '" + key + "' must be a non-empty string of one line", hint);
    out.*(field->member) = value.get<std::string>();
  }
  for (const auto& r : needs.required)
    if (!doc.contains(r)) throw InvalidInputError(where + " lacks field '" + r + "'", hint);
  if (!needs.optional_pair.empty() && doc.contains(needs.optional_pair[0]) != doc.contains(needs.optional_pair[1]))
    throw InvalidInputError(where + " has only one of " + needs.optional_pair[0] + " and " + needs.optional_pair[1],
                            "give both, or neither for a trunk that authenticates by IP address");
  return out;
}

bool needs_termination_uri(std::string_view provider, std::string_view source) {
  return provider == "retell" || provider == "synthflow" || (provider == "vapi" && source == "sip");
}

std::string check_termination_uri(std::string_view field, std::string_view value) {
  static const std::regex shape(R"(^(sip:)?([A-Za-z0-9.-]+)(:([0-9]{1,5}))?$)");
  std::string text(value);
  std::smatch m;
  auto bad = [&] {
    return InvalidInputError(std::string(field) + " '" + text.substr(0, 100) + "' is not a SIP termination URI",
                             "write it as HOST or sip:HOST[:PORT], e.g. example.pstn.twilio.com");
  };
  if (!std::regex_match(text, m, shape)) throw bad();
  if (m[4].matched && (std::stoi(m[4].str()) < 1 || std::stoi(m[4].str()) > 65535)) throw bad();
  static const std::regex ipv4(R"(^([0-9]{1,3}\.){3}[0-9]{1,3}$)");
  std::string host = m[2].str();
  if (!std::regex_match(host, ipv4)) {
    try {
      host = check_hostname(field, host);
    } catch (const InvalidInputError&) {
      throw bad();
    }
  }
  return m[1].str() + host + m[3].str();
}

std::string check_area_code(std::string_view field, std::string_view value) {
  static const std::regex shape("^[2-9][0-9]{2}$");
  if (!std::regex_match(std::string(value), shape))
    throw InvalidInputError(std::string(field) + " '" + std::string(value.substr(0, 20)) + "' is not an area code",
                            "give three digits, e.g. 415");
  return std::string(value);
}

NumberRequest create_number_request(std::string_view provider, const std::string& area_code) {
  if (provider == "vapi")
    return {"POST", "/phone-number", body_of({{"provider", "vapi"}, {"numberDesiredAreaCode", area_code}})};
  if (provider == "retell") return {"POST", "/create-phone-number", body_of({{"area_code", std::stoi(area_code)}})};
  require_number_api(provider, "sells");
  throw UsageError("unknown provider " + std::string(provider), "give vapi or retell");
}

std::optional<NumberRequest> credential_request(std::string_view provider, std::string_view source,
                                                const NumberCredentials& c, const std::string& termination_uri) {
  if (provider != "vapi") return std::nullopt;
  if (source == "vonage")
    return NumberRequest{"POST", "/credential",
                         body_of({{"provider", "vonage"}, {"apiKey", c.api_key}, {"apiSecret", c.api_secret}})};
  if (source == "telnyx")
    return NumberRequest{"POST", "/credential", body_of({{"provider", "telnyx"}, {"apiKey", c.api_key}})};
  if (source != "sip") return std::nullopt;
  static const std::regex parts(R"(^(sip:)?([^:]+)(:([0-9]+))?$)");
  std::smatch m;
  std::regex_match(termination_uri, m, parts);
  json gateway = {{"ip", m[2].str()}};
  if (m[4].matched) gateway["port"] = std::stoi(m[4].str());
  json body = {{"provider", "byo-sip-trunk"}, {"gateways", json::array({gateway})}};
  if (!c.username.empty())
    body["outboundAuthenticationPlan"] = {{"authUsername", c.username}, {"authPassword", c.password}};
  return NumberRequest{"POST", "/credential", body_of(body)};
}

NumberRequest import_number_request(std::string_view provider, std::string_view source, const std::string& number,
                                    const NumberCredentials& c, const NumberImport& import) {
  if (provider == "vapi") {
    if (source == "twilio")
      return {"POST", "/phone-number",
              body_of({{"provider", "twilio"},
                       {"number", number},
                       {"twilioAccountSid", c.account_sid},
                       {"twilioAuthToken", c.auth_token}})};
    json body = {{"provider", source == "sip" ? "byo-phone-number" : std::string(source)},
                 {"number", number},
                 {"credentialId", import.credential_id}};
    if (source == "sip") body["numberE164CheckEnabled"] = true;
    return {"POST", "/phone-number", body_of(body)};
  }
  if (provider == "retell") {
    json body = {{"phone_number", number}, {"termination_uri", import.termination_uri}};
    if (!c.username.empty()) {
      body["sip_trunk_auth_username"] = c.username;
      body["sip_trunk_auth_password"] = c.password;
    }
    return {"POST", "/import-phone-number", body_of(body)};
  }
  if (provider == "synthflow") {
    // docs.synthflow.ai/api-reference/platform-api/phone-numbers/create-custom-number
    json body = {{"workspace_id", import.provider_workspace},
                 {"phone_number", number},
                 {"termination_uri", import.termination_uri}};
    if (!c.username.empty()) {
      body["trunk_username"] = c.username;
      body["trunk_pwd"] = c.password;
    }
    return {"POST", "/custom-numbers", body_of(body)};
  }
  throw UsageError("unknown provider " + std::string(provider), "give vapi, retell or synthflow");
}

NumberRequest fetch_number_request(std::string_view provider, const std::string& id) {
  if (provider == "vapi") return {"GET", "/phone-number/" + url_escape(id), ""};
  if (provider == "retell") return {"GET", "/get-phone-number/" + url_escape(id), ""};
  return {"GET", "/numbers/" + url_escape(id), ""};
}

NumberRequest route_request(std::string_view provider, const std::string& id, const std::string& agent,
                            const std::string& previous) {
  auto agent_or_null = agent.empty() ? json(nullptr) : json(agent);
  if (provider == "vapi")
    return {"PATCH", "/phone-number/" + url_escape(id), body_of({{"assistantId", agent_or_null}})};
  if (provider == "retell")
    return {"PATCH", "/update-phone-number/" + url_escape(id), body_of({{"inbound_agent_id", agent_or_null}})};
  if (agent.empty()) return {"DELETE", "/assistants/" + url_escape(previous) + "/phone_numbers/" + url_escape(id), ""};
  return {"PUT", "/assistants/" + url_escape(agent) + "/phone_numbers",
          body_of({{"phone_number_slugs", json::array({id})}})};
}

NumberRequest release_number_request(std::string_view provider, const std::string& id) {
  if (provider == "vapi") return {"DELETE", "/phone-number/" + url_escape(id), ""};
  if (provider == "retell") return {"DELETE", "/delete-phone-number/" + url_escape(id), ""};
  return {"DELETE", "/numbers/" + url_escape(id), ""};
}

std::optional<NumberRequest> delete_credential_request(std::string_view provider, const std::string& id) {
  if (provider != "vapi" || id.empty()) return std::nullopt;
  return NumberRequest{"DELETE", "/credential/" + url_escape(id), ""};
}

ProviderNumber read_provider_number(std::string_view provider, const json& body) {
  ProviderNumber out;
  if (provider == "vapi") {
    out = {pick(body, {"id"}), pick(body, {"number"}), pick(body, {"assistantId"})};
  } else if (provider == "retell") {
    out.number = pick(body, {"phone_number"});
    out.id = out.number;
    out.agent = pick(body, {"inbound_agent_id"});
  } else {
    const json& number = body.is_object() && body.contains("response") ? body["response"] : body;
    out = {pick(number, {"slug", "phone_number_slug"}), pick(number, {"phone_number", "number"}), ""};
    // An imported custom number is answered with its key and number; its slug is the number without its "+".
    if (out.id.empty() && out.number.size() > 1 && out.number[0] == '+') out.id = out.number.substr(1);
  }
  if (out.id.empty() || out.number.empty())
    throw TemporaryError(std::string(provider) + " answered about a phone number without its id or number",
                         "run it again; if it repeats, the provider's API may have changed");
  return out;
}

std::string read_credential_id(std::string_view provider, const json& body) {
  auto id = pick(body, {"id"});
  if (id.empty())
    throw TemporaryError(std::string(provider) + " answered a new credential without its id",
                         "run it again; if it repeats, the provider's API may have changed");
  return id;
}

}  // namespace wfa
