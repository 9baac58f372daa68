// The plan verbs' shared columns and lookup.
#include "commands/plan/plan_rules.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/rows.hpp"

namespace wfa {

std::string plan_columns() {
  return "s.tier, s.display_name, round(s.price_minor::numeric / power(10::numeric, c.exponent), c.exponent)::text AS"
         " price, s.currency, s.period, s.included_minutes, round(s.overage_minor_per_minute::numeric /"
         " power(10::numeric, c.exponent), c.exponent)::text AS overage_per_minute, s.stripe_price_id, " +
         utc_sql("s.retired_at") + " AS retired_at, s.price_minor, s.overage_minor_per_minute";
}

std::vector<std::pair<std::string, Cell>> plan_fields(pqxx::transaction_base& tx, const std::string& tier) {
  auto rows =
      tx.exec_params("SELECT " + plan_columns() + ", s.features, s.resource_limits, (SELECT count(*) FROM" +
                         " subscriptions b WHERE b.plan = s.tier AND b.status <> 'canceled') AS subscriptions, " +
                         utc_sql("s.created_at") + " AS created_at, " + utc_sql("s.updated_at") +
                         " AS updated_at FROM subscription_plans s JOIN currencies c ON c.code = s.currency"
                         " WHERE s.tier = $1",
                     tier);
  if (rows.empty()) throw NotFoundError("no plan " + tier, "`wfa plan list` shows the plans");
  return to_fields(rows);
}

}  // namespace wfa
