#pragma once
/// Inserting a partner and its domains, audited; shared by create, provision and request approval.
#include <string>

#include "core/pqxx_fwd.hpp"

namespace wfa {

/// NewPartner is a partner to insert; features and resource limits come from its plan's row in subscription_plans.
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
