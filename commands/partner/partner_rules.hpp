#pragma once
/// Rules the partner verbs share: which names are free, request lookup, plans, branding values
/// and the partner/request output fields. Internal to commands/partner*.cpp.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace pqxx {
class transaction_base;
class dbtransaction;
}

namespace wfa {

class Session;

/// Requests in these states hold their subdomain and custom domain (SQL list, a constant).
inline constexpr const char* open_request_states = "('pending', 'approved', 'provisioning')";

/// platform_domain is the configured domain partners get SLUG.<domain> under; a bad value is exit 6.
std::string platform_domain(const Session& session);

/// NameCheck answers "may this subdomain or custom hostname be claimed?", with the reason if not.
struct NameCheck {
  std::string name;      ///< normalised (lowercase, no trailing dot); the input as given when invalid
  std::string kind;      ///< "subdomain" or "custom"
  std::string hostname;  ///< the hostname it would serve: SLUG.<platform domain> for a subdomain
  bool valid = false;
  bool reserved = false;
  bool available = false;
  std::string reason;  ///< one line; empty when available
  std::string hint;
};

/// NameScope says which claims count: partners and their domains always, open requests unless told not to.
struct NameScope {
  bool requests = true;
  std::optional<std::string> except_request;  ///< a request does not conflict with itself
};

/// check_subdomain_name accepts a label or LABEL.<platform domain>; it never throws for bad input.
NameCheck check_subdomain_name(pqxx::transaction_base& tx, std::string_view field, std::string_view name,
                               const std::string& platform, const NameScope& scope);
/// check_custom_domain_name: a full hostname outside the platform domain.
NameCheck check_custom_domain_name(pqxx::transaction_base& tx, std::string_view field, std::string_view name,
                                   const std::string& platform, const NameScope& scope);
/// require_available returns the normalised name, or throws InvalidInputError (6) / ConflictError (4).
std::string require_available(const NameCheck& check);
/// lock_names serialises transactions that claim names (submit, approve, create, provision) until commit.
void lock_names(pqxx::transaction_base& tx);

/// check_plan returns PLAN when plan_tiers has it; otherwise InvalidInputError naming FIELD and the plans.
std::string check_plan(pqxx::transaction_base& tx, std::string_view field, const std::string& plan);
/// check_logo accepts an http(s) URL or a readable file (returned as an absolute path).
std::string check_logo(std::string_view field, const std::string& value);

/// RequestRow is what the verbs need of a partner request.
struct RequestRow {
  std::string id, status, company_name, contact_name, contact_email, desired_subdomain, plan_tier, branding;
  std::optional<std::string> custom_domain, provisioned_partner_id;
};

/// find_request: malformed and unknown ids are NotFoundError (3); LOCK takes the row FOR UPDATE.
RequestRow find_request(pqxx::transaction_base& tx, const std::string& id, bool lock);

using Fields = std::vector<std::pair<std::string, Cell>>;
/// request_fields: every column of the request, named as in the table.
Fields request_fields(pqxx::transaction_base& tx, const std::string& id);
/// partner_fields: the partner's columns, workspace_count and domains (a JSON array of objects).
Fields partner_fields(pqxx::transaction_base& tx, const std::string& id);

/// NewPartner is a partner to insert; features and resource limits come from its plan's row in plan_tiers.
struct NewPartner {
  std::string slug, name, plan;
  std::string branding;  ///< JSON object text
  bool platform = false;
};

/// insert_partner creates the partner, audited as partner.create with METADATA (JSON text, may be empty).
std::string insert_partner(pqxx::dbtransaction& tx, const std::string& actor, const NewPartner& partner,
                           const std::string& metadata);
/// insert_domain adds HOSTNAME: a platform subdomain is verified at once and primary; any other gets a
/// verification token and waits for `wfa domain verify`. A taken hostname is ConflictError (4).
std::string insert_domain(pqxx::dbtransaction& tx, const std::string& actor, const std::string& partner_id,
                          const std::string& hostname, bool platform_subdomain, const std::string& metadata);

}  // namespace wfa
