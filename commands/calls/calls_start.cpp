// `wfa calls start` (and `agent test-call`): one outbound call, its attempt committed before the provider is asked.
#include <pqxx/transaction>

#include "commands/agent/agent_rules.hpp"
#include "commands/calling_rules/calling_rules.hpp"
#include "commands/calls/call_started.hpp"
#include "commands/calls/calls.hpp"
#include "commands/dnc/dnc_rules.hpp"
#include "commands/integration/integration_access.hpp"
#include "commands/number/number_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "pipelines/phone.hpp"
#include "pipelines/providers/outbound_call.hpp"

namespace wfa {

namespace {

/// Dial is what the first transaction settled: the call to make and the rows it belongs to.
struct Dial {
  std::string workspace_id, agent_id, agent_name, provider;
  OutboundCall call;
};

std::vector<std::pair<std::string, std::string>> read_vars(const std::vector<std::string>& vars,
                                                           const Session& session) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& var : vars) {
    auto eq = var.find('=');
    auto key = var.substr(0, eq);
    bool good =
        eq != std::string::npos && !key.empty() && key.size() <= 64 &&
        key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos &&
        !(key[0] >= '0' && key[0] <= '9') && key.rfind("wfa_", 0) != 0;
    if (!good)
      throw UsageError(session.option("var") + " '" + var + "' is not KEY=VALUE with a KEY of letters, digits and _",
                       "e.g. first_name=Ada; keys starting wfa_ are wfa's own");
    for (const auto& [seen, value] : out)
      if (seen == key) throw UsageError(session.option("var") + " " + key + " is given twice");
    out.emplace_back(key, var.substr(eq + 1));
  }
  return out;
}

/// end_attempt marks the attempt ended as failed, or removes it when the provider made no call for want of a slot
/// (that is no attempt).
void end_attempt(Session& session, const Dial& d, bool no_attempt) {
  pqxx::work tx(session.database().ready());
  tx.exec_params(no_attempt ? "DELETE FROM call_attempts WHERE workspace_id = $1::uuid AND id = $2::uuid"
                            : "UPDATE call_attempts SET ended_at = now(), outcome = 'failed' WHERE workspace_id ="
                              " $1::uuid AND id = $2::uuid",
                 d.workspace_id, d.call.attempt_id);
  tx.commit();
}

}  // namespace

