// `wfa agent diff` (the provider's live configuration against wfa's) and `wfa agent pull` (adopt what wfa lacks).
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/agent/agent.hpp"
#include "commands/agent/agent_rules.hpp"
#include "commands/integration/integration_access.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"
#include "pipelines/providers/agent_payload.hpp"
#include "pipelines/providers/agent_sync.hpp"

namespace wfa {

Result run_agent_diff(const AgentRefOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:agents:read");
  auto agent = find_agent(tx, ws.id, o.workspace, o.agent, false, false);
  auto ids = tx.exec_params(
      "SELECT coalesce(external_agent_id, ''), coalesce(external_llm_id, '') FROM ai_agents WHERE workspace_id ="
      " $1::uuid AND id = $2::uuid",
      ws.id, agent.id);
  AgentState state;
  state.agent_id = agent.id;
  state.external_agent_id = ids[0][0].as<std::string>();
  state.external_llm_id = ids[0][1].as<std::string>();
  if (state.external_agent_id.empty())
    throw ConflictError("agent '" + agent.name + "' is not at " + agent.provider + " yet",
                        "push it with `wfa agent sync --workspace " + o.workspace + " --agent '" + agent.name + "'`");
  auto client = integration_client(session, tx, ws.id, o.workspace, agent.provider);
  tx.commit();
  auto live = live_payload(client, agent.spec, state);
  if (live.empty())
    throw NotFoundError(
        agent.provider + " no longer has agent '" + agent.name + "' (" + state.external_agent_id + ")",
        "make it again with `wfa agent sync --workspace " + o.workspace + " --agent '" + agent.name + "'`");
  Table table{"differences", {"field", "at_provider", "in_wfa"}, {}};
  auto diff = payload_diff(live, plan_sync(agent.spec, state, true).payload);
  for (std::size_t at = 0; at < diff.size();) {
    auto end = diff.find('\n', at);
    auto line = diff.substr(at, end - at);
    auto colon = line.find(": "), arrow = line.find(" → ");
    table.rows.push_back({Cell(line.substr(0, colon)), Cell(line.substr(colon + 2, arrow - colon - 2)),
                          Cell(line.substr(arrow + std::string(" → ").size()))});
    if (end == std::string::npos) break;
    at = end + 1;
  }
  Result r;
  r.message = table.rows.empty() ? "agent '" + agent.name + "' at " + agent.provider + " matches wfa"
                                 : std::to_string(table.rows.size()) + " fields of agent '" + agent.name +
                                       "' differ at " + agent.provider + "; `wfa agent sync --agent` pushes wfa's";
  r.tables.push_back(std::move(table));
  return r;
}

Result run_agent_pull(const AgentPullOptions& o, Session& session) {
  check_choice("provider", o.provider, {"vapi", "retell", "synthflow"}, "a voice provider");
  auto& conn = session.database().ready();
  WorkspaceRef ws;
  std::optional<ProviderClient> client;
  {
    pqxx::work tx(conn);
    ws = workspace_for(tx, session, o.workspace, "workspace:agents:create");
    client.emplace(integration_client(session, tx, ws.id, o.workspace, o.provider));
    tx.commit();
  }
  auto found = list_provider_agents(*client);
  pqxx::work tx(conn);
  Table table{"agents", {"agent", "external_agent_id", "outcome", "reason"}, {}};
  std::size_t adopted = 0;
  for (auto& agent : found) {
    auto known = tx.exec_params(
        "SELECT name FROM ai_agents WHERE workspace_id = $1::uuid AND provider = $2 AND external_agent_id = $3", ws.id,
        o.provider, agent.external_agent_id);
    if (!known.empty()) {
      table.rows.push_back({Cell(known[0][0].as<std::string>()), Cell(agent.external_agent_id),
                            Cell(std::string("known")), Cell(std::string())});
      continue;
    }
    if (agent.spec.name.empty()) agent.spec.name = o.provider + " " + agent.external_agent_id.substr(0, 8);
    auto base = agent.spec.name;
    for (int n = 2; !tx.exec_params("SELECT 1 FROM ai_agents WHERE workspace_id = $1::uuid AND lower(name) ="
                                    " lower($2) AND deleted_at IS NULL",
                                    ws.id, agent.spec.name)
                         .empty();
         ++n)
      agent.spec.name = base + " (" + std::to_string(n) + ")";
    try {
      check_agent_spec(agent.spec, o.provider + " agent " + agent.external_agent_id);
    } catch (const InvalidInputError& e) {
      table.rows.push_back({Cell(agent.spec.name), Cell(agent.external_agent_id), Cell(std::string("skipped")),
                            Cell(std::string(e.what()))});
      continue;
    }
    AgentState state;
    state.external_agent_id = agent.external_agent_id;
    state.external_llm_id = agent.external_llm_id;
    auto id = tx.exec_params(
                    "INSERT INTO ai_agents (workspace_id, name, provider, voice_provider, model_provider,"
                    " transcriber_provider, config, external_agent_id, external_llm_id, needs_resync, synced_version,"
                    " sync_status, last_synced_at, created_by) VALUES ($1::uuid, $2, $3, NULLIF($4, ''), NULLIF($5,"
                    " ''), NULLIF($6, ''), $7::jsonb, $8, NULLIF($9, ''), false, 1, 'synced', now(), $10) RETURNING id",
                    ws.id, agent.spec.name, o.provider, agent.spec.voice_provider, agent.spec.model_provider,
                    agent.spec.transcriber_provider, agent.spec.to_json(), agent.external_agent_id,
                    agent.external_llm_id, session.actor())[0][0]
                  .as<std::string>();
    state.agent_id = id;
    // What the provider holds is what wfa would send now, so the next sync finds nothing to change.
    tx.exec_params(
        "UPDATE ai_agents SET acknowledged_payload = $3::jsonb WHERE workspace_id = $1::uuid AND id = $2::uuid", ws.id,
        id, plan_sync(agent.spec, state, true).payload);
    record_audit(
        tx, {session.actor(), "agent.pull", "ai_agent", id, ws.partner_id, ws.id, "", "",
             "{\"provider\": \"" + o.provider + "\", \"external_agent_id\": \"" + agent.external_agent_id + "\"}"});
    table.rows.push_back(
        {Cell(agent.spec.name), Cell(agent.external_agent_id), Cell(std::string("adopted")), Cell(std::string())});
    ++adopted;
  }
  Result r;
  auto what = std::to_string(adopted) + " of " + std::to_string(found.size()) + " " + o.provider +
              " agents adopted into " + o.workspace;
  r.tables.push_back(std::move(table));
  return commit_or_roll_back(tx, std::move(r), o.dry_run, what, "would have " + what);
}

}  // namespace wfa
