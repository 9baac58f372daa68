// Inserting partners and their domains, shared by `wfa partner create` and `wfa partner provision`.
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/audited_mutation.hpp"
#include "commands/partner/partner_write.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/tokens.hpp"
#include "core/validation.hpp"

namespace wfa {

std::string insert_partner(pqxx::dbtransaction& tx, const std::string& actor, const NewPartner& partner,
                           const std::string& metadata) {
  auto taken = tx.exec_params("SELECT deleted_at IS NOT NULL FROM partners WHERE slug = $1", partner.slug);
  if (!taken.empty())
    throw ConflictError("partner '" + partner.slug + "' already exists" + (taken[0][0].as<bool>() ? " (deleted)" : ""),
                        taken[0][0].as<bool>() ? "restore it with `wfa partner restore " + partner.slug + "`"
                                               : "choose another slug, or pass --if-not-exists");
  if (partner.platform && !tx.exec("SELECT 1 FROM partners WHERE is_platform_partner").empty())
    throw ConflictError("a platform partner already exists; there can be only one", "leave out --platform");
  auto rows = tx.exec_params(
      "INSERT INTO partners (slug, name, branding, plan_tier, features, resource_limits, is_platform_partner)"
      " SELECT $1, $2, $3::jsonb, tier, features, resource_limits, $4 FROM subscription_plans WHERE tier = $5 RETURNING id",
      partner.slug, partner.name, partner.branding, partner.platform, partner.plan);
  if (rows.empty()) throw InvalidInputError("plan '" + partner.plan + "' does not exist", "`wfa plan list` shows the plans");
  auto id = rows[0][0].as<std::string>();
  record_audit(tx,
               {actor, "partner.create", "partner", id, id, std::nullopt, "", row_json(tx, "partners", id), metadata});
  return id;
}

std::string insert_domain(pqxx::dbtransaction& tx, const std::string& actor, const std::string& partner_id,
                          const std::string& hostname, bool platform_subdomain, const std::string& metadata) {
  auto owner = tx.exec_params(
      "SELECT p.slug FROM partner_domains d JOIN partners p ON p.id = d.partner_id WHERE d.hostname = $1", hostname);
  if (!owner.empty())
    throw ConflictError("hostname " + hostname + " is already a domain of partner " + owner[0][0].as<std::string>(),
                        "remove it there first with `wfa domain remove`, or reject the request");
  bool primary =
      platform_subdomain &&
      tx.exec_params("SELECT 1 FROM partner_domains WHERE partner_id = $1::uuid AND is_primary", partner_id).empty();
  auto id =
      tx.exec_params(
            "INSERT INTO partner_domains (partner_id, hostname, is_primary, is_platform_subdomain, verification_token,"
            " verified_at, display_hostname) VALUES ($1::uuid, $2, $3, $4, $5, CASE WHEN $4::boolean THEN now() END,"
            " NULLIF($6, $2)) RETURNING id",
            partner_id, hostname, primary, platform_subdomain, random_token(), hostname_for_display(hostname))[0][0]
          .as<std::string>();
  record_audit(tx, {actor, "partner_domain.create", "partner_domain", id, partner_id, std::nullopt, "",
                    row_json(tx, "partner_domains", id), metadata});
  return id;
}

}  // namespace wfa
