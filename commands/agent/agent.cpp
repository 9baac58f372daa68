// `wfa agent create|update|delete|restore|show|list`: specs in ai_agents, every change audited and marked for resync.
#include "commands/agent/agent.hpp"

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/agent/agent_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/listing.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

/// agent_query lists agents without their prompts: identity, providers and sync state.
ListQuery agent_query(const std::string& workspace_id, bool deleted) {
  ListQuery query("agent list", "agents");
  query
      .select(
          "a.name, a.provider, a.voice_provider, a.model_provider, a.version, a.sync_status, a.needs_resync,"
          " a.external_agent_id, a.last_synced_at, a.last_sync_error, a.is_active, a.deleted_at, a.updated_at, a.id")
      .from("ai_agents a")
      .where("a.workspace_id = ?::uuid", workspace_id)
      .where(deleted ? "a.deleted_at IS NOT NULL" : "a.deleted_at IS NULL")
      .order_by({{"lower(a.name)", "text"}, {"a.id", "uuid"}})
      .machine_columns(1);
  return query;
}

std::vector<std::pair<std::string, Cell>> agent_fields(pqxx::transaction_base& tx, const std::string& workspace_id,
                                                       const std::string& id) {
  auto fields = to_fields(tx.exec_params(
      "SELECT id, name, provider, voice_provider, model_provider, transcriber_provider, version, synced_version,"
      " needs_resync, sync_status, external_agent_id, external_llm_id, last_synced_at, last_sync_error, is_active,"
      " total_calls, total_seconds, deleted_at, created_at, updated_at, config::text AS spec,"
      " (SELECT coalesce(string_agg(d.name, ', ' ORDER BY d.name), '') FROM agent_knowledge_documents k"
      "  JOIN knowledge_documents d ON d.workspace_id = k.workspace_id AND d.id = k.document_id"
      "  WHERE k.workspace_id = a.workspace_id AND k.agent_id = a.id) AS knowledge"
      " FROM ai_agents a WHERE workspace_id = $1::uuid AND id = $2::uuid",
      workspace_id, id));
  return fields;
}

std::string agent_json(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& id) {
  auto rows = tx.exec_params(
      "SELECT to_jsonb(a) - 'acknowledged_payload' FROM ai_agents a WHERE workspace_id = $1::uuid AND id = $2::uuid",
      workspace_id, id);
  return rows.empty() ? "" : rows[0][0].as<std::string>();
}

void audit_agent(pqxx::dbtransaction& tx, const Session& session, const std::string& action, const WorkspaceRef& ws,
                 const std::string& id, const std::string& old_values) {
  record_audit(
      tx, {session.actor(), action, "ai_agent", id, ws.partner_id, ws.id, old_values, agent_json(tx, ws.id, id), ""});
}

[[noreturn]] void name_taken(const std::string& name, const std::string& workspace) {
  throw ConflictError("workspace " + workspace + " already has an agent named '" + name + "'",
                      "choose another name, or update that agent");
}

}  // namespace

Result run_agent_create(const AgentCreateOptions& o, Session& session) {
  if (!o.fields.spec_file && (!o.fields.name || !o.fields.provider))
    throw UsageError("agent create needs " + session.option("spec") + ", or " + session.option("name") + " and " +
                         session.option("provider"),
                     "e.g. --spec agent.json");
  AgentSpec spec;
  apply_fields(o.fields, spec, session);
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:agents:create");
  std::string id;
  try {
    id = tx.exec_params(
               "INSERT INTO ai_agents (workspace_id, name, provider, voice_provider, model_provider,"
               " transcriber_provider, config, created_by)"
               " VALUES ($1::uuid, $2, $3, NULLIF($4, ''), NULLIF($5, ''), NULLIF($6, ''), $7::jsonb, $8) RETURNING id",
               ws.id, spec.name, spec.provider, spec.voice_provider, spec.model_provider, spec.transcriber_provider,
               spec.to_json(), session.actor())[0][0]
             .as<std::string>();
  } catch (const pqxx::unique_violation&) {
    name_taken(spec.name, o.workspace);
  }
  link_spec_knowledge(tx, ws.id, o.workspace, id, spec);
  audit_agent(tx, session, "agent.create", ws, id, "");
  Result r;
  r.fields = agent_fields(tx, ws.id, id);
  auto what = spec.provider + " agent '" + spec.name + "' in " + o.workspace;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "created " + what + " (run `wfa agent sync` to push it)",
                             "would create " + what);
}

