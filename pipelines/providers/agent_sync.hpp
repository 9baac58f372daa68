#pragma once
/// Pushing one agent to its provider, crash-safe: the caller persists each id the moment the provider returns it (the
/// hooks), and a create that may have reached the provider before a crash carries a marker (the sync attempt) by which
/// the next run finds and adopts the object instead of making a second one. No SQL here: `agent sync` supplies the
/// hooks and runs this on its worker pool.
#include <functional>
#include <string>
#include <vector>

#include "pipelines/providers/agent_spec.hpp"
#include "pipelines/providers/provider_client.hpp"

namespace wfa {

/// AgentState is what wfa knows about an agent at its provider.
struct AgentState {
  std::string agent_id;  ///< wfa's id
  std::string external_agent_id, external_llm_id;
  std::string sync_attempt;  ///< set when a create may have reached the provider unrecorded
  std::string acknowledged;  ///< the payload the provider last accepted ("" for none)
  bool deleted = false;
};

enum class SyncAction { create, update, remove, unchanged };
const char* sync_action_name(SyncAction action);

/// SyncPlan is what a sync would do to one agent, with the payload it would send and its diff from the acknowledged
/// one.
struct SyncPlan {
  SyncAction action = SyncAction::unchanged;
  std::string payload;
  std::string diff;
};

/// plan_sync decides: remove a deleted agent the provider still has, create one it does not have, update one whose
/// payload differs from what it acknowledged, or leave it unchanged (FORCE: update even then).
SyncPlan plan_sync(const AgentSpec& spec, const AgentState& state, bool force = false);

/// SyncHooks persist what the provider returns, each in its own transaction, before the next step runs.
struct SyncHooks {
  std::function<std::string()> begin_create;              ///< records and returns a new attempt marker
  std::function<void(const std::string&)> llm_created;    ///< Retell's LLM id ("" when it was deleted again)
  std::function<void(const std::string&)> agent_created;  ///< the provider's agent (assistant) id
};

/// push_agent carries out PLAN through CLIENT, calling HOOKS as ids appear, and returns the payload the provider now
/// holds ("" after a remove). A provider's refusal is InvalidInputError quoting it; Retell's LLM is deleted again
/// when its agent cannot be created; an object gone at the provider on update is created anew.
std::string push_agent(ProviderClient& client, const AgentSpec& spec, AgentState& state, const SyncPlan& plan,
                       const SyncHooks& hooks);

/// live_payload reads the provider's current configuration of the agent, shaped like the payload wfa sends (the
/// fields wfa manages), for `agent diff`; "" when the provider no longer has it.
std::string live_payload(ProviderClient& client, const AgentSpec& spec, const AgentState& state);

/// ProviderAgent is an agent found at a provider: its ids and the spec it amounts to.
struct ProviderAgent {
  std::string external_agent_id, external_llm_id;
  AgentSpec spec;
};

/// list_provider_agents reads every agent (assistant) the account has at CLIENT's provider and maps each back to a
/// spec (wfa's own markers dropped), for `agent pull`.
std::vector<ProviderAgent> list_provider_agents(ProviderClient& client);

}  // namespace wfa
