// `wfa partner create|list|show`.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/listing.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/partner/partner.hpp"
#include "commands/partner/partner_names.hpp"
#include "commands/partner/partner_rules.hpp"
#include "commands/partner/partner_write.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

Result run_partner_create(const PartnerCreateOptions& options, Session& session) {
  auto slug = check_slug("slug", options.slug);
  auto name = check_display_name(session.option("name"), options.name, "give the partner's display name");
  if (options.company_name)
    check_display_name(session.option("company-name"), *options.company_name, "give the company's name");
  nlohmann::json branding = {{"company_name", options.company_name.value_or(name)}};
  if (options.primary_color)
    branding["primary_color"] = check_color(session.option("primary-color"), *options.primary_color);
  auto platform = platform_domain(session);

  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "create partners");
  if (options.logo) branding["logo"] = store_logo(session.option("logo"), *options.logo, session);
  auto plan = check_plan(tx, session.option("plan"), options.plan);
  lock_names(tx);
  auto existing = tx.exec_params("SELECT id FROM partners WHERE slug = $1", slug);
  if (!existing.empty() && options.if_not_exists) {
    Result r;
    r.fields = partner_fields(tx, existing[0][0].as<std::string>());
    r.message = "partner " + slug + " already exists; unchanged";
    return r;
  }
  // The platform partner is the resolution fallback: it gets no subdomain and may use a reserved slug.
  if (existing.empty() && !options.platform) {
    auto check = check_subdomain_name(tx, "slug", slug, platform, {});
    if (check.reserved || !check.available) throw ConflictError(check.reason, "choose another slug");
  }
  const auto& actor = session.actor();
  auto id = insert_partner(tx, actor, {slug, name, plan, branding.dump(), options.platform}, "");
  if (!options.platform) insert_domain(tx, actor, id, slug + "." + platform, true, "");
  Result r;
  r.fields = partner_fields(tx, id);
  return commit_or_roll_back(
      tx, std::move(r), options.dry_run,
      "created partner " + slug + (options.platform ? " (platform partner)" : " at " + slug + "." + platform),
      "partner " + slug + " would be created");
}

Result run_partner_list(const PartnerListOptions& options, Session& session) {
  auto tx = list_transaction(session);
  if (options.plan) check_plan(*tx, session.option("plan"), *options.plan);
  ListQuery query("partner list", "partners");
  query
      .select(
          "p.id, p.slug, p.name, p.plan_tier, p.is_platform_partner, p.subscription_status,"
          " (SELECT d.hostname FROM partner_domains d WHERE d.partner_id = p.id AND d.is_primary) AS primary_domain,"
          " p.workspace_count, p.created_at, p.deleted_at")
      .from("partners p")
      .where("p.plan_tier = ?", options.plan)
      .order_by({{"p.slug", "text"}});
  only_visible_partners(*tx, session, query, "p.id");
  if (!options.include_deleted) query.where("p.deleted_at IS NULL");
  return list_rows(tx, query, options.paging, session);
}

Result run_partner_show(const PartnerShowOptions& options, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto partner = partner_for(tx, session, options.partner, "partner:partner:read", true);
  Result r;
  r.fields = partner_fields(tx, partner.id);
  if (partner.deleted) r.message = "partner " + partner.slug + " is deleted; restore it with `wfa partner restore`";
  return r;
}

}  // namespace wfa
