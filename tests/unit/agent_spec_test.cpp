// Agent specs: parsing, per-provider validation naming the field, and each provider's payload field by field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "pipelines/providers/agent_payload.hpp"
#include "pipelines/providers/agent_spec.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

const std::string vapi_spec = R"({
  "name": "Front desk", "provider": "vapi",
  "voice": {"provider": "11labs", "voice_id": "rachel", "model": "eleven_turbo_v2_5"},
  "model": {"provider": "openai", "model": "gpt-4.1", "temperature": 0.4, "max_tokens": 250},
  "transcriber": {"provider": "deepgram", "model": "nova-3", "language": "en"},
  "system_prompt": "You book viewings.", "first_message": "Hello!",
  "webhook_url": "https://hooks.example.com/vapi",
  "tools": [{"name": "book_viewing", "description": "Book a viewing",
             "parameters": {"type": "object", "properties": {"day": {"type": "string"}}},
             "server_url": "https://api.example.com/book"}],
  "knowledge": ["faq.md"], "metadata": {"team": "sales"}
})";

/// problem is the message check or parse gives for TEXT, or "" when it is accepted.
std::string problem(const std::string& text) {
  try {
    check_agent_spec(parse_agent_spec(text, "spec.json"), "spec.json");
    return "";
  } catch (const InvalidInputError& e) {
    return e.what();
  }
}

std::string with(const std::string& from, const std::string& to) {
  auto text = vapi_spec;
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(AgentSpec, AGoodSpecRoundTripsThroughItsJson) {
  auto spec = parse_agent_spec(vapi_spec, "spec.json");
  check_agent_spec(spec, "spec.json");
  auto again = parse_agent_spec(spec.to_json(), "stored");
  EXPECT_EQ(again.to_json(), spec.to_json());
  EXPECT_EQ(again.tools.size(), 1u);
  EXPECT_EQ(again.knowledge, std::vector<std::string>{"faq.md"});
  EXPECT_EQ(*again.max_tokens, 250);
}

TEST(AgentSpec, EachProblemNamesItsField) {
  EXPECT_EQ(problem(with("\"11labs\"", "\"bark\"")), "spec.json: voice.provider 'bark' is not a vapi voice provider");
  EXPECT_EQ(problem(with("\"voice_id\": \"rachel\", ", "")), "spec.json: voice.voice_id is missing");
  EXPECT_EQ(problem(with("{\"type\": \"object\", \"properties\": {\"day\": {\"type\": \"string\"}}}", "[1]")),
            "spec.json: tools[0].parameters is not a JSON-schema object");
  EXPECT_EQ(problem(with("\"type\": \"object\"", "\"type\": \"array\"")),
            "spec.json: tools[0].parameters.type is not \"object\"");
  EXPECT_EQ(problem(with("https://api.example.com/book", "http://api.example.com/book"))
                .find("spec.json: tools[0].server_url"),
            0u);
  EXPECT_EQ(problem(with("\"first_message\"", "\"greeting\"")), "spec.json: greeting is not a field wfa knows");
  EXPECT_EQ(problem(with("\"max_tokens\": 250", "\"max_tokens\": 2.5")),
            "spec.json: model.max_tokens is not a whole number from 1 to 100000");
  EXPECT_EQ(problem(with("\"provider\": \"vapi\"", "\"provider\": \"retell\"")),
            "spec.json: voice.provider '11labs' is not a retell voice provider");
  EXPECT_EQ(problem("[1, 2]"), "spec.json: the spec is not an object");
  EXPECT_NE(problem("{\"name\": ").find("spec.json"), std::string::npos);
}

TEST(AgentSpec, RetellTakesNoTranscriberAndSynthflowNoTools) {
  auto retell = with("\"provider\": \"vapi\"", "\"provider\": \"retell\"");
  retell = retell.replace(retell.find("\"11labs\""), 8, "\"elevenlabs\"");
  retell = retell.replace(retell.find("\"openai\", \"model\""), 8, "\"retell\"");
  EXPECT_EQ(problem(retell), "spec.json: transcriber.provider cannot be chosen: retell transcribes calls itself");
  auto synthflow = R"({"name": "S", "provider": "synthflow", "voice": {"voice_id": "v1"}, "model": {"model": "gpt-4.1"},
    "system_prompt": "p", "tools": [{"name": "x", "parameters": {}, "server_url": "https://a.example.com"}]})";
  EXPECT_NE(problem(synthflow).find("spec.json: tools are not supported for synthflow"), std::string::npos);
}

