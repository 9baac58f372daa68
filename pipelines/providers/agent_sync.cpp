// The create, update and delete sequences of each provider, with recovery of creates a crash left unrecorded.
#include "pipelines/providers/agent_sync.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "pipelines/providers/agent_payload.hpp"
#include "pipelines/providers/provider_json.hpp"

namespace wfa {

using json = nlohmann::json;

namespace {

/// planned_payload is what the provider should hold; Retell's is its LLM and its agent together.
std::string planned_payload(const AgentSpec& spec, const AgentState& state) {
  if (spec.provider == "vapi") return vapi_assistant(spec, state.agent_id);
  if (spec.provider == "synthflow") return synthflow_assistant(spec);
  auto llm = state.external_llm_id.empty() ? std::string("(new)") : state.external_llm_id;
  return json{{"llm", json::parse(retell_llm(spec))}, {"agent", json::parse(retell_agent(spec, llm))}}.dump();
}

/// expect answers a 2xx response's JSON body (null for an empty one); anything else is the provider's refusal.
json expect(const ProviderClient& client, const HttpResponse& response, const std::string& what) {
  return provider_json(client, response, what, "fix the agent's spec, then run `wfa agent sync` again");
}

std::string text_at(const json& body, std::initializer_list<const char*> path, const std::string& what,
                    const ProviderClient& client) {
  const json* at = &body;
  for (const char* key : path) {
    if (!at->is_object() || !at->contains(key)) {
      at = nullptr;
      break;
    }
    at = &(*at)[key];
  }
  if (!at || !at->is_string() || at->get<std::string>().empty())
    throw TemporaryError(client.provider() + " answered " + what + " without the id wfa needs",
                         "run the sync again; nothing was recorded for it");
  return at->get<std::string>();
}

/// gone is a 404 on an object wfa recorded: deleted at the provider behind wfa's back.
bool gone(const HttpResponse& response) { return response.status == 404; }

/// project keeps of LIVE the fields PLANNED has, recursively, so a diff shows only what wfa manages.
json project(const json& live, const json& planned) {
  if (!planned.is_object() || !live.is_object()) return live;
  json out = json::object();
  for (const auto& [key, value] : planned.items())
    if (live.contains(key)) out[key] = project(live[key], value);
  return out;
}

// VAPI: one assistant; a create carries metadata.wfa_sync_attempt.
void vapi_create(ProviderClient& client, const std::string& payload, AgentState& state, const SyncHooks& hooks) {
  if (!state.sync_attempt.empty()) {
    auto list = expect(client, client.call("GET", "/assistant?limit=1000"), "the assistant list");
    for (const auto& assistant : list)
      if (assistant.contains("metadata") && assistant["metadata"].is_object() &&
          assistant["metadata"].value("wfa_sync_attempt", "") == state.sync_attempt) {
        state.external_agent_id = assistant.value("id", "");
        hooks.agent_created(state.external_agent_id);
        return;
      }
  }
  state.sync_attempt = hooks.begin_create();
  auto body = json::parse(payload);
  body["metadata"]["wfa_sync_attempt"] = state.sync_attempt;
  auto created = expect(client, client.call("POST", "/assistant", body.dump()), "the new assistant");
  state.external_agent_id = text_at(created, {"id"}, "the new assistant", client);
  hooks.agent_created(state.external_agent_id);
}

// Synthflow: one assistant; a create carries description "wfa:ATTEMPT".
void synthflow_create(ProviderClient& client, const std::string& payload, AgentState& state, const SyncHooks& hooks) {
  if (!state.sync_attempt.empty()) {
    for (int offset = 0;; offset += 100) {
      auto page = expect(client, client.call("GET", "/assistants/?limit=100&offset=" + std::to_string(offset)),
                         "the assistant list");
      const auto& items = page["response"]["assistants"];
      for (const auto& assistant : items)
        if (assistant.value("description", "") == "wfa:" + state.sync_attempt) {
          state.external_agent_id = assistant.value("model_id", "");
          hooks.agent_created(state.external_agent_id);
          return;
        }
      if (!items.is_array() || items.size() < 100) break;
    }
  }
  state.sync_attempt = hooks.begin_create();
  auto body = json::parse(payload);
  body["description"] = "wfa:" + state.sync_attempt;
  auto created = expect(client, client.call("POST", "/assistants", body.dump()), "the new assistant");
  state.external_agent_id = text_at(created, {"response", "model_id"}, "the new assistant", client);
  hooks.agent_created(state.external_agent_id);
}

/// retell_publish makes the agent's draft VERSION the live one (Retell's updates edit a draft that calls do not use).
void retell_publish(ProviderClient& client, const std::string& agent_id, const json& agent) {
  auto version = agent.is_object() && agent.contains("version") && agent["version"].is_number_integer()
                     ? agent["version"].get<long>()
                     : 0L;
  expect(client, client.call("POST", "/publish-agent-version/" + agent_id, json{{"version", version}}.dump()),
         "the agent's publication");
}

// Retell: an LLM, recorded, then an agent on it, published; the LLM is deleted again if the agent cannot be made.
void retell_create(ProviderClient& client, const AgentSpec& spec, AgentState& state, const SyncHooks& hooks) {
  bool llm_existed = !state.external_llm_id.empty();
  if (state.external_llm_id.empty() && !state.sync_attempt.empty()) {
    auto list = expect(client, client.call("GET", "/v2/list-retell-llms"), "the LLM list");
    for (const auto& llm : list)
      if (llm.contains("default_dynamic_variables") && llm["default_dynamic_variables"].is_object() &&
          llm["default_dynamic_variables"].value("wfa_sync_attempt", "") == state.sync_attempt) {
        state.external_llm_id = llm.value("llm_id", "");
        hooks.llm_created(state.external_llm_id);
        llm_existed = true;
        break;
      }
  }
  if (state.external_llm_id.empty()) {
    state.sync_attempt = hooks.begin_create();
    auto body = json::parse(retell_llm(spec));
    body["default_dynamic_variables"]["wfa_sync_attempt"] = state.sync_attempt;
    auto created = expect(client, client.call("POST", "/create-retell-llm", body.dump()), "the new LLM");
    state.external_llm_id = text_at(created, {"llm_id"}, "the new LLM", client);
    hooks.llm_created(state.external_llm_id);
  }
  if (llm_existed) {
    // An earlier run may have made the agent and died before recording it: it is the one on this LLM.
    auto list = expect(client, client.call("POST", "/v2/list-agents", "{}"), "the agent list");
    for (const auto& agent : list)
      if (agent.contains("response_engine") && agent["response_engine"].value("llm_id", "") == state.external_llm_id) {
        state.external_agent_id = agent.value("agent_id", "");
        hooks.agent_created(state.external_agent_id);
        retell_publish(client, state.external_agent_id, agent);
        return;
      }
  }
  json created;
  try {
    created = expect(client, client.call("POST", "/create-agent", retell_agent(spec, state.external_llm_id)),
                     "the new agent");
    state.external_agent_id = text_at(created, {"agent_id"}, "the new agent", client);
  } catch (const Error&) {
    // Roll back: an LLM without its agent would be orphaned at Retell.
    try {
      auto removed = client.call("DELETE", "/delete-retell-llm/" + state.external_llm_id);
      if ((removed.status >= 200 && removed.status < 300) || gone(removed)) {
        state.external_llm_id.clear();
        hooks.llm_created("");
      }
    } catch (const Error&) {
    }
    throw;
  }
  hooks.agent_created(state.external_agent_id);
  retell_publish(client, state.external_agent_id, created);
}

void create(ProviderClient& client, const AgentSpec& spec, const std::string& payload, AgentState& state,
            const SyncHooks& hooks) {
  if (spec.provider == "vapi")
    vapi_create(client, payload, state, hooks);
  else if (spec.provider == "synthflow")
    synthflow_create(client, payload, state, hooks);
  else
    retell_create(client, spec, state, hooks);
}

/// update returns false when the provider no longer has the object, so the caller creates it anew.
bool update(ProviderClient& client, const AgentSpec& spec, const std::string& payload, const AgentState& state) {
  if (spec.provider == "vapi") {
    auto r = client.call("PATCH", "/assistant/" + state.external_agent_id, payload);
    if (gone(r)) return false;
    expect(client, r, "the assistant's update");
  } else if (spec.provider == "synthflow") {
    auto r = client.call("PUT", "/assistants/" + state.external_agent_id, payload);
    if (gone(r)) return false;
    expect(client, r, "the assistant's update");
  } else {
    auto body = json::parse(payload);
    auto llm = client.call("PATCH", "/update-retell-llm/" + state.external_llm_id, body["llm"].dump());
    if (gone(llm)) return false;
    expect(client, llm, "the LLM's update");
    auto agent = client.call("PATCH", "/update-agent/" + state.external_agent_id, body["agent"].dump());
    if (gone(agent)) return false;
    retell_publish(client, state.external_agent_id, expect(client, agent, "the agent's update"));
  }
  return true;
}

void remove(ProviderClient& client, const AgentSpec& spec, AgentState& state, const SyncHooks& hooks) {
  auto drop = [&](const std::string& path, const std::string& what) {
    auto r = client.call("DELETE", path);
    if (!gone(r)) expect(client, r, what);
  };
  if (spec.provider == "retell") {
    if (!state.external_agent_id.empty()) drop("/delete-agent/" + state.external_agent_id, "the agent's deletion");
    state.external_agent_id.clear();
    hooks.agent_created("");
    if (!state.external_llm_id.empty()) drop("/delete-retell-llm/" + state.external_llm_id, "the LLM's deletion");
    state.external_llm_id.clear();
    hooks.llm_created("");
    return;
  }
  drop((spec.provider == "vapi" ? "/assistant/" : "/assistants/") + state.external_agent_id,
       "the assistant's deletion");
  state.external_agent_id.clear();
  hooks.agent_created("");
}

}  // namespace

const char* sync_action_name(SyncAction action) {
  switch (action) {
    case SyncAction::create:
      return "create";
    case SyncAction::update:
      return "update";
    case SyncAction::remove:
      return "delete";
    case SyncAction::unchanged:
      return "unchanged";
  }
  return "unchanged";
}

SyncPlan plan_sync(const AgentSpec& spec, const AgentState& state, bool force) {
  SyncPlan plan;
  if (state.deleted) {
    plan.action =
        state.external_agent_id.empty() && state.external_llm_id.empty() ? SyncAction::unchanged : SyncAction::remove;
    return plan;
  }
  plan.payload = planned_payload(spec, state);
  if (state.external_agent_id.empty()) {
    plan.action = SyncAction::create;
    plan.diff = payload_diff("", plan.payload);
    return plan;
  }
  plan.diff = payload_diff(state.acknowledged, plan.payload);
  plan.action = plan.diff.empty() && !force ? SyncAction::unchanged : SyncAction::update;
  return plan;
}

std::string push_agent(ProviderClient& client, const AgentSpec& spec, AgentState& state, const SyncPlan& plan,
                       const SyncHooks& hooks) {
  switch (plan.action) {
    case SyncAction::unchanged:
      return state.acknowledged;
    case SyncAction::remove:
      remove(client, spec, state, hooks);
      return "";
    case SyncAction::update:
      if (update(client, spec, plan.payload, state)) return plan.payload;
      // Deleted at the provider behind wfa's back: made again.
      state.external_agent_id.clear();
      hooks.agent_created("");
      if (spec.provider == "retell") {
        state.external_llm_id.clear();
        hooks.llm_created("");
      }
      state.sync_attempt.clear();
      [[fallthrough]];
    case SyncAction::create:
      create(client, spec, plan.payload, state, hooks);
      break;
  }
  return planned_payload(spec, state);
}

namespace {

std::string str(const json& object, const char* key) {
  return object.is_object() && object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

std::string without_markers(const json& metadata) {
  json out = json::object();
  if (metadata.is_object())
    for (const auto& [key, value] : metadata.items())
      if (key.rfind("wfa_", 0) != 0) out[key] = value;
  return out.dump();
}

ProviderAgent from_vapi(const json& a) {
  ProviderAgent found;
  found.external_agent_id = str(a, "id");
  auto& spec = found.spec;
  spec.provider = "vapi";
  spec.name = str(a, "name");
  spec.first_message = str(a, "firstMessage");
  const auto& model = a.value("model", json::object());
  spec.model_provider = str(model, "provider");
  spec.model = str(model, "model");
  if (model.contains("temperature") && model["temperature"].is_number())
    spec.temperature = model["temperature"].get<double>();
  if (model.contains("maxTokens") && model["maxTokens"].is_number_integer())
    spec.max_tokens = model["maxTokens"].get<int>();
  for (const auto& m : model.value("messages", json::array()))
    if (str(m, "role") == "system") spec.system_prompt = str(m, "content");
  for (const auto& t : model.value("tools", json::array()))
    if (str(t, "type") == "function" && t.contains("function"))
      spec.tools.push_back({str(t["function"], "name"), str(t["function"], "description"),
                            t["function"].value("parameters", json::object()).dump(),
                            str(t.value("server", json::object()), "url")});
  const auto& voice = a.value("voice", json::object());
  spec.voice_provider = str(voice, "provider");
  spec.voice_id = str(voice, "voiceId");
  spec.voice_model = str(voice, "model");
  const auto& transcriber = a.value("transcriber", json::object());
  spec.transcriber_provider = str(transcriber, "provider");
  spec.transcriber_model = str(transcriber, "model");
  spec.language = str(transcriber, "language");
  spec.webhook_url = str(a.value("server", json::object()), "url");
  spec.metadata = without_markers(a.value("metadata", json::object()));
  return found;
}

ProviderAgent from_retell(const json& agent, const json& llm) {
  ProviderAgent found;
  found.external_agent_id = str(agent, "agent_id");
  found.external_llm_id = str(llm, "llm_id");
  auto& spec = found.spec;
  spec.provider = "retell";
  spec.name = str(agent, "agent_name");
  spec.voice_id = str(agent, "voice_id");
  spec.voice_model = str(agent, "voice_model");
  spec.language = str(agent, "language");
  spec.webhook_url = str(agent, "webhook_url");
  spec.system_prompt = str(llm, "general_prompt");
  spec.first_message = str(llm, "begin_message");
  spec.model = str(llm, "model");
  if (llm.contains("model_temperature") && llm["model_temperature"].is_number())
    spec.temperature = llm["model_temperature"].get<double>();
  for (const auto& t : llm.value("general_tools", json::array()))
    if (str(t, "type") == "custom")
      spec.tools.push_back(
          {str(t, "name"), str(t, "description"), t.value("parameters", json::object()).dump(), str(t, "url")});
  return found;
}

ProviderAgent from_synthflow(const json& a) {
  ProviderAgent found;
  found.external_agent_id = str(a, "model_id");
  auto& spec = found.spec;
  spec.provider = "synthflow";
  spec.name = str(a, "name");
  spec.webhook_url = str(a, "external_webhook_url");
  const auto& agent = a.value("agent", json::object());
  spec.system_prompt = str(agent, "prompt");
  spec.first_message = str(agent, "greeting_message");
  spec.model = str(agent, "llm");
  spec.language = str(agent, "language");
  spec.voice_id = str(agent, "voice_id");
  spec.voice_model = str(agent, "voice_synthesizer");
  spec.transcriber_provider = str(agent, "transcriber_provider");
  return found;
}

}  // namespace

std::vector<ProviderAgent> list_provider_agents(ProviderClient& client) {
  std::vector<ProviderAgent> out;
  if (client.provider() == "vapi") {
    for (const auto& a : expect(client, client.call("GET", "/assistant?limit=1000"), "the assistant list"))
      out.push_back(from_vapi(a));
  } else if (client.provider() == "synthflow") {
    for (int offset = 0;; offset += 100) {
      auto page = expect(client, client.call("GET", "/assistants/?limit=100&offset=" + std::to_string(offset)),
                         "the assistant list");
      const auto& items = page["response"]["assistants"];
      for (const auto& a : items) out.push_back(from_synthflow(a));
      if (!items.is_array() || items.size() < 100) break;
    }
  } else {
    for (const auto& agent : expect(client, client.call("POST", "/v2/list-agents", "{}"), "the agent list")) {
      json llm = json::object();
      auto llm_id = agent.contains("response_engine") ? str(agent["response_engine"], "llm_id") : "";
      if (!llm_id.empty()) {
        auto r = client.call("GET", "/get-retell-llm/" + llm_id);
        if (!gone(r)) llm = expect(client, r, "the LLM");
      }
      out.push_back(from_retell(agent, llm));
    }
  }
  return out;
}

std::string live_payload(ProviderClient& client, const AgentSpec& spec, const AgentState& state) {
  auto planned = json::parse(planned_payload(spec, state));
  if (spec.provider == "vapi" || spec.provider == "synthflow") {
    auto r = client.call("GET", (spec.provider == "vapi" ? "/assistant/" : "/assistants/") + state.external_agent_id);
    if (gone(r)) return "";
    auto live = expect(client, r, "the assistant");
    if (spec.provider == "synthflow") live = live["response"]["assistants"][0];
    return project(live, planned).dump();
  }
  auto llm = client.call("GET", "/get-retell-llm/" + state.external_llm_id);
  auto agent = client.call("GET", "/get-agent/" + state.external_agent_id);
  if (gone(llm) || gone(agent)) return "";
  return json{{"llm", project(expect(client, llm, "the LLM"), planned["llm"])},
              {"agent", project(expect(client, agent, "the agent"), planned["agent"])}}
      .dump();
}

}  // namespace wfa
