#pragma once
/// What the number verbs share, and what other verbs use to pick a caller id: a workspace's active numbers found by
/// E.164, id or provider id, the number assigned to an agent, the max_phone_numbers limit and the platform-wide route.
#include <optional>
#include <string>

#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/audited_mutation.hpp"
#include "core/listing.hpp"
#include "core/pqxx_fwd.hpp"
#include "core/validation.hpp"

namespace wfa {

class ProviderClient;

class Session;

/// number_list_statuses filter `number list`: active numbers (the default), released ones, or all.
inline const Choices number_list_statuses = {"active", "released", "all"};

/// PhoneNumberRef is one active number of a workspace as verbs need it.
struct PhoneNumberRef {
  std::string id, provider, number, provider_number_id, source;
  std::optional<std::string> agent_id;  ///< the agent its inbound calls go to
};

/// caller_number is the active number NUMBER_OR_ID (E.164, wfa's id or the provider's id) that WS owns on PROVIDER,
/// or nothing: a verb may place calls from it only then.
std::optional<PhoneNumberRef> caller_number(pqxx::transaction_base& tx, const WorkspaceRef& ws,
                                            const std::string& provider, const std::string& number_or_id);

/// default_caller_number is the active number of WS assigned to AGENT_ID (the oldest, if several), or nothing.
std::optional<PhoneNumberRef> default_caller_number(pqxx::transaction_base& tx, const WorkspaceRef& ws,
                                                    const std::string& agent_id);

/// find_number is WS's active number REFERENCE (E.164, id or provider id); none is NotFoundError naming WORKSPACE.
/// LOCK takes the row FOR UPDATE.
PhoneNumberRef find_number(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& workspace,
                           const std::string& reference, bool lock);

/// number_query lists WS's numbers (never credentials, only their hint); ID narrows it to one.
ListQuery number_query(const std::string& workspace_id, const std::optional<std::string>& provider,
                       const std::optional<std::string>& status, const std::optional<std::string>& id);

/// require_number_room serialises additions to WS's numbers (a transaction lock) and refuses one more past its
/// effective max_phone_numbers (ConflictError, exit 4); WORKSPACE names it in messages.
void require_number_room(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& workspace);

/// require_number_free refuses NUMBER when another workspace holds it, or WS already does (ConflictError).
void require_number_free(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& number);

/// claim_number_route makes WS the one owner of NUMBER (row ID) across the platform; a number another workspace
/// holds, even one added concurrently, is ConflictError.
void claim_number_route(pqxx::transaction_base& tx, const WorkspaceRef& ws, const std::string& number,
                        const std::string& id);

/// number_audit starts the audit entry of ACTION on number ID, its old values as they stand ("" for a new one).
AuditEntry number_audit(pqxx::transaction_base& tx, const Session& session, const std::string& action,
                        const WorkspaceRef& ws, const std::string& id);

/// number_audit_values is the JSON the audit log keeps of a number: never its credentials, only their hint.
std::string number_audit_values(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& id);

/// forget_credential deletes CREDENTIAL_ID, a credential CLIENT's provider holds for a number wfa imported (VAPI's
/// Vonage, Telnyx and SIP trunk credentials), so none outlives its number; one already gone is no failure. Empty:
/// nothing to do. A refusal is the provider's error.
void forget_credential(ProviderClient& client, const std::string& credential_id);

/// number_context is the authenticated data of a number's sealed credentials.
std::string number_context(const std::string& workspace_id, const std::string& id);

}  // namespace wfa
