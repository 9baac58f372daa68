// Agent specs mapped to VAPI, Retell and Synthflow payloads, and the field-level diff of two payloads.
#include "pipelines/providers/agent_payload.hpp"

#include <nlohmann/json.hpp>

namespace wfa {

using json = nlohmann::json;

std::string vapi_assistant(const AgentSpec& spec, const std::string& agent_id) {
  json model = {{"provider", spec.model_provider},
                {"model", spec.model},
                {"messages", json::array({{{"role", "system"}, {"content", spec.system_prompt}}})}};
  if (spec.temperature) model["temperature"] = *spec.temperature;
  if (spec.max_tokens) model["maxTokens"] = *spec.max_tokens;
  if (!spec.tools.empty()) {
    json tools = json::array();
    for (const auto& t : spec.tools)
      tools.push_back(
          {{"type", "function"},
           {"function", {{"name", t.name}, {"description", t.description}, {"parameters", json::parse(t.parameters)}}},
           {"server", {{"url", t.server_url}}}});
    model["tools"] = tools;
  }
  json voice = {{"provider", spec.voice_provider}, {"voiceId", spec.voice_id}};
  if (!spec.voice_model.empty()) voice["model"] = spec.voice_model;
  auto metadata = json::parse(spec.metadata);
  metadata["wfa_agent_id"] = agent_id;
  json out = {{"name", spec.name}, {"model", model}, {"voice", voice}, {"metadata", metadata}};
  if (!spec.first_message.empty()) out["firstMessage"] = spec.first_message;
  if (!spec.transcriber_provider.empty()) {
    json transcriber = {{"provider", spec.transcriber_provider}};
    if (!spec.transcriber_model.empty()) transcriber["model"] = spec.transcriber_model;
    if (!spec.language.empty()) transcriber["language"] = spec.language;
    out["transcriber"] = transcriber;
  }
  if (!spec.webhook_url.empty()) out["server"] = {{"url", spec.webhook_url}};
  return out.dump();
}

std::string retell_llm(const AgentSpec& spec) {
  json out = {{"general_prompt", spec.system_prompt}, {"model", spec.model}};
  if (!spec.first_message.empty()) out["begin_message"] = spec.first_message;
  if (spec.temperature) out["model_temperature"] = *spec.temperature;
  if (!spec.tools.empty()) {
    json tools = json::array();
    for (const auto& t : spec.tools)
      tools.push_back({{"type", "custom"},
                       {"name", t.name},
                       {"description", t.description},
                       {"url", t.server_url},
                       {"parameters", json::parse(t.parameters)},
                       {"speak_after_execution", true}});
    out["general_tools"] = tools;
  }
  return out.dump();
}

std::string retell_agent(const AgentSpec& spec, const std::string& llm_id) {
  json out = {{"response_engine", {{"type", "retell-llm"}, {"llm_id", llm_id}}},
              {"voice_id", spec.voice_id},
              {"agent_name", spec.name}};
  if (!spec.voice_model.empty()) out["voice_model"] = spec.voice_model;
  if (!spec.language.empty()) out["language"] = spec.language;
  if (!spec.webhook_url.empty()) out["webhook_url"] = spec.webhook_url;
  return out.dump();
}

std::string synthflow_assistant(const AgentSpec& spec) {
  json agent = {{"prompt", spec.system_prompt}, {"llm", spec.model}, {"voice_id", spec.voice_id}};
  if (!spec.first_message.empty()) agent["greeting_message"] = spec.first_message;
  if (!spec.language.empty()) agent["language"] = spec.language;
  if (!spec.voice_model.empty()) agent["voice_synthesizer"] = spec.voice_model;
  if (!spec.transcriber_provider.empty()) agent["transcriber_provider"] = spec.transcriber_provider;
  json out = {{"type", "outbound"}, {"name", spec.name}, {"agent", agent}};
  if (!spec.webhook_url.empty()) out["external_webhook_url"] = spec.webhook_url;
  return out.dump();
}

namespace {

std::string shortened(const json& value) {
  auto text = value.dump();
  return text.size() <= 60 ? text : text.substr(0, 57) + "...";
}

void diff(const json& before, const json& after, const std::string& path, std::string& out) {
  if (before == after) return;
  if (before.is_object() && after.is_object()) {
    for (const auto& [key, value] : after.items())
      diff(before.contains(key) ? before[key] : json(), value, path.empty() ? key : path + "." + key, out);
    for (const auto& [key, value] : before.items())
      if (!after.contains(key)) diff(value, json(), path.empty() ? key : path + "." + key, out);
    return;
  }
  out += path + ": " + (before.is_null() ? "(none)" : shortened(before)) + " → " +
         (after.is_null() ? "(none)" : shortened(after)) + "\n";
}

}  // namespace

std::string payload_diff(const std::string& before, const std::string& after) {
  std::string out;
  diff(before.empty() ? json::object() : json::parse(before), json::parse(after), "", out);
  return out;
}

}  // namespace wfa