TEST(AgentPayload, VapiAssistantCarriesEveryFieldWhereVapiExpectsIt) {
  auto payload = json::parse(vapi_assistant(parse_agent_spec(vapi_spec, "s"), "agent-1"));
  EXPECT_EQ(payload["name"], "Front desk");
  EXPECT_EQ(payload["firstMessage"], "Hello!");
  EXPECT_EQ(payload["model"]["provider"], "openai");
  EXPECT_EQ(payload["model"]["model"], "gpt-4.1");
  EXPECT_EQ(payload["model"]["messages"][0], json({{"role", "system"}, {"content", "You book viewings."}}));
  EXPECT_EQ(payload["model"]["temperature"], 0.4);
  EXPECT_EQ(payload["model"]["maxTokens"], 250);
  EXPECT_EQ(payload["model"]["tools"][0]["type"], "function");
  EXPECT_EQ(payload["model"]["tools"][0]["function"]["name"], "book_viewing");
  EXPECT_EQ(payload["model"]["tools"][0]["function"]["parameters"]["type"], "object");
  EXPECT_EQ(payload["model"]["tools"][0]["server"]["url"], "https://api.example.com/book");
  EXPECT_EQ(payload["voice"], json({{"provider", "11labs"}, {"voiceId", "rachel"}, {"model", "eleven_turbo_v2_5"}}));
  EXPECT_EQ(payload["transcriber"], json({{"provider", "deepgram"}, {"model", "nova-3"}, {"language", "en"}}));
  EXPECT_EQ(payload["server"]["url"], "https://hooks.example.com/vapi");
  EXPECT_EQ(payload["metadata"], json({{"team", "sales"}, {"wfa_agent_id", "agent-1"}}));
}

TEST(AgentPayload, RetellGetsAnLlmThenAnAgentAndSynthflowAnAssistant) {
  auto spec = parse_agent_spec(vapi_spec, "s");
  spec.provider = "retell";
  auto llm = json::parse(retell_llm(spec));
  EXPECT_EQ(llm["general_prompt"], "You book viewings.");
  EXPECT_EQ(llm["begin_message"], "Hello!");
  EXPECT_EQ(llm["model"], "gpt-4.1");
  EXPECT_EQ(llm["model_temperature"], 0.4);
  EXPECT_EQ(llm["general_tools"][0]["type"], "custom");
  EXPECT_EQ(llm["general_tools"][0]["url"], "https://api.example.com/book");
  auto agent = json::parse(retell_agent(spec, "llm-9"));
  EXPECT_EQ(agent["response_engine"], json({{"type", "retell-llm"}, {"llm_id", "llm-9"}}));
  EXPECT_EQ(agent["voice_id"], "rachel");
  EXPECT_EQ(agent["agent_name"], "Front desk");
  EXPECT_EQ(agent["webhook_url"], "https://hooks.example.com/vapi");
  spec.provider = "synthflow";
  auto assistant = json::parse(synthflow_assistant(spec));
  EXPECT_EQ(assistant["type"], "outbound");
  EXPECT_EQ(assistant["name"], "Front desk");
  EXPECT_EQ(assistant["agent"]["prompt"], "You book viewings.");
  EXPECT_EQ(assistant["agent"]["greeting_message"], "Hello!");
  EXPECT_EQ(assistant["agent"]["llm"], "gpt-4.1");
  EXPECT_EQ(assistant["agent"]["voice_id"], "rachel");
  EXPECT_EQ(assistant["external_webhook_url"], "https://hooks.example.com/vapi");
}

TEST(AgentPayload, TheDiffNamesEachChangedField) {
  EXPECT_EQ(payload_diff(R"({"a": 1, "b": {"c": "x"}})", R"({"a": 1, "b": {"c": "y"}, "d": true})"),
            "b.c: \"x\" → \"y\"\nd: (none) → true\n");
  EXPECT_EQ(payload_diff(R"({"a": 1})", R"({"a": 1})"), "");
  EXPECT_EQ(payload_diff("", R"({"a": 1})"), "a: (none) → 1\n");
}

}  // namespace
}  // namespace wfa
