#pragma once
/// Which subdomains and custom hostnames are free to claim, and the lock that serialises claims.
#include <optional>
#include <string>
#include <string_view>

#include "core/pqxx_fwd.hpp"

namespace wfa {

class Session;

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

}  // namespace wfa
