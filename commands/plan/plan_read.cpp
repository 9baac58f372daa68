// `wfa plan list|show`: the catalogue, readable by every actor.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/plan/plan.hpp"
#include "commands/plan/plan_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

Result run_plan_list(const PlanListOptions& o, Session& session) {
  auto tx = list_transaction(session);
  actor_of(*tx, session);
  ListQuery query("plan list", "plans");
  query.select(plan_columns())
      .from("subscription_plans s JOIN currencies c ON c.code = s.currency")
      .machine_columns(2)
      .order_by({{"s.tier", "text", false}})
      .when_empty(o.retired ? "no plans" : "no plans on offer");
  if (!o.retired) query.where("s.retired_at IS NULL");
  return list_rows(tx, query, o.paging, session);
}

Result run_plan_show(const PlanShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  actor_of(tx, session);
  Result r;
  r.fields = plan_fields(tx, o.tier);
  return r;
}

}  // namespace wfa
