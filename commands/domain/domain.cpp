// `wfa domain add|list`.
#include "commands/domain/domain.hpp"

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/listing.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/domain/dns.hpp"
#include "commands/domain/domain_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/tokens.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// require_unclaimed refuses HOST when a partner has it or an open partner request wants it.
void require_unclaimed(pqxx::transaction_base& tx, const std::string& host) {
  auto owner = tx.exec_params(
      "SELECT p.slug FROM partner_domains d JOIN partners p ON p.id = d.partner_id WHERE d.hostname = $1", host);
  if (!owner.empty())
    throw ConflictError("domain " + host + " already belongs to partner " + owner[0][0].as<std::string>(),
                        "remove it there first with `wfa domain remove " + host + "`");
  auto request = tx.exec_params(
      "SELECT id, status FROM partner_requests WHERE custom_domain = $1"
      " AND status IN ('pending', 'approved', 'provisioning') ORDER BY created_at LIMIT 1",
      host);
  if (!request.empty())
    throw ConflictError("domain " + host + " is claimed by " + request[0][1].as<std::string>() + " partner request " +
                            request[0][0].as<std::string>(),
                        "reject that request first, or choose another hostname");
}

}  // namespace

Result run_domain_add(const DomainAddOptions& options, Session& session) {
  auto host = check_hostname("hostname", options.hostname);
  if (options.primary)
    throw ConflictError("domain " + host + " cannot be made primary when added: it is not verified yet",
                        "add it without --primary, verify it, then run `wfa domain set-primary " + host + "`");
  auto platform = platform_domain_setting(session.settings().value("platform_domain"));
  if (is_under(host, platform))
    throw ConflictError(
        "domain " + host + " is inside the platform domain " + platform,
        "platform subdomains come with the partner (`wfa partner create`); add a domain the partner owns");

  pqxx::work tx(session.database().ready());
  auto partner = partner_for(tx, session, options.partner, "partner:domains:create");
  if (options.if_not_exists) {
    auto own = tx.exec_params("SELECT id FROM partner_domains WHERE hostname = $1 AND partner_id = $2::uuid", host,
                              partner.id);
    if (!own.empty()) {
      Result r;
      r.fields = domain_fields(tx, own[0][0].as<std::string>());
      r.message = "domain " + host + " is already a domain of partner " + partner.slug + "; nothing changed";
      return r;
    }
  }
  require_unclaimed(tx, host);
  auto plan = tx.exec_params(
      "SELECT plan_tier, COALESCE((features->>'custom_domain')::boolean, false) FROM partners WHERE id = $1::uuid",
      partner.id)[0];
  if (!plan[1].as<bool>())
    throw ConflictError(
        "partner " + partner.slug + "'s plan " + plan[0].as<std::string>() + " does not include custom domains",
        "move the partner to a plan with the custom_domain feature (wfa partner update " + partner.slug +
            " --plan professional), or turn the feature on with --feature "
            "custom_domain=true");
  std::string id;
  try {
    id = tx.exec_params(
               "INSERT INTO partner_domains (partner_id, hostname, verification_token, display_hostname)"
               " VALUES ($1::uuid, $2, $3, NULLIF($4, $2)) RETURNING id",
               partner.id, host, random_token(), hostname_for_display(host))[0][0]
             .as<std::string>();
  } catch (const pqxx::unique_violation&) {
    throw ConflictError("domain " + host + " was added by another run at the same time",
                        "list it with `wfa domain list`");
  }
  record_audit(tx, {session.actor(), "domain.add", "partner_domain", id, partner.id, std::nullopt, "",
                    row_json(tx, "partner_domains", id), ""});
  Result r;
  r.fields = domain_fields(tx, id);
  auto record = verification_record_name(host);
  if (options.dry_run) {
    tx.abort();
    r.message = "dry run: would add domain " + host + " to partner " + partner.slug + "; nothing changed";
    return r;
  }
  tx.commit();
  std::string token;
  for (const auto& [key, cell] : r.fields)
    if (key == "txt_record_value") token = cell.as_string();
  r.message = "added domain " + host + " to partner " + partner.slug + " (unverified); create the DNS TXT record " +
              record + " with the value " + token + ", then run `wfa domain verify " + host + "`";
  return r;
}

Result run_domain_list(const DomainListOptions& options, Session& session) {
  if (options.verified && options.unverified)
    throw UsageError(session.option("verified") + " and " + session.option("unverified") + " exclude each other");
  auto tx = list_transaction(session);
  std::optional<std::string> partner_id;
  if (options.partner) partner_id = partner_for(*tx, session, *options.partner, "partner:domains:read", true).id;
  ListQuery query("domain list", "domains");
  query.select(domain_columns).from(domain_from).where("d.partner_id = ?::uuid", partner_id);
  only_visible_partners(*tx, session, query, "d.partner_id");
  // One partner's domains: its primary first. Every partner's: by hostname, which its unique index serves.
  if (partner_id)
    query.order_by({{"d.is_primary", "boolean", true}, {"d.hostname", "text"}});
  else
    query.order_by({{"d.hostname", "text"}});
  if (options.verified) query.where("d.verified_at IS NOT NULL");
  if (options.unverified) query.where("d.verified_at IS NULL");
  return list_rows(tx, query, options.paging, session);
}

}  // namespace wfa
