#pragma once
/// `wfa agent`: a workspace's voice agents at VAPI, Retell and Synthflow, kept as specs
/// (pipelines/providers/agent_spec) and pushed to the providers by `agent sync`. Every change bumps the agent's version
/// and marks it for resync.
#include <optional>
#include <string>

#include "commands/calls/calls.hpp"
#include "core/listing.hpp"

namespace wfa {

class Session;

/// AgentFields are the spec fields flags may set; on update, only those given change.
struct AgentFields {
  std::optional<std::string> spec_file;  ///< a JSON spec; flags given with it override its fields
  std::optional<std::string> name, provider, voice_provider, voice_id, voice_model, model_provider, model;
  std::optional<double> temperature;
  std::optional<std::string> transcriber_provider, language, system_prompt, system_prompt_file, first_message;
  std::optional<std::string> webhook_url;
};

struct AgentCreateOptions {
  std::string workspace;
  AgentFields fields;
  bool dry_run = false;
};

struct AgentUpdateOptions {
  std::string workspace;
  std::string agent;  ///< id or name
  AgentFields fields;
  bool dry_run = false;
};

struct AgentRefOptions {
  std::string workspace;
  std::string agent;
  bool yes = false;
  bool dry_run = false;
};

struct AgentListOptions {
  std::string workspace;
  std::optional<std::string> provider;
  std::optional<std::string> status;  ///< sync status
  bool deleted = false;               ///< list deleted agents instead of live ones
  Paging paging;
};

struct AgentSyncOptions {
  std::optional<std::string> workspace;
  std::optional<std::string> agent;  ///< with --workspace: this agent, pushed even when nothing changed
  bool all = false;                  ///< every agent of the workspace, or without --workspace every workspace's
  int concurrency = 8;
  bool dry_run = false;  ///< print the plan; send nothing
  bool enqueue = false;  ///< plan now, then one agent.sync job per agent with work to do, as one batch; send nothing
  /// planned: AGENT (an id) as a run without it selects it (deleted ones too), pushed only when its plan changes
  /// something: the agent.sync job's run.
  bool planned = false;
};

struct AgentPullOptions {
  std::string workspace;
  std::string provider;
  bool dry_run = false;
};

Result run_agent_create(const AgentCreateOptions& options, Session& session);
Result run_agent_update(const AgentUpdateOptions& options, Session& session);
/// run_agent_delete marks the agent deleted; the next `agent sync` removes it at its provider.
Result run_agent_delete(const AgentRefOptions& options, Session& session);
Result run_agent_restore(const AgentRefOptions& options, Session& session);
Result run_agent_show(const AgentRefOptions& options, Session& session);
Result run_agent_list(const AgentListOptions& options, Session& session);
/// run_agent_sync plans each selected agent (create, update, delete or unchanged, with its field diff) and carries the
/// plan out on the worker pool; exit 8 when some agents failed, 7 when a provider was unreachable or its circuit open.
/// With enqueue it returns at once with the batch of agent.sync jobs (commands/agent/agent_jobs).
Result run_agent_sync(const AgentSyncOptions& options, Session& session);
/// run_agent_diff compares the provider's live configuration of the agent with what wfa would send, field by field.
Result run_agent_diff(const AgentRefOptions& options, Session& session);
/// run_agent_pull adopts the agents the workspace's provider account has and wfa does not know (by external id), so
/// running it twice adopts nothing the second time.
Result run_agent_pull(const AgentPullOptions& options, Session& session);
/// run_agent_test_call places a test call to OPTIONS.to through the agent (run_calls_start marked as a test: metadata
/// wfa_test); it needs workspace:agents:use.
Result run_agent_test_call(const CallsStartOptions& options, Session& session);

}  // namespace wfa
