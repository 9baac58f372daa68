#pragma once
/// `wfa plan`: the catalogue of subscription plans (subscription_plans): price per period in minor units, included
/// minutes, the per-minute overage rate, features and resource limits, and the Stripe price. Retiring a plan keeps
/// its subscriptions and takes no new ones.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"
#include "core/result.hpp"

namespace wfa {

class Session;

struct PlanListOptions {
  bool retired = false;  ///< list retired plans too
  Paging paging;
};

struct PlanShowOptions {
  std::string tier;
};

/// PlanWriteOptions are create's and update's: what is unset is left as it is (create: the defaults).
struct PlanWriteOptions {
  std::string tier;
  std::optional<std::string> name;
  std::optional<std::string> price;     ///< major units, e.g. 99.00
  std::optional<std::string> currency;  ///< a code `wfa currency list` shows
  std::optional<std::string> period;    ///< month | year
  std::optional<std::int64_t> included_minutes;
  std::optional<std::string> overage_rate;  ///< per minute, major units
  std::optional<std::string> stripe_price;  ///< Stripe's price id; empty clears it
  std::vector<std::string> features;        ///< KEY=true|false
  std::vector<std::string> limits;          ///< KEY=N
  bool if_not_exists = false;
  bool dry_run = false;
};

struct PlanRetireOptions {
  std::string tier;
  bool dry_run = false;
};

Result run_plan_list(const PlanListOptions& options, Session& session);
Result run_plan_show(const PlanShowOptions& options, Session& session);
/// run_plan_create adds a plan (super admins); an existing tier is ConflictError unless if_not_exists.
Result run_plan_create(const PlanWriteOptions& options, Session& session);
/// run_plan_update changes a plan's terms (super admins); subscriptions on it follow the catalogue.
Result run_plan_update(const PlanWriteOptions& options, Session& session);
/// run_plan_retire stops new subscriptions to a plan (super admins); existing ones keep it.
Result run_plan_retire(const PlanRetireOptions& options, Session& session);

}  // namespace wfa
