// `wfa number list|assign|unassign|release`: a workspace's numbers read, routed to agents and let go.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/agent/agent_rules.hpp"
#include "commands/integration/integration_access.hpp"
#include "commands/number/number.hpp"
#include "commands/number/number_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "pipelines/providers/number_payload.hpp"
#include "pipelines/providers/provider.hpp"
#include "pipelines/providers/provider_json.hpp"

namespace wfa {

namespace {

/// external_agent is the provider's id of WS's agent AGENT_ID, "" when it has none yet.
std::string external_agent(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& agent_id) {
  auto rows = tx.exec_params(
      "SELECT coalesce(external_agent_id, '') FROM ai_agents WHERE workspace_id = $1::uuid AND id = $2::uuid", ws.id,
      agent_id);
  return rows.empty() ? "" : rows[0][0].as<std::string>();
}

/// tell_provider sends REQUEST about NUMBER to CLIENT's provider and checks that it was taken.
void tell_provider(ProviderClient& client, const NumberRequest& request, const std::string& what) {
  auto response = client.call(request.method, request.path, request.body);
  provider_json(client, response, what, "check the number and the agent in the provider's dashboard");
}

/// set_agent routes number N of WS to AGENT_ID (or nobody) and audits ACTION; the provider was told first.
Result set_agent(pqxx::work& tx, Session& session, const WorkspaceRef& ws, const PhoneNumberRef& n,
                 const std::optional<std::string>& agent_id, const std::string& action, const std::string& done) {
  auto audit = number_audit(tx, session, action, ws, n.id);
  tx.exec_params("UPDATE phone_numbers SET agent_id = $3::uuid WHERE workspace_id = $1::uuid AND id = $2::uuid", ws.id,
                 n.id, agent_id);
  audit.new_values = number_audit_values(tx, ws.id, n.id);
  record_audit(tx, audit);
  Result r;
  r.fields = to_fields(query_table(tx, number_query(ws.id, std::nullopt, std::nullopt, n.id)));
  return commit_or_roll_back(tx, std::move(r), false, done, "");
}

/// would is a dry run's answer: number N of WS as it stands, and what would happen.
Result would(pqxx::work& tx, const WorkspaceRef& ws, const PhoneNumberRef& n, const std::string& what) {
  Result r;
  r.fields = to_fields(query_table(tx, number_query(ws.id, std::nullopt, std::nullopt, n.id)));
  return commit_or_roll_back(tx, std::move(r), true, "", what);
}

}  // namespace

Result run_number_list(const NumberListOptions& o, Session& session) {
  if (o.provider) check_choice(session.option("provider"), *o.provider, voice_providers, "a voice provider");
  if (o.status) check_choice(session.option("status"), *o.status, number_list_statuses, "a number status");
  auto tx = list_transaction(session);
  auto ws = workspace_for(*tx, session, o.workspace, "workspace:numbers:read");
  auto query = number_query(ws.id, o.provider, o.status.value_or("active"), std::nullopt);
  query.when_empty("workspace " + o.workspace + " has no phone numbers; get one with `wfa number create`, " +
                   "`wfa number import` or `wfa number adopt`");
  return list_rows(tx, query, o.paging, session);
}

Result run_number_assign(const NumberAssignOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:numbers:update");
  auto n = find_number(tx, ws, o.workspace, o.number, true);
  auto agent = find_agent(tx, ws.id, o.workspace, o.agent, false, false);
  if (agent.provider != n.provider)
    throw InvalidInputError(
        "agent " + agent.name + " is at " + agent.provider + ", but " + n.number + " is at " + n.provider,
        "assign the number to an agent of the same provider");
  auto external = external_agent(tx, ws, agent.id);
  if (external.empty())
    throw ConflictError("agent " + agent.name + " is not at " + agent.provider + " yet",
                        "push it first with `wfa agent sync --workspace " + o.workspace + "`");
  auto client = integration_client(session, tx, ws.id, o.workspace, n.provider);
  auto what = "route " + n.number + "'s inbound calls to agent " + agent.name;
  if (o.dry_run) return would(tx, ws, n, what);
  auto previous = n.agent_id ? external_agent(tx, ws, *n.agent_id) : "";
  if (n.provider == "synthflow" && !previous.empty() && previous != external)
    tell_provider(client, route_request(n.provider, n.provider_number_id, "", previous), "detaching " + n.number);
  tell_provider(client, route_request(n.provider, n.provider_number_id, external, previous), "routing " + n.number);
  return set_agent(tx, session, ws, n, agent.id, "number.assign", "routed " + n.number + " to agent " + agent.name);
}

Result run_number_unassign(const NumberAssignOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:numbers:update");
  auto n = find_number(tx, ws, o.workspace, o.number, true);
  auto client = integration_client(session, tx, ws.id, o.workspace, n.provider);
  if (!n.agent_id) {
    Result r;
    r.fields = to_fields(query_table(tx, number_query(ws.id, std::nullopt, std::nullopt, n.id)));
    r.message = n.number + " has no agent; nothing to change";
    return r;
  }
  if (o.dry_run) return would(tx, ws, n, "stop routing " + n.number + "'s inbound calls to its agent");
  auto previous = external_agent(tx, ws, *n.agent_id);
  if (!previous.empty() || n.provider != "synthflow")
    tell_provider(client, route_request(n.provider, n.provider_number_id, "", previous), "unrouting " + n.number);
  return set_agent(tx, session, ws, n, std::nullopt, "number.unassign", "unrouted " + n.number);
}

Result run_number_release(const NumberReleaseOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "workspace:numbers:delete");
  auto n = find_number(tx, ws, o.workspace, o.number, true);
  auto client = integration_client(session, tx, ws.id, o.workspace, n.provider);
  if (o.dry_run) return would(tx, ws, n, "release " + n.number + " at " + n.provider);
  session.confirm(o.yes, "release " + n.number + " at " + n.provider + " (the provider deletes it)");
  auto request = release_number_request(n.provider, n.provider_number_id);
  auto response = client.call(request.method, request.path, request.body);
  if (response.status != 404)  // already gone at the provider: releasing it here is all that is left
    provider_json(client, response, "releasing " + n.number, "check the number in the provider's dashboard");
  // The credential an import made for the number served it alone: it goes with it.
  auto credential = tx.exec_params1(
                          "SELECT coalesce(provider_credential_id, '') FROM phone_numbers WHERE workspace_id = $1::uuid"
                          " AND id = $2::uuid",
                          ws.id, n.id)[0]
                        .as<std::string>();
  try {
    forget_credential(client, credential);
  } catch (const Error& e) {
    session.info("the number is released; its credential " + credential + " stays at " + n.provider +
                 " (delete it in the provider's dashboard): " + e.what());
  }
  auto audit = number_audit(tx, session, "number.release", ws, n.id);
  tx.exec_params(
      "UPDATE phone_numbers SET status = 'released', released_at = now(), agent_id = NULL"
      " WHERE workspace_id = $1::uuid AND id = $2::uuid",
      ws.id, n.id);
  tx.exec_params("DELETE FROM phone_number_routes WHERE number = $1 AND workspace_id = $2::uuid", n.number, ws.id);
  audit.new_values = number_audit_values(tx, ws.id, n.id);
  record_audit(tx, audit);
  Result r;
  r.fields = to_fields(query_table(tx, number_query(ws.id, std::nullopt, std::nullopt, n.id)));
  return commit_or_roll_back(tx, std::move(r), false, "released " + n.number + " at " + n.provider, "");
}

}  // namespace wfa
