// A workspace's numbers found and counted, the platform-wide route, and their audit values (see number_rules.hpp).
#include "commands/number/number_rules.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/workspace/workspace_rules.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "pipelines/phone.hpp"
#include "pipelines/providers/number_payload.hpp"
#include "pipelines/providers/provider_client.hpp"
#include "pipelines/providers/provider_json.hpp"

namespace wfa {

namespace {

const char* const ref_columns = "id, provider, number, coalesce(provider_number_id, ''), source, agent_id";

PhoneNumberRef ref_of(const pqxx::row& row) {
  PhoneNumberRef ref{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                     row[3].as<std::string>(), row[4].as<std::string>(), std::nullopt};
  if (!row[5].is_null()) ref.agent_id = row[5].as<std::string>();
  return ref;
}

/// as_e164 is REFERENCE as an E.164 number when it reads as one with its country code, else "".
std::string as_e164(const std::string& reference) {
  if (reference.empty() || (reference[0] != '+' && reference.rfind("00", 0) != 0)) return "";
  std::string e164;
  return PhoneReader({}, PhoneUse::contact).read(reference, e164).problem.empty() ? e164 : "";
}

/// active_number finds WS's active number REFERENCE (on PROVIDER when given) by id, E.164 or provider id.
std::optional<PhoneNumberRef> active_number(pqxx::transaction_base& tx, const std::string& workspace_id,
                                            const std::optional<std::string>& provider, const std::string& reference,
                                            bool lock) {
  auto rows = tx.exec_params(std::string("SELECT ") + ref_columns +
                                 " FROM phone_numbers WHERE workspace_id = $1::uuid AND status = 'active'"
                                 " AND ($2::text IS NULL OR provider = $2) AND (id::text = $3 OR number = $4"
                                 " OR provider_number_id = $3) ORDER BY (id::text = $3) DESC, created_at LIMIT 1" +
                                 (lock ? " FOR UPDATE" : ""),
                             workspace_id, provider, reference, as_e164(reference));
  if (rows.empty()) return std::nullopt;
  return ref_of(rows[0]);
}

}  // namespace

std::optional<PhoneNumberRef> caller_number(pqxx::transaction_base& tx, const WorkspaceRef& ws,
                                            const std::string& provider, const std::string& number_or_id) {
  return active_number(tx, ws.id, provider, number_or_id, false);
}

std::optional<PhoneNumberRef> default_caller_number(pqxx::transaction_base& tx, const WorkspaceRef& ws,
                                                    const std::string& agent_id) {
  auto rows = tx.exec_params(std::string("SELECT ") + ref_columns +
                                 " FROM phone_numbers WHERE workspace_id = $1::uuid AND agent_id = $2::uuid"
                                 " AND status = 'active' ORDER BY created_at, id LIMIT 1",
                             ws.id, agent_id);
  if (rows.empty()) return std::nullopt;
  return ref_of(rows[0]);
}

PhoneNumberRef find_number(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& workspace,
                           const std::string& reference, bool lock) {
  auto found = active_number(tx, ws.id, std::nullopt, reference, lock);
  if (!found)
    throw NotFoundError("workspace " + workspace + " has no active phone number " + reference,
                        "list them with `wfa number list --workspace " + workspace + "`");
  return *found;
}

ListQuery number_query(const std::string& workspace_id, const std::optional<std::string>& provider,
                       const std::optional<std::string>& status, const std::optional<std::string>& id) {
  ListQuery query("number list", "phone_numbers");
  query
      .select(
          "n.number, n.provider, n.source, n.status, a.name AS agent, n.provider_number_id, n.termination_uri,"
          " n.credentials_hint AS credentials, " +
          utc_sql("n.created_at") + " AS created_at, " + utc_sql("n.released_at") +
          " AS released_at, n.id, n.agent_id, n.workspace_id")
      .from("phone_numbers n LEFT JOIN ai_agents a ON a.workspace_id = n.workspace_id AND a.id = n.agent_id")
      .where("n.workspace_id = ?::uuid", workspace_id)
      .where("n.provider = ?", provider)
      .where("n.status = ?", status && *status != "all" ? status : std::nullopt)
      .where("n.id = ?::uuid", id)
      .order_by({{"n.number", "text"}, {"n.id", "uuid"}})
      .machine_columns(3);
  return query;
}

void require_number_room(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& workspace) {
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext('wfa.phone_numbers'), hashtext($1))", ws.id);
  auto row = tx.exec_params(std::string("SELECT ") + effective_limits_sql +
                                " -> 'max_phone_numbers', (SELECT count(*) FROM phone_numbers n"
                                " WHERE n.workspace_id = w.id AND n.status = 'active')"
                                " FROM workspaces w JOIN partners p ON p.id = w.partner_id WHERE w.id = $1::uuid",
                            ws.id)[0];
  if (row[0].is_null()) return;
  auto update = "wfa workspace update " + workspace + " --limit max_phone_numbers=N";
  auto limit = nlohmann::json::parse(row[0].as<std::string>(), nullptr, false);
  if (limit.is_null()) return;
  if (!limit.is_number_integer() || limit.get<std::int64_t>() < 0)
    throw InvalidInputError("workspace " + workspace + " has a max_phone_numbers limit that is not a whole number",
                            "fix it: " + update);
  auto live = row[1].as<std::int64_t>();
  if (live >= limit.get<std::int64_t>())
    throw ConflictError("workspace " + workspace + " has reached its max_phone_numbers limit (" + std::to_string(live) +
                            " of " + std::to_string(limit.get<std::int64_t>()) + " numbers)",
                        "release a number, or raise the limit: " + update);
}

