// `wfa partner update|delete|restore`.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/partner/partner.hpp"
#include "commands/partner/partner_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/validation.hpp"
#include "pipelines/money.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

using nlohmann::json;

/// set_branding sets KEY to VALUE checked by CHECK, or removes it when VALUE is empty.
template <class Check>
void set_branding(json& branding, const char* key, const std::optional<std::string>& value, Check check) {
  if (!value) return;
  if (value->empty())
    branding.erase(key);
  else
    branding[key] = check(*value);
}

}  // namespace

Result run_partner_update(const PartnerUpdateOptions& o, Session& session) {
  if (!o.name && !o.plan && !o.primary_color && !o.secondary_color && !o.logo && !o.company_name && o.limits.empty() &&
      o.features.empty() && !o.invoice_tax_rate)
    throw UsageError("nothing to update for partner " + o.partner,
                     "give --name, --plan, a branding option, --invoice-tax-rate, --limit or --feature");
  if (o.name) check_display_name(session.option("name"), *o.name, "give the partner's display name");
  std::optional<std::int32_t> tax_bp;
  if (o.invoice_tax_rate) tax_bp = parse_percent_bp(*o.invoice_tax_rate, session.option("invoice-tax-rate"));
  if (o.company_name && !o.company_name->empty())  // empty clears it
    check_display_name(session.option("company-name"), *o.company_name, "give the company's name");
  pqxx::work tx(session.database().ready());
  auto partner = find_partner(tx, o.partner);
  auto actor = actor_of(tx, session);
  // The plan, its limits and features are the platform's to sell; name, branding and invoice tax are the partner's.
  if (o.plan || !o.limits.empty() || !o.features.empty()) {
    require_super_admin(actor, "change a partner's plan, limits or features");
  } else {
    if (o.name || o.primary_color || o.secondary_color || o.logo || o.company_name)
      require_partner(tx, actor, partner.id, partner.slug, "partner:branding:update");
    if (tax_bp) require_partner(tx, actor, partner.id, partner.slug, "partner:billing:update");
  }
  auto row = tx.exec_params(
      "SELECT name, plan_tier, branding, features, resource_limits, invoice_tax_bp FROM partners WHERE id = $1::uuid "
      "FOR"
      " UPDATE",
      partner.id)[0];
  auto name = o.name.value_or(row[0].as<std::string>());
  auto plan = o.plan ? check_plan(tx, session.option("plan"), *o.plan) : row[1].as<std::string>();
  auto branding = json::parse(row[2].as<std::string>());
  auto features = json::parse(row[3].as<std::string>());
  auto limits = json::parse(row[4].as<std::string>());
  auto tax = tax_bp.value_or(row[5].as<std::int32_t>());
  set_branding(branding, "primary_color", o.primary_color,
               [&session](const std::string& v) { return check_color(session.option("primary-color"), v); });
  set_branding(branding, "secondary_color", o.secondary_color,
               [&session](const std::string& v) { return check_color(session.option("secondary-color"), v); });
  set_branding(branding, "logo", o.logo,
               [&session](const std::string& v) { return store_logo(session.option("logo"), v, session); });
  set_branding(branding, "company_name", o.company_name, [](const std::string& v) { return v; });
  if (plan != row[1].as<std::string>()) {
    // A new plan brings its own defaults; explicit --limit/--feature below still win.
    auto defaults = tx.exec_params("SELECT features, resource_limits FROM subscription_plans WHERE tier = $1", plan)[0];
    features = json::parse(defaults[0].as<std::string>());
    limits = json::parse(defaults[1].as<std::string>());
  }
  features = json::parse(apply_plan_settings(tx, "features", o.features, features.dump(), session.option("feature")));
  limits = json::parse(apply_plan_settings(tx, "resource_limits", o.limits, limits.dump(), session.option("limit")));
  Result r;
  if (name == row[0].as<std::string>() && plan == row[1].as<std::string>() &&
      branding == json::parse(row[2].as<std::string>()) && features == json::parse(row[3].as<std::string>()) &&
      limits == json::parse(row[4].as<std::string>()) && tax == row[5].as<std::int32_t>()) {
    r.fields = partner_fields(tx, partner.id);
    r.message = "partner " + partner.slug + " already has these values; nothing changed";
    return r;
  }
  auto old_values = row_json(tx, "partners", partner.id);
  tx.exec_params(
      "UPDATE partners SET name = $2, plan_tier = $3, branding = $4::jsonb, features = $5::jsonb, resource_limits = "
      "$6::jsonb, invoice_tax_bp = $7 WHERE id = $1::uuid",
      partner.id, name, plan, branding.dump(), features.dump(), limits.dump(), tax);
  record_audit(tx, {session.actor(), "partner.update", "partner", partner.id, partner.id, std::nullopt, old_values,
                    row_json(tx, "partners", partner.id), ""});
  r.fields = partner_fields(tx, partner.id);
  // A downgrade says what it turns off: features that were on and are not any more.
  std::string disabled;
  auto old_features = json::parse(row[3].as<std::string>());
  for (const auto& [feature, was] : old_features.items())
    if (was == true && features.value(feature, json(false)) != true)
      disabled += (disabled.empty() ? "" : ", ") + feature;
  std::string note = disabled.empty() ? "" : "; this disables " + disabled;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "updated partner " + partner.slug + note,
                             "partner " + partner.slug + " would be updated" + note);
}

Result run_partner_delete(const PartnerDeleteOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto partner = partner_for(tx, session, o.partner, "partner:partner:delete", true);
  Result r;
  if (!tx.exec_params("SELECT 1 FROM partners WHERE id = $1::uuid AND is_platform_partner", partner.id).empty())
    throw ConflictError("partner " + partner.slug + " is the platform partner and cannot be deleted",
                        "it is the fallback of `wfa partner resolve`");
  if (partner.deleted) {
    r.fields = partner_fields(tx, partner.id);
    r.message = "partner " + partner.slug + " is already deleted; nothing to do";
    return r;
  }
  if (!o.dry_run) session.confirm(o.yes, "delete partner " + partner.slug + " (its domains stop resolving)");
  auto old_values = row_json(tx, "partners", partner.id);
  tx.exec_params("UPDATE partners SET deleted_at = now() WHERE id = $1::uuid", partner.id);
  record_audit(tx, {session.actor(), "partner.delete", "partner", partner.id, partner.id, std::nullopt, old_values,
                    row_json(tx, "partners", partner.id), ""});
  r.fields = partner_fields(tx, partner.id);
  return commit_or_roll_back(
      tx, std::move(r), o.dry_run,
      "deleted partner " + partner.slug + "; `wfa partner restore " + partner.slug + "` undoes it",
      "partner " + partner.slug + " would be deleted");
}

Result run_partner_restore(const PartnerRestoreOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto partner = find_partner(tx, o.partner, true);
  require_super_admin(actor_of(tx, session), "restore partners");
  Result r;
  if (!partner.deleted) {
    r.fields = partner_fields(tx, partner.id);
    r.message = "partner " + partner.slug + " is not deleted; nothing to do";
    return r;
  }
  auto old_values = row_json(tx, "partners", partner.id);
  tx.exec_params("UPDATE partners SET deleted_at = NULL WHERE id = $1::uuid", partner.id);
  record_audit(tx, {session.actor(), "partner.restore", "partner", partner.id, partner.id, std::nullopt, old_values,
                    row_json(tx, "partners", partner.id), ""});
  r.fields = partner_fields(tx, partner.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "restored partner " + partner.slug,
                             "partner " + partner.slug + " would be restored");
}

}  // namespace wfa
