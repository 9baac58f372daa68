// `wfa plan create|update|retire`: the platform's catalogue, super admins only, each change audited.
#include <regex>

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/partner/partner_rules.hpp"
#include "commands/plan/plan.hpp"
#include "commands/plan/plan_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"
#include "pipelines/money.hpp"

namespace wfa {

namespace {

std::string snapshot(pqxx::transaction_base& tx, const std::string& tier) {
  auto rows = tx.exec_params("SELECT to_jsonb(s) FROM subscription_plans s WHERE tier = $1", tier);
  return rows.empty() ? std::string() : rows[0][0].as<std::string>();
}

void check_tier(const std::string& tier) {
  static const std::regex pattern("^[a-z][a-z0-9_]{0,62}$");
  if (!std::regex_match(tier, pattern))
    throw InvalidInputError("plan '" + tier + "' is not a plan name: lower-case letters, digits and _, from a letter",
                            "write it like professional or team_2026");
}

/// PlanDraft is a plan's terms as a change builds them.
struct PlanDraft {
  std::string name, currency, period, features = "{}", limits = "{}";
  std::int64_t price = 0, included = 0, overage = 0;
  std::optional<std::string> stripe_price;
};

/// apply_options sets in ROW what O gives, checked; amounts are read in the (new) currency's minor units.
void apply_options(pqxx::transaction_base& tx, Session& session, const PlanWriteOptions& o, PlanDraft& row) {
  if (o.name) row.name = check_display_name(session.option("name"), *o.name, "give the plan's display name");
  if (o.period) {
    check_choice("period", *o.period, plan_periods, "a billing period");
    row.period = *o.period;
  }
  if (o.currency) {
    auto rows = tx.exec_params("SELECT code FROM currencies WHERE code = $1", *o.currency);
    if (rows.empty())
      throw InvalidInputError(session.option("currency") + " '" + *o.currency + "' is not a known currency",
                              "`wfa currency list` shows the codes");
    row.currency = *o.currency;
  }
  auto exponent = tx.exec_params("SELECT exponent FROM currencies WHERE code = $1", row.currency)[0][0].as<int>();
  if (o.price) row.price = parse_amount(*o.price, exponent, session.option("price"));
  if (o.overage_rate) row.overage = parse_amount(*o.overage_rate, exponent, session.option("overage-rate"));
  if (o.included_minutes) {
    if (*o.included_minutes < 0)
      throw InvalidInputError(
          session.option("included-minutes") + " " + std::to_string(*o.included_minutes) + " is negative",
          "give the minutes a period includes, 0 or more");
    row.included = *o.included_minutes;
  }
  if (o.stripe_price) {
    static const std::regex pattern("^[A-Za-z0-9_]{1,255}$");
    if (!o.stripe_price->empty() && !std::regex_match(*o.stripe_price, pattern))
      throw InvalidInputError(session.option("stripe-price") + " '" + *o.stripe_price + "' is not a Stripe price id",
                              "copy it from Stripe: price_... (an empty value clears it)");
    row.stripe_price = o.stripe_price->empty() ? std::nullopt : o.stripe_price;
    if (row.stripe_price) {
      auto taken = tx.exec_params("SELECT tier FROM subscription_plans WHERE stripe_price_id = $1 AND tier <> $2",
                                  *row.stripe_price, o.tier);
      if (!taken.empty())
        throw ConflictError("Stripe price " + *row.stripe_price + " belongs to plan " + taken[0][0].as<std::string>(),
                            "each plan has its own Stripe price");
    }
  }
  row.features = apply_plan_settings(tx, "features", o.features, row.features, session.option("feature"), true);
  row.limits = apply_plan_settings(tx, "resource_limits", o.limits, row.limits, session.option("limit"), true);
}

void write_row(pqxx::dbtransaction& tx, const std::string& tier, const PlanDraft& row) {
  tx.exec_params(
      "INSERT INTO subscription_plans (tier, display_name, price_minor, currency, period, included_minutes,"
      " overage_minor_per_minute, features, resource_limits, stripe_price_id) VALUES ($1, $2, $3, $4, $5, $6, $7,"
      " $8::jsonb, $9::jsonb, $10) ON CONFLICT (tier) DO UPDATE SET display_name = EXCLUDED.display_name, price_minor ="
      " EXCLUDED.price_minor, currency = EXCLUDED.currency, period = EXCLUDED.period, included_minutes ="
      " EXCLUDED.included_minutes, overage_minor_per_minute = EXCLUDED.overage_minor_per_minute, features ="
      " EXCLUDED.features, resource_limits = EXCLUDED.resource_limits, stripe_price_id = EXCLUDED.stripe_price_id",
      tier, row.name, row.price, row.currency, row.period, row.included, row.overage, row.features, row.limits,
      row.stripe_price);
}

Result audited(pqxx::dbtransaction& tx, Session& session, const std::string& action, const std::string& tier,
               const std::string& before) {
  record_audit(tx, {session.actor(), action, "plan", tier, std::nullopt, std::nullopt, before, snapshot(tx, tier), ""});
  Result r;
  r.fields = plan_fields(tx, tier);
  return r;
}

}  // namespace

Result run_plan_create(const PlanWriteOptions& o, Session& session) {
  check_tier(o.tier);
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "change the plan catalogue");
  if (!snapshot(tx, o.tier).empty()) {
    if (!o.if_not_exists)
      throw ConflictError("plan " + o.tier + " already exists", "change it with `wfa plan update " + o.tier + "`");
    Result r;
    r.fields = plan_fields(tx, o.tier);
    r.message = "plan " + o.tier + " already exists; nothing changed";
    return r;
  }
  if (!o.name) throw UsageError("plan " + o.tier + " needs a display name", "give " + session.option("name") + " NAME");
  PlanDraft row{"", "USD", "month"};
  apply_options(tx, session, o, row);
  write_row(tx, o.tier, row);
  auto r = audited(tx, session, "plan.create", o.tier, "");
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "created plan " + o.tier,
                             "plan " + o.tier + " would be created");
}

