#pragma once
/// AgentSpec is a voice agent as wfa keeps it, whatever its provider: voice, model and transcriber choices, the prompt
/// and first message, function tools, knowledge documents and metadata. It is read from a spec file (JSON) or flags,
/// checked for its provider before any call, and mapped to each provider's payload (agent_payload.hpp).
#include <optional>
#include <string>
#include <vector>

namespace wfa {

/// AgentTool is a function the model may call: JSON-schema parameters and the server that answers it.
struct AgentTool {
  std::string name;
  std::string description;
  std::string parameters;  ///< a JSON object (the schema), as text
  std::string server_url;
};

struct AgentSpec {
  std::string name;
  std::string provider;  ///< vapi, retell, synthflow
  std::string voice_provider, voice_id, voice_model;
  std::string model_provider, model;
  std::optional<double> temperature;
  std::optional<int> max_tokens;
  std::string transcriber_provider, transcriber_model, language;
  std::string system_prompt, first_message;
  std::vector<AgentTool> tools;
  std::vector<std::string> knowledge;  ///< knowledge document names, linked when the agent is saved
  std::string metadata = "{}";         ///< a JSON object, as text
  std::string webhook_url;             ///< where the provider sends call events; empty: the provider's account default

  /// to_json is the spec as wfa stores it (ai_agents.config) and a spec file holds it.
  std::string to_json() const;
};

/// parse_agent_spec reads a spec file's TEXT (WHERE names it in messages); unknown fields, wrong types and bad values
/// are InvalidInputError naming WHERE and the field's JSON path.
AgentSpec parse_agent_spec(const std::string& text, const std::string& where);

/// check_agent_spec validates SPEC for its provider (known voice, model and transcriber providers, a voice id, tool
/// schemas that are objects, https tool servers...); the first problem is InvalidInputError naming the field.
void check_agent_spec(const AgentSpec& spec, const std::string& where);

/// Known providers of each part, per voice provider (VAPI's one-of unions; Retell and Synthflow's enums).
const std::vector<std::string>& voice_providers_of(const std::string& provider);
const std::vector<std::string>& model_providers_of(const std::string& provider);
const std::vector<std::string>& transcriber_providers_of(const std::string& provider);

}  // namespace wfa