Result run_calls_start(const CallsStartOptions& o, Session& session) {
  auto vars = read_vars(o.vars, session);
  std::string to;
  auto reading = PhoneReader({}, PhoneUse::recipient).read(o.to, to);
  if (!reading.problem.empty())
    throw InvalidInputError(session.option("to") + " '" + o.to + "': " + reading.problem,
                            "give the number in E.164, e.g. +14155550100");
  Dial d;
  std::optional<ProviderClient> client;
  {
    pqxx::work tx(session.database().ready());
    auto ws = workspace_for(tx, session, o.workspace, o.test ? "workspace:agents:use" : "workspace:calls:create");
    auto agent = find_agent(tx, ws.id, o.workspace, o.agent, false, false);
    auto row = tx.exec_params1(
        "SELECT coalesce(external_agent_id, ''), is_active FROM ai_agents WHERE workspace_id = $1::uuid AND id ="
        " $2::uuid",
        ws.id, agent.id);
    if (row[0].as<std::string>().empty())
      throw ConflictError("agent " + agent.name + " is not at " + agent.provider + " yet, so it cannot call",
                          "push it first: `wfa agent sync --workspace " + o.workspace + "`");
    if (!row[1].as<bool>() && !o.test)
      throw ConflictError("agent " + agent.name + " is inactive", "activate it, or place a test call");
    // The called party's law holds for every call, a test call too: nothing overrides it.
    require_law_allows(check_law(tx, to, "", std::chrono::floor<std::chrono::seconds>(session.now())));
    if (!tx.exec_params("SELECT 1 WHERE " + dnc_listed_sql("$1::uuid", "$2"), ws.id, to).empty())
      throw ConflictError(
          to + " is on a do-not-call list that reaches workspace " + o.workspace + "; it is not called",
          "`wfa dnc list --scope workspace --workspace " + o.workspace + "` shows the workspace's list");
    auto caller = o.from ? caller_number(tx, ws, agent.provider, *o.from) : default_caller_number(tx, ws, agent.id);
    if (o.from && !caller)
      throw NotFoundError(
          "workspace " + o.workspace + " owns no active " + agent.provider + " number " + *o.from + " to call from",
          "`wfa number list --workspace " + o.workspace + " --provider " + agent.provider +
              "` shows the numbers it may call from");
    if (caller && caller->provider != agent.provider) caller.reset();
    if (!caller && agent.provider != "synthflow")
      throw NotFoundError("agent " + agent.name + " has no number to call from in workspace " + o.workspace,
                          "give " + session.option("from") + " a " + agent.provider +
                              " number the workspace owns, or assign one to the agent (`wfa number assign`)");
    d = {ws.id, agent.id, agent.name, agent.provider, {}};
    d.call.agent_external_id = row[0].as<std::string>();
    d.call.to = to;
    d.call.from_number = caller ? caller->number : "";
    d.call.from_provider_number_id = caller ? caller->provider_number_id : "";
    d.call.variables = vars;
    d.call.test = o.test;
    client.emplace(integration_client(session, tx, ws.id, o.workspace, agent.provider));
    d.call.attempt_id = tx.exec_params1(
                              "INSERT INTO call_attempts (workspace_id, phone_e164, attempt_no, provider, from_number)"
                              " VALUES ($1::uuid, $2, 1, $3, nullif($4, '')) RETURNING id",
                              ws.id, to, agent.provider, d.call.from_number)[0]
                            .as<std::string>();
    auto body = outbound_call_body(agent.provider, d.call);
    record_audit(tx, {session.actor(), o.test ? "agent.test_call" : "calls.start", "call_attempt", d.call.attempt_id,
                      ws.partner_id, ws.id, "", body, ""});
    if (o.dry_run) {
      Result r;
      r.fields = {{"provider", Cell(agent.provider)},
                  {"to", Cell(to)},
                  {"from", Cell(d.call.from_number)},
                  {"body", Cell(body)}};
      return commit_or_roll_back(tx, std::move(r), true, "", "would call " + to + " through " + agent.name);
    }
    tx.commit();
  }
  auto asked_at = std::chrono::system_clock::now();
  std::string call_id;
  std::optional<int> account_limit;
  try {
    auto started = start_outbound_call(*client, d.call);
    call_id = started.provider_call_id;
    account_limit = started.account_limit;
  } catch (const ConcurrencyRefused&) {
    end_attempt(session, d, true);
    throw;
  } catch (const TemporaryError&) {
    // A timeout or a 5xx may still have made the call: look for it before calling the attempt failed.
    std::optional<std::string> found;
    try {
      found = find_outbound_call(*client, d.call, asked_at);
    } catch (const Error&) {
    }
    if (!found) {
      end_attempt(session, d, false);
      throw;
    }
    call_id = *found;
  } catch (const Error&) {
    end_attempt(session, d, false);
    throw;
  }
  pqxx::work tx(session.database().ready());
  record_calls_started(tx, {{d.workspace_id, d.call.attempt_id, d.agent_id, d.provider, call_id, d.call.to,
                             d.call.from_number, d.call.test}});
  if (account_limit) record_account_limit(tx, d.workspace_id, d.provider, *account_limit);
  Result r;
  r.fields = to_fields(tx.exec_params(
      "SELECT id AS attempt_id, provider, provider_call_id, conversation_id, phone_e164 AS to, from_number FROM"
      " call_attempts WHERE workspace_id = $1::uuid AND id = $2::uuid",
      d.workspace_id, d.call.attempt_id));
  r.message = std::string(o.test ? "test call" : "call") + " to " + d.call.to + " started through " + d.agent_name +
              " at " + d.provider + " (call " + call_id + ")";
  tx.commit();
  return r;
}

}  // namespace wfa