Result run_plan_update(const PlanWriteOptions& o, Session& session) {
  if (!o.name && !o.price && !o.currency && !o.period && !o.included_minutes && !o.overage_rate && !o.stripe_price &&
      o.features.empty() && o.limits.empty())
    throw UsageError("nothing to update for plan " + o.tier,
                     "give an option to change, e.g. " + session.option("price") + " 99.00");
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "change the plan catalogue");
  auto rows = tx.exec_params(
      "SELECT display_name, currency, period, features::text, resource_limits::text, price_minor, included_minutes,"
      " overage_minor_per_minute, stripe_price_id FROM subscription_plans WHERE tier = $1 FOR UPDATE",
      o.tier);
  if (rows.empty()) throw NotFoundError("no plan " + o.tier, "`wfa plan list --retired` shows every plan");
  const auto& f = rows[0];
  PlanDraft row{f[0].as<std::string>(),
                f[1].as<std::string>(),
                f[2].as<std::string>(),
                f[3].as<std::string>(),
                f[4].as<std::string>(),
                f[5].as<std::int64_t>(),
                f[6].as<std::int64_t>(),
                f[7].as<std::int64_t>(),
                f[8].is_null() ? std::nullopt : std::optional<std::string>(f[8].as<std::string>())};
  if (o.currency && !o.price && row.price > 0)
    throw UsageError("a new currency needs its price", "give " + session.option("price") + " in " + *o.currency);
  auto before = snapshot(tx, o.tier);
  apply_options(tx, session, o, row);
  write_row(tx, o.tier, row);
  if (!row_changed(tx, before, snapshot(tx, o.tier))) {
    Result r;
    r.fields = plan_fields(tx, o.tier);
    r.message = "plan " + o.tier + " already has these values; nothing changed";
    return r;
  }
  auto r = audited(tx, session, "plan.update", o.tier, before);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "updated plan " + o.tier,
                             "plan " + o.tier + " would be updated");
}

Result run_plan_retire(const PlanRetireOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "change the plan catalogue");
  auto before = snapshot(tx, o.tier);
  if (before.empty()) throw NotFoundError("no plan " + o.tier, "`wfa plan list --retired` shows every plan");
  auto changed =
      tx.exec_params("UPDATE subscription_plans SET retired_at = now() WHERE tier = $1 AND retired_at IS NULL", o.tier);
  if (changed.affected_rows() == 0) {
    Result r;
    r.fields = plan_fields(tx, o.tier);
    r.message = "plan " + o.tier + " is already retired; nothing to do";
    return r;
  }
  auto r = audited(tx, session, "plan.retire", o.tier, before);
  return commit_or_roll_back(tx, std::move(r), o.dry_run,
                             "retired plan " + o.tier + "; its subscriptions keep it, new ones cannot choose it",
                             "plan " + o.tier + " would be retired");
}

}  // namespace wfa