Result run_agent_update(const AgentUpdateOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:agents:update");
  auto agent = find_agent(tx, ws.id, o.workspace, o.agent, false, true);
  auto spec = agent.spec;
  apply_fields(o.fields, spec, session);
  if (spec.provider != agent.provider)
    throw ConflictError(
        "agent '" + agent.name + "' is a " + agent.provider + " agent; it cannot move to " + spec.provider,
        "create a new agent at " + spec.provider + " and delete this one");
  Result r;
  if (spec.to_json() == agent.spec.to_json()) {
    r.fields = agent_fields(tx, ws.id, agent.id);
    r.message = "agent '" + agent.name + "' already has that spec; nothing changed";
    return r;
  }
  auto old = agent_json(tx, ws.id, agent.id);
  try {
    tx.exec_params(
        "UPDATE ai_agents SET name = $3, voice_provider = NULLIF($4, ''), model_provider = NULLIF($5, ''),"
        " transcriber_provider = NULLIF($6, ''), config = $7::jsonb, version = version + 1, needs_resync = true,"
        " sync_status = CASE WHEN sync_status = 'synced' THEN 'pending' ELSE sync_status END"
        " WHERE workspace_id = $1::uuid AND id = $2::uuid",
        ws.id, agent.id, spec.name, spec.voice_provider, spec.model_provider, spec.transcriber_provider,
        spec.to_json());
  } catch (const pqxx::unique_violation&) {
    name_taken(spec.name, o.workspace);
  }
  link_spec_knowledge(tx, ws.id, o.workspace, agent.id, spec);
  audit_agent(tx, session, "agent.update", ws, agent.id, old);
  r.fields = agent_fields(tx, ws.id, agent.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             "updated agent '" + spec.name + "' to version " + std::to_string(agent.version + 1),
                             "would update agent '" + spec.name + "'");
}

Result run_agent_delete(const AgentRefOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:agents:delete");
  auto agent = find_agent(tx, ws.id, o.workspace, o.agent, false, true);
  if (!o.dry_run)
    session.confirm(o.yes, "delete agent '" + agent.name + "' (and, at the next sync, at " + agent.provider + ")");
  auto old = agent_json(tx, ws.id, agent.id);
  tx.exec_params(
      "UPDATE ai_agents SET deleted_at = now(), needs_resync = (external_agent_id IS NOT NULL OR external_llm_id IS NOT"
      " NULL), sync_status = CASE WHEN external_agent_id IS NULL AND external_llm_id IS NULL THEN 'removed'"
      " ELSE 'pending' END WHERE workspace_id = $1::uuid AND id = $2::uuid",
      ws.id, agent.id);
  audit_agent(tx, session, "agent.delete", ws, agent.id, old);
  Result r;
  r.fields = agent_fields(tx, ws.id, agent.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "deleted agent '" + agent.name + "'",
                             "would delete agent '" + agent.name + "'");
}

Result run_agent_restore(const AgentRefOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:agents:update");
  auto agent = find_agent(tx, ws.id, o.workspace, o.agent, true, true);
  auto old = agent_json(tx, ws.id, agent.id);
  try {
    tx.exec_params(
        "UPDATE ai_agents SET deleted_at = NULL, version = version + 1, needs_resync = true, sync_status = 'pending'"
        " WHERE workspace_id = $1::uuid AND id = $2::uuid",
        ws.id, agent.id);
  } catch (const pqxx::unique_violation&) {
    name_taken(agent.name, o.workspace);
  }
  audit_agent(tx, session, "agent.restore", ws, agent.id, old);
  Result r;
  r.fields = agent_fields(tx, ws.id, agent.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "restored agent '" + agent.name + "'",
                             "would restore agent '" + agent.name + "'");
}

Result run_agent_show(const AgentRefOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:agents:read");
  auto agent = find_agent(tx, ws.id, o.workspace, o.agent, false, false);
  Result r;
  r.fields = agent_fields(tx, ws.id, agent.id);
  return r;
}

Result run_agent_list(const AgentListOptions& o, Session& session) {
  if (o.provider) check_choice("provider", *o.provider, {"vapi", "retell", "synthflow"}, "a voice provider");
  if (o.status) check_choice("status", *o.status, agent_sync_statuses, "a sync status");
  auto tx = list_transaction(session);
  auto ws = workspace_for(*tx, session, o.workspace, "workspace:agents:read");
  auto query = agent_query(ws.id, o.deleted);
  query.where("a.provider = ?", o.provider).where("a.sync_status = ?", o.status);
  query.when_empty(
      std::string(o.deleted ? "no deleted agents" : "no agents") + " in workspace " + o.workspace +
      (o.deleted ? "" : "; create one with `wfa agent create --workspace " + o.workspace + " --spec FILE`"));
  return list_rows(tx, query, o.paging, session);
}

}  // namespace wfa
