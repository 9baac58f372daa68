// `wfa domain set-primary|remove`: the one primary domain per partner, and removal.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/domain/domain.hpp"
#include "commands/domain/domain_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// require_removable refuses the platform subdomain and a primary domain the partner still needs.
void require_removable(pqxx::transaction_base& tx, const DomainRow& domain) {
  if (domain.is_platform_subdomain)
    throw ConflictError("domain " + domain.hostname + " is the platform subdomain of partner " + domain.partner_slug +
                            " and cannot be removed",
                        "it goes with the partner (`wfa partner delete`)");
  if (!domain.is_primary) return;
  auto others = tx.exec_params("SELECT count(*) FROM partner_domains WHERE partner_id = $1::uuid AND id <> $2::uuid",
                               domain.partner_id, domain.id)[0][0]
                    .as<long>();
  if (others > 0)
    throw ConflictError("domain " + domain.hostname + " is the primary domain of partner " + domain.partner_slug,
                        "make another verified domain primary with `wfa domain set-primary` first");
}

}  // namespace

Result run_domain_set_primary(const DomainSetPrimaryOptions& options, Session& session) {
  pqxx::work tx(session.database().ready());
  // Partner first, then the domain: two switches for one partner run one after the other.
  auto found = find_domain(tx, options.hostname, false);
  require_partner(tx, actor_of(tx, session), found.partner_id, found.partner_slug, "partner:domains:update");
  auto partner_id = found.partner_id;
  tx.exec_params("SELECT 1 FROM partners WHERE id = $1::uuid FOR UPDATE", partner_id);
  auto domain = find_domain(tx, options.hostname, true);
  if (domain.partner_id != partner_id)
    throw ConflictError("domain " + domain.hostname + " moved to another partner meanwhile", "run the command again");
  Result r;
  if (domain.partner_deleted)
    throw ConflictError("partner " + domain.partner_slug + " of domain " + domain.hostname + " is deleted",
                        "restore the partner first with `wfa partner restore " + domain.partner_slug + "`");
  if (!domain.verified)
    throw ConflictError("domain " + domain.hostname + " is not verified and cannot be primary",
                        "verify it first with `wfa domain verify " + domain.hostname + "`");
  if (domain.is_primary) {
    r.fields = domain_fields(tx, domain.id);
    r.message = "domain " + domain.hostname + " is already the primary domain of partner " + domain.partner_slug +
                "; nothing changed";
    return r;
  }
  auto previous =
      tx.exec_params("SELECT id, hostname FROM partner_domains WHERE partner_id = $1::uuid AND is_primary FOR UPDATE",
                     domain.partner_id);
  auto before = row_json(tx, "partner_domains", domain.id);
  nlohmann::json metadata = nlohmann::json::object();
  if (!previous.empty()) {
    metadata["previous_primary"] = previous[0][1].as<std::string>();
    // Unset first: the partial unique index partner_domains_one_primary allows one primary at a time.
    tx.exec_params("UPDATE partner_domains SET is_primary = false WHERE id = $1::uuid",
                   previous[0][0].as<std::string>());
  }
  tx.exec_params("UPDATE partner_domains SET is_primary = true WHERE id = $1::uuid", domain.id);
  record_audit(tx, {session.actor(), "domain.set_primary", "partner_domain", domain.id, domain.partner_id, std::nullopt,
                    before, row_json(tx, "partner_domains", domain.id), metadata.dump()});
  r.fields = domain_fields(tx, domain.id);
  std::string was = previous.empty() ? "" : " (was " + previous[0][1].as<std::string>() + ")";
  if (options.dry_run) {
    tx.abort();
    r.message = "dry run: would make " + domain.hostname + " the primary domain of partner " + domain.partner_slug +
                was + "; nothing changed";
    return r;
  }
  tx.commit();
  r.message = "made " + domain.hostname + " the primary domain of partner " + domain.partner_slug + was;
  return r;
}

Result run_domain_remove(const DomainRemoveOptions& options, Session& session) {
  auto& conn = session.database().ready();
  {
    // Refuse before asking: a question whose answer cannot matter is noise.
    pqxx::read_transaction tx(conn);
    auto domain = find_domain(tx, options.hostname, false);
    require_partner(tx, actor_of(tx, session), domain.partner_id, domain.partner_slug, "partner:domains:delete");
    require_removable(tx, domain);
    if (!options.dry_run)
      session.confirm(options.yes, "remove domain " + domain.hostname + " of partner " + domain.partner_slug);
  }
  pqxx::work tx(conn);
  auto domain = find_domain(tx, options.hostname, true);
  require_partner(tx, actor_of(tx, session), domain.partner_id, domain.partner_slug, "partner:domains:delete");
  require_removable(tx, domain);
  Result r;
  r.fields = domain_fields(tx, domain.id);
  auto before = row_json(tx, "partner_domains", domain.id);
  tx.exec_params("DELETE FROM partner_domains WHERE id = $1::uuid", domain.id);
  record_audit(tx, {session.actor(), "domain.remove", "partner_domain", domain.id, domain.partner_id, std::nullopt,
                    before, "", ""});
  if (options.dry_run) {
    tx.abort();
    r.message =
        "dry run: would remove domain " + domain.hostname + " of partner " + domain.partner_slug + "; nothing changed";
    return r;
  }
  tx.commit();
  r.message = "removed domain " + domain.hostname + " of partner " + domain.partner_slug;
  return r;
}

}  // namespace wfa
