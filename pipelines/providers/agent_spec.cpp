// Agent specs: read from JSON with every field checked, validated per provider, written back as JSON.
#include "pipelines/providers/agent_spec.hpp"

#include <algorithm>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/url.hpp"
#include "core/utf8.hpp"

namespace wfa {

using json = nlohmann::json;

namespace {

/// max_spec_bytes bounds a spec file; prompts are long, but not megabytes.
constexpr std::size_t max_spec_bytes = std::size_t(1) << 20;
constexpr std::size_t max_prompt_chars = 100000;

[[noreturn]] void bad(const std::string& where, const std::string& field, const std::string& problem,
                      const std::string& hint) {
  throw InvalidInputError(where + ": " + field + " " + problem, hint);
}

/// Fields reads one JSON object, refusing fields it does not know.
class Fields {
 public:
  Fields(const json& object, std::string where, std::string path)
      : object_(object), where_(std::move(where)), path_(std::move(path)) {
    if (!object_.is_object()) bad(where_, path_.empty() ? "the spec" : path_, "is not an object", "write { ... }");
  }
  std::string at(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const json* get(const std::string& key) {
    seen_.insert(key);
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  std::string text(const std::string& key) {
    const auto* v = get(key);
    if (!v) return "";
    if (!v->is_string()) bad(where_, at(key), "is not a string", "quote it");
    auto s = v->get<std::string>();
    if (utf8_invalid_at(s) != std::string::npos) bad(where_, at(key), "is not valid UTF-8", "save the file as UTF-8");
    return s;
  }
  std::optional<double> number(const std::string& key) {
    const auto* v = get(key);
    if (!v) return std::nullopt;
    if (!v->is_number()) bad(where_, at(key), "is not a number", "write a number");
    return v->get<double>();
  }
  Fields child(const std::string& key) {
    static const json empty = json::object();
    const auto* v = get(key);
    return Fields(v ? *v : empty, where_, at(key));
  }
  /// done refuses the fields nobody asked for, so a misspelt field is an error, not ignored.
  void done() const {
    for (const auto& [key, value] : object_.items())
      if (!seen_.count(key)) bad(where_, at(key), "is not a field wfa knows", "see wfa-agent(1) for the spec format");
  }
  const std::string& where() const { return where_; }

 private:
  const json& object_;
  std::string where_, path_;
  std::set<std::string> seen_;
};

bool one_of(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

const std::vector<std::string>& voice_providers_of(const std::string& provider) {
  static const std::vector<std::string> vapi = {"vapi",   "11labs",  "azure",       "cartesia", "deepgram",
                                                "openai", "playht",  "rime-ai",     "lmnt",     "neets",
                                                "hume",   "inworld", "smallest-ai", "minimax",  "custom-voice"};
  static const std::vector<std::string> retell = {"elevenlabs", "openai", "deepgram", "cartesia", "minimax", "play"};
  static const std::vector<std::string> synthflow = {"elevenlabs"};
  return provider == "vapi" ? vapi : provider == "retell" ? retell : synthflow;
}

const std::vector<std::string>& model_providers_of(const std::string& provider) {
  static const std::vector<std::string> vapi = {"openai", "anthropic", "google",     "groq",        "custom-llm",
                                                "xai",    "deepinfra", "openrouter", "together-ai", "cerebras"};
  static const std::vector<std::string> retell = {"retell"};
  static const std::vector<std::string> synthflow = {"synthflow"};
  return provider == "vapi" ? vapi : provider == "retell" ? retell : synthflow;
}

const std::vector<std::string>& transcriber_providers_of(const std::string& provider) {
  static const std::vector<std::string> vapi = {"deepgram", "assembly-ai",  "azure",  "gladia",  "google",
                                                "openai",   "speechmatics", "11labs", "cartesia"};
  static const std::vector<std::string> none = {};
  static const std::vector<std::string> synthflow = {"deepgram", "deepgram-nova-3", "synthflow-stt"};
  return provider == "vapi" ? vapi : provider == "retell" ? none : synthflow;
}

AgentSpec parse_agent_spec(const std::string& text, const std::string& where) {
  auto document = parse_json_input(text, "agent spec", where, max_spec_bytes, "an agent spec is a JSON object");
  Fields top(document, where, "");
  AgentSpec spec;
  spec.name = top.text("name");
  spec.provider = top.text("provider");
  auto voice = top.child("voice");
  spec.voice_provider = voice.text("provider");
  spec.voice_id = voice.text("voice_id");
  spec.voice_model = voice.text("model");
  voice.done();
  auto model = top.child("model");
  spec.model_provider = model.text("provider");
  spec.model = model.text("model");
  spec.temperature = model.number("temperature");
  if (auto tokens = model.number("max_tokens")) {
    if (*tokens != static_cast<int>(*tokens) || *tokens < 1 || *tokens > 100000)
      bad(where, "model.max_tokens", "is not a whole number from 1 to 100000", "e.g. 250");
    spec.max_tokens = static_cast<int>(*tokens);
  }
  model.done();
  auto transcriber = top.child("transcriber");
  spec.transcriber_provider = transcriber.text("provider");
  spec.transcriber_model = transcriber.text("model");
  spec.language = transcriber.text("language");
  transcriber.done();
  spec.system_prompt = top.text("system_prompt");
  spec.first_message = top.text("first_message");
  spec.webhook_url = top.text("webhook_url");
  if (const auto* tools = top.get("tools")) {
    if (!tools->is_array()) bad(where, "tools", "is not an array", "write [ {\"name\": ...}, ... ]");
    for (std::size_t i = 0; i < tools->size(); ++i) {
      Fields tool((*tools)[i], where, "tools[" + std::to_string(i) + "]");
      AgentTool t;
      t.name = tool.text("name");
      t.description = tool.text("description");
      t.server_url = tool.text("server_url");
      const auto* parameters = tool.get("parameters");
      if (!parameters || !parameters->is_object())
        bad(where, tool.at("parameters"), "is not a JSON-schema object",
            "write {\"type\": \"object\", \"properties\": {...}}");
      t.parameters = parameters->dump();
      tool.done();
      spec.tools.push_back(std::move(t));
    }
  }
  if (const auto* knowledge = top.get("knowledge")) {
    if (!knowledge->is_array()) bad(where, "knowledge", "is not an array", "list document names");
    for (std::size_t i = 0; i < knowledge->size(); ++i) {
      if (!(*knowledge)[i].is_string())
        bad(where, "knowledge[" + std::to_string(i) + "]", "is not a string", "name a knowledge document");
      spec.knowledge.push_back((*knowledge)[i].get<std::string>());
    }
  }
  if (const auto* metadata = top.get("metadata")) {
    if (!metadata->is_object()) bad(where, "metadata", "is not an object", "write {\"key\": \"value\"}");
    spec.metadata = metadata->dump();
  }
  top.done();
  return spec;
}

void check_agent_spec(const AgentSpec& spec, const std::string& where) {
  static const std::vector<std::string> providers = {"vapi", "retell", "synthflow"};
  auto name_ok = !spec.name.empty() && spec.name.size() <= 120 &&
                 std::none_of(spec.name.begin(), spec.name.end(),
                              [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
  if (!name_ok) bad(where, "name", "must be 1 to 120 characters on one line", "e.g. \"Front desk\"");
  if (!one_of(providers, spec.provider))
    bad(where, "provider", "'" + spec.provider + "' is not a voice provider", "use vapi, retell or synthflow");
  const auto& p = spec.provider;
  if (spec.voice_id.empty()) bad(where, "voice.voice_id", "is missing", "name the voice, e.g. \"Elliot\"");
  if (!spec.voice_provider.empty() && !one_of(voice_providers_of(p), spec.voice_provider))
    bad(where, "voice.provider", "'" + spec.voice_provider + "' is not a " + p + " voice provider",
        "use one of " + joined(voice_providers_of(p)));
  if (p == "vapi" && spec.voice_provider.empty())
    bad(where, "voice.provider", "is missing", "use one of " + joined(voice_providers_of(p)));
  if (!spec.model_provider.empty() && !one_of(model_providers_of(p), spec.model_provider))
    bad(where, "model.provider", "'" + spec.model_provider + "' is not a " + p + " model provider",
        "use one of " + joined(model_providers_of(p)));
  if (p == "vapi" && spec.model_provider.empty())
    bad(where, "model.provider", "is missing", "use one of " + joined(model_providers_of(p)));
  if (spec.model.empty()) bad(where, "model.model", "is missing", "name the model, e.g. \"gpt-4.1\"");
  if (spec.temperature && (*spec.temperature < 0 || *spec.temperature > 2))
    bad(where, "model.temperature", "is not from 0 to 2", "e.g. 0.5");
  if (!spec.transcriber_provider.empty() && !one_of(transcriber_providers_of(p), spec.transcriber_provider))
    bad(where, "transcriber.provider",
        transcriber_providers_of(p).empty()
            ? "cannot be chosen: retell transcribes calls itself"
            : "'" + spec.transcriber_provider + "' is not a " + p + " transcriber provider",
        transcriber_providers_of(p).empty() ? "leave transcriber out"
                                            : "use one of " + joined(transcriber_providers_of(p)));
  if (spec.system_prompt.empty()) bad(where, "system_prompt", "is missing", "say what the agent does");
  if (spec.system_prompt.size() > max_prompt_chars)
    bad(where, "system_prompt", "is longer than " + std::to_string(max_prompt_chars) + " bytes", "shorten it");
  if (!spec.webhook_url.empty()) check_https_url(where + ": webhook_url", spec.webhook_url, "give an https:// URL");
  if (p == "synthflow" && !spec.tools.empty())
    bad(where, "tools", "are not supported for synthflow agents (Synthflow calls them actions, made in its own API)",
        "leave tools out");
  static const std::regex tool_name("[A-Za-z0-9_-]{1,64}");
  std::set<std::string> names;
  for (std::size_t i = 0; i < spec.tools.size(); ++i) {
    const auto& t = spec.tools[i];
    auto at = "tools[" + std::to_string(i) + "]";
    if (!std::regex_match(t.name, tool_name))
      bad(where, at + ".name", "'" + t.name + "' is not 1 to 64 letters, digits, _ or -", "e.g. book_viewing");
    if (!names.insert(t.name).second) bad(where, at + ".name", "'" + t.name + "' is used twice", "rename one");
    auto schema = json::parse(t.parameters);
    if (schema.value("type", "object") != "object")
      bad(where, at + ".parameters.type", "is not \"object\"", "a tool's parameters are an object schema");
    if (t.server_url.empty()) bad(where, at + ".server_url", "is missing", "give the https:// URL that answers it");
    check_https_url(where + ": " + at + ".server_url", t.server_url, "give an https:// URL");
  }
}

std::string AgentSpec::to_json() const {
  json out = {{"name", name}, {"provider", provider}};
  json voice = {{"voice_id", voice_id}};
  if (!voice_provider.empty()) voice["provider"] = voice_provider;
  if (!voice_model.empty()) voice["model"] = voice_model;
  out["voice"] = voice;
  json m = {{"model", model}};
  if (!model_provider.empty()) m["provider"] = model_provider;
  if (temperature) m["temperature"] = *temperature;
  if (max_tokens) m["max_tokens"] = *max_tokens;
  out["model"] = m;
  if (!transcriber_provider.empty() || !transcriber_model.empty() || !language.empty()) {
    json t = json::object();
    if (!transcriber_provider.empty()) t["provider"] = transcriber_provider;
    if (!transcriber_model.empty()) t["model"] = transcriber_model;
    if (!language.empty()) t["language"] = language;
    out["transcriber"] = t;
  }
  out["system_prompt"] = system_prompt;
  if (!first_message.empty()) out["first_message"] = first_message;
  if (!webhook_url.empty()) out["webhook_url"] = webhook_url;
  if (!tools.empty()) {
    json list = json::array();
    for (const auto& t : tools)
      list.push_back({{"name", t.name},
                      {"description", t.description},
                      {"parameters", json::parse(t.parameters)},
                      {"server_url", t.server_url}});
    out["tools"] = list;
  }
  if (!knowledge.empty()) out["knowledge"] = knowledge;
  out["metadata"] = json::parse(metadata);
  return out.dump();
}

}  // namespace wfa
