#pragma once
/// What the agent verbs share: finding an agent by id or name, and building a spec from a file and flags.
#include <string>

#include "commands/agent/agent.hpp"
#include "core/pqxx_fwd.hpp"
#include "core/validation.hpp"
#include "pipelines/providers/agent_spec.hpp"

namespace wfa {

inline const Choices agent_sync_statuses = {"pending", "synced", "failed", "removed"};

/// AgentRow is an agent's identity and spec as stored.
struct AgentRow {
  std::string id, name, provider;
  AgentSpec spec;
  int version = 0;
  bool deleted = false;
};

/// find_agent finds REFERENCE (an id, or a name in any case) in WORKSPACE_ID; deleted agents only with DELETED. None is
/// NotFoundError naming WORKSPACE. LOCK takes the row FOR UPDATE.
AgentRow find_agent(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& workspace,
                    const std::string& reference, bool deleted, bool lock);

/// link_spec_knowledge makes the agent's document links those SPEC's knowledge list names; a name that is no
/// knowledge document of the workspace is NotFoundError.
void link_spec_knowledge(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& workspace,
                         const std::string& agent_id, const AgentSpec& spec);

/// apply_fields sets on SPEC the fields FIELDS gives (reading the spec and prompt files they name) and validates it.
void apply_fields(const AgentFields& fields, AgentSpec& spec, const Session& session);

}  // namespace wfa