namespace {

[[noreturn]] void number_taken(bool here, const std::string& number) {
  if (here)
    throw ConflictError("phone number " + number + " is already one of this workspace's numbers",
                        "see it with `wfa number list`");
  throw ConflictError("phone number " + number + " belongs to another workspace",
                      "a number can serve one workspace; release it there first");
}

}  // namespace

void require_number_free(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& number) {
  auto rows =
      tx.exec_params("SELECT workspace_id = $2::uuid FROM phone_number_routes WHERE number = $1", number, ws.id);
  if (!rows.empty()) number_taken(rows[0][0].as<bool>(), number);
}

void claim_number_route(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& number,
                        const std::string& id) {
  auto claimed = tx.exec_params(
      "INSERT INTO phone_number_routes (number, workspace_id, phone_number_id) VALUES ($1, $2::uuid, $3::uuid)"
      " ON CONFLICT (number) DO NOTHING RETURNING 1",
      number, ws.id, id);
  if (!claimed.empty()) return;
  // The route may be out of sight (serve's row-level security shows its own workspaces only): ask this workspace.
  auto here = tx.exec_params(
      "SELECT 1 FROM phone_numbers WHERE workspace_id = $1::uuid AND number = $2 AND status = 'active'", ws.id, number);
  number_taken(!here.empty(), number);
}

AuditEntry number_audit(pqxx::transaction_base& tx, const Session& session, const std::string& action,
                        const WorkspaceRef& ws, const std::string& id) {
  return AuditEntry{
      session.actor(), action, "phone_number", id, ws.partner_id, ws.id, number_audit_values(tx, ws.id, id), "", ""};
}

std::string number_audit_values(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& id) {
  auto rows = tx.exec_params(
      "SELECT jsonb_build_object('number', number, 'provider', provider, 'source', source, 'status', status,"
      " 'agent_id', agent_id, 'provider_number_id', provider_number_id, 'termination_uri', termination_uri,"
      " 'credentials', credentials_hint)::text FROM phone_numbers WHERE workspace_id = $1::uuid AND id = $2::uuid",
      workspace_id, id);
  return rows.empty() ? "" : rows[0][0].as<std::string>();
}

std::string number_context(const std::string& workspace_id, const std::string& id) {
  return "phone_numbers/" + workspace_id + "/" + id;
}

void forget_credential(ProviderClient& client, const std::string& credential_id) {
  auto request = delete_credential_request(client.provider(), credential_id);
  if (!request) return;
  auto response = client.call(request->method, request->path, request->body);
  if (response.status == 404) return;
  provider_json(client, response, "deleting credential " + credential_id, "delete it in the provider's dashboard");
}

}  // namespace wfa
