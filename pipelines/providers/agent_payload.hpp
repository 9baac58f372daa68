#pragma once
/// The payload each provider takes for an agent spec (providers.md §1.2, §2.2-2.3, §3.2): what `agent sync` sends and
/// what its plan diffs against the payload the provider last acknowledged. Pure functions: JSON text in, JSON text out.
#include <string>

#include "pipelines/providers/agent_spec.hpp"

namespace wfa {

/// vapi_assistant is VAPI's CreateAssistantDTO (also the PATCH body): the system prompt as the model's system message,
/// tools as function tools with their server, and wfa's agent id in metadata.wfa_agent_id.
std::string vapi_assistant(const AgentSpec& spec, const std::string& agent_id);

/// retell_llm is the body of create/update-retell-llm: the prompt, first message, model and custom tools.
std::string retell_llm(const AgentSpec& spec);

/// retell_agent is the body of create/update-agent for the LLM LLM_ID.
std::string retell_agent(const AgentSpec& spec, const std::string& llm_id);

/// synthflow_assistant is the body of POST /assistants (and PUT /assistants/{model_id}).
std::string synthflow_assistant(const AgentSpec& spec);

/// payload_diff lists the fields where AFTER differs from BEFORE (both JSON objects), one "path: old → new" per line,
/// values shortened to 60 characters; empty when they are the same.
std::string payload_diff(const std::string& before, const std::string& after);

}  // namespace wfa
