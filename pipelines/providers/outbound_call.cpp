// Outbound and web calls at VAPI, Retell and Synthflow: bodies, one-shot creation, concurrency, lookups after a crash.
#include "pipelines/providers/outbound_call.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "core/url_encoding.hpp"
#include "core/utc_time.hpp"
#include "pipelines/providers/provider_json.hpp"

namespace wfa {

namespace {

using json = nlohmann::json;

constexpr std::chrono::minutes clock_skew{1};  ///< a provider's clock may be this far behind ours
constexpr int lookup_pages = 20;               ///< pages read at most when looking an attempt's call up

json metadata_of(const OutboundCall& call) {
  json metadata = {{"wfa_attempt_id", call.attempt_id}};
  if (call.test) metadata["wfa_test"] = true;
  return metadata;
}

json variables_object(const OutboundCall& call) {
  json out = json::object();
  for (const auto& [key, value] : call.variables) out[key] = value;
  return out;
}

void require_field(std::string_view provider, const std::string& value, const std::string& what) {
  if (value.empty())
    throw InvalidInputError(std::string(provider) + " needs " + what + " to place a call",
                            "call from a number the workspace owns at " + std::string(provider));
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

/// is_concurrency_refusal reads how each provider refuses a call for want of a slot. VAPI: HTTP 400 "Over Concurrency
/// Limit" (docs PR), or any refusal naming concurrency; Retell: a 429 or 4xx naming concurrency (a plain 429 is its
/// request throttle); Synthflow: 429 on POST /calls is its concurrent-calls and CAPS limit (its only documented 429).
bool is_concurrency_refusal(std::string_view provider, const HttpResponse& response) {
  if (response.status < 400 || response.status >= 500) return false;
  if (provider == "synthflow" && response.status == 429) return true;
  auto said = lower(provider_refusal(response) + " " + response.body.substr(0, 400));
  return said.find("concurren") != std::string::npos;
}

/// metadata_attempt is the wfa_attempt_id a call object carries in its metadata ("" for none).
std::string metadata_attempt(const json& call) {
  auto metadata = call.find("metadata");
  if (metadata == call.end() || !metadata->is_object()) return "";
  auto id = metadata->find("wfa_attempt_id");
  return id != metadata->end() && id->is_string() ? id->get<std::string>() : "";
}

std::optional<std::string> find_vapi(ProviderClient& client, const OutboundCall& call,
                                     std::chrono::system_clock::time_point from) {
  auto from_ms = std::chrono::duration_cast<std::chrono::milliseconds>(from.time_since_epoch()).count();
  auto page = provider_json(client,
                            client.call("GET", "/call?assistantId=" + url_escape(call.agent_external_id) +
                                                   "&createdAtGe=" + url_escape(utc_text(from_ms)) + "&limit=1000"),
                            "the call list", "check the integration's key");
  if (!page.is_array()) throw TemporaryError("vapi answered the call list with something other than a list");
  for (const auto& c : page)
    if (metadata_attempt(c) == call.attempt_id && c.contains("id")) return c["id"].get<std::string>();
  return std::nullopt;
}

std::optional<std::string> find_retell(ProviderClient& client, const OutboundCall& call,
                                       std::chrono::system_clock::time_point from) {
  auto from_ms = std::chrono::duration_cast<std::chrono::milliseconds>(from.time_since_epoch()).count();
  json request = {{"filter_criteria",
                   {{"agent", json::array({{{"agent_id", call.agent_external_id}}})},
                    {"start_timestamp", {{"type", "number"}, {"op", "ge"}, {"value", from_ms}}}}},
                  {"sort_order", "ascending"},
                  {"limit", 1000}};
  for (int page_no = 0; page_no < lookup_pages; ++page_no) {
    auto page = provider_json(client, client.call("POST", "/v3/list-calls", request.dump()), "the call list",
                              "check the integration's key");
    for (const auto& c : page.value("items", json::array()))
      if (metadata_attempt(c) == call.attempt_id && c.contains("call_id")) return c["call_id"].get<std::string>();
    if (!page.value("has_more", false) || !page.contains("pagination_key") || !page["pagination_key"].is_string())
      break;
    request["pagination_key"] = page["pagination_key"];
  }
  return std::nullopt;
}

/// carries_attempt: a Synthflow call's prompt (custom) variables name ATTEMPT.
bool carries_attempt(const json& c, const std::string& attempt) {
  for (const char* field : {"prompt_variables", "custom_variables"}) {
    auto vars = c.find(field);
    if (vars == c.end()) continue;
    if (vars->is_object() && vars->value("wfa_attempt_id", "") == attempt) return true;
    if (vars->is_array())
      for (const auto& v : *vars)
        if (v.is_object() && v.value("key", "") == "wfa_attempt_id" && v.value("value", "") == attempt) return true;
  }
  return false;
}

std::optional<std::string> find_synthflow(ProviderClient& client, const OutboundCall& call,
                                          std::chrono::system_clock::time_point from) {
  auto from_ms = std::chrono::duration_cast<std::chrono::milliseconds>(from.time_since_epoch()).count();
  auto answer = provider_json(client,
                              client.call("GET", "/calls?model_id=" + url_escape(call.agent_external_id) +
                                                     "&from_date=" + std::to_string(from_ms) +
                                                     "&lead_phone_number=" + url_escape(call.to) + "&limit=100"),
                              "the call list", "check the integration's key");
  auto calls = answer.value("response", json::object()).value("calls", json::array());
  std::optional<std::string> earliest;
  long long earliest_at = 0;
  for (const auto& c : calls) {
    if (!c.contains("call_id") || !c["call_id"].is_string()) continue;
    auto to = c.value("lead_phone_number", c.value("phone_number_to", ""));
    if (carries_attempt(c, call.attempt_id)) return c["call_id"].get<std::string>();
    if (to != call.to) continue;
    auto start = c.value("start_time", json("0"));
    long long at = start.is_string() ? std::atoll(start.get<std::string>().c_str()) : start.get<long long>();
    if (at < from_ms) continue;
    if (!earliest || at < earliest_at) earliest = c["call_id"].get<std::string>(), earliest_at = at;
  }
  return earliest;
}

}  // namespace

std::string outbound_call_body(std::string_view provider, const OutboundCall& call) {
  json body;
  if (provider == "vapi") {
    require_field(provider, call.from_provider_number_id, "the caller number's phoneNumberId");
    body = {{"assistantId", call.agent_external_id},
            {"phoneNumberId", call.from_provider_number_id},
            {"customer", {{"number", call.to}}},
            {"metadata", metadata_of(call)}};
    if (!call.variables.empty()) body["assistantOverrides"] = {{"variableValues", variables_object(call)}};
  } else if (provider == "retell") {
    require_field(provider, call.from_number, "a from number");
    body = {{"from_number", call.from_number},
            {"to_number", call.to},
            {"override_agent_id", call.agent_external_id},
            {"metadata", metadata_of(call)}};
    if (!call.variables.empty()) body["retell_llm_dynamic_variables"] = variables_object(call);
  } else if (provider == "synthflow") {
    std::string name = call.to;
    auto vars = json::array();
    for (const auto& [key, value] : call.variables) {
      if (key == "name") name = value;
      vars.push_back({{"key", key}, {"value", value}});
    }
    vars.push_back({{"key", "wfa_attempt_id"}, {"value", call.attempt_id}});
    if (call.test) vars.push_back({{"key", "wfa_test"}, {"value", "true"}});
    body = {{"model_id", call.agent_external_id}, {"phone", call.to}, {"name", name}, {"custom_variables", vars}};
    if (!call.from_number.empty()) body["from_phone_number"] = call.from_number;
  } else {
    throw InvalidInputError("no outbound calls at provider " + std::string(provider));
  }
  return body.dump();
}

OutboundCallResult start_outbound_call(ProviderClient& client, const OutboundCall& call) {
  const auto& provider = client.provider();
  auto body = outbound_call_body(provider, call);
  std::string path = provider == "vapi" ? "/call" : provider == "retell" ? "/v2/create-phone-call" : "/calls";
  auto response = client.call("POST", path, body, Retry::never);
  const std::string recover = "the call may exist at " + provider + "; it is looked up before any new dial";
  if (is_concurrency_refusal(provider, response)) {
    auto said = provider_refusal(response);
    throw ConcurrencyRefused(provider + " has no concurrency slot for a call to " + call.to + " (HTTP " +
                                 std::to_string(response.status) + (said.empty() ? "" : ": " + said) + ")",
                             "try again when one of the account's calls has ended");
  }
  if (response.status == 429)
    throw TemporaryError(provider + " is throttling requests (HTTP 429); no call to " + call.to + " was made",
                         "try again in a moment");
  if (retryable_status(response.status)) {
    auto said = provider_refusal(response);
    throw TemporaryError(provider + " answered POST " + path + " with HTTP " + std::to_string(response.status) +
                             (said.empty() ? "" : ": " + said),
                         recover);
  }
  auto answer = provider_json(client, response, "the call to " + call.to,
                              "check the agent, the caller number and the number called");
  if (provider == "synthflow" && answer.contains("response") && answer["response"].is_object())
    answer = answer["response"];
  if (!answer.is_object())
    throw TemporaryError(provider + " accepted the call to " + call.to + " without its call id", recover);
  // VAPI's POST /call answer carries subscriptionLimits {concurrencyBlocked, concurrencyLimit,
  // remainingConcurrentCalls} (docs.vapi.ai/calls/call-concurrency; SDK type SubscriptionLimits).
  auto limits = answer.value("subscriptionLimits", json::object());
  bool blocked = limits.is_object() && limits.contains("concurrencyBlocked") &&
                 limits["concurrencyBlocked"].is_boolean() && limits["concurrencyBlocked"].get<bool>();
  // VAPI answers a call it could not start for want of a slot as blocked, or as an ended call with that reason.
  if (blocked || lower(answer.value("endedReason", "")).find("concurrency") != std::string::npos)
    throw ConcurrencyRefused(
        provider + " has no concurrency slot for a call to " + call.to + " (" +
            (blocked ? std::string("subscriptionLimits.concurrencyBlocked") : answer.value("endedReason", "")) + ")",
        "try again when one of the account's calls has ended");
  const char* id_field = provider == "vapi" ? "id" : "call_id";
  if (!answer.contains(id_field) || !answer[id_field].is_string() || answer[id_field].get<std::string>().empty())
    throw TemporaryError(provider + " accepted the call to " + call.to + " without its call id", recover);
  OutboundCallResult result{answer[id_field].get<std::string>(), std::nullopt};
  if (limits.is_object() && limits.contains("concurrencyLimit") && limits["concurrencyLimit"].is_number() &&
      limits["concurrencyLimit"].get<double>() >= 0)
    result.account_limit = static_cast<int>(limits["concurrencyLimit"].get<double>());
  return result;
}

std::optional<int> account_concurrency_limit(ProviderClient& client) {
  // VAPI documents no request for its limit: each POST /call answer reports it (start_outbound_call).
  if (client.provider() != "retell") return std::nullopt;
  auto response = client.call("GET", "/get-concurrency");
  if (response.status == 404) return std::nullopt;
  auto answer = provider_json(client, response, "the account's concurrency", "check the integration's key");
  if (answer.is_object() && answer.contains("concurrency_limit") && answer["concurrency_limit"].is_number())
    return answer["concurrency_limit"].get<int>();
  return std::nullopt;
}

std::optional<std::string> find_outbound_call(ProviderClient& client, const OutboundCall& call,
                                              std::chrono::system_clock::time_point requested_at) {
  auto from = requested_at - clock_skew;
  if (client.provider() == "vapi") return find_vapi(client, call, from);
  if (client.provider() == "retell") return find_retell(client, call, from);
  if (client.provider() == "synthflow") return find_synthflow(client, call, from);
  return std::nullopt;
}

WebCall start_web_call(ProviderClient& client, const std::string& agent_external_id, const std::string& public_key) {
  WebCall web;
  web.provider = client.provider();
  if (web.provider == "vapi") {
    if (public_key.empty())
      throw NotFoundError("the workspace's vapi integration has no public key, which a browser needs for a web call",
                          "store the VAPI public key with the integration");
    web.public_key = public_key;
    web.assistant_id = agent_external_id;
    return web;
  }
  if (web.provider != "retell")
    throw UsageError(web.provider + " has no web calls in its API", "test the agent with a phone call");
  json body = {{"agent_id", agent_external_id}, {"metadata", {{"wfa_test", true}}}};
  auto answer = provider_json(client, client.call("POST", "/v2/create-web-call", body.dump()), "the web call",
                              "check the agent is synced");
  if (!answer.is_object() || !answer.contains("access_token") || !answer.contains("call_id"))
    throw TemporaryError("retell answered the web call without its access token");
  web.access_token = answer["access_token"].get<std::string>();
  web.call_id = answer["call_id"].get<std::string>();
  return web;
}

}  // namespace wfa
