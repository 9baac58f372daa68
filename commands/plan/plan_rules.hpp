#pragma once
/// What the plan verbs share: a plan's columns as list and show print them, and finding one by tier.
#include <string>
#include <utility>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "core/result.hpp"
#include "core/validation.hpp"

namespace wfa {

/// A plan is priced per month or per year.
inline const Choices plan_periods = {"month", "year"};

/// plan_columns is the SELECT list of a plan (table alias s, its currency c): amounts in major units, then the raw
/// minor units for programs.
std::string plan_columns();

/// plan_fields is plan TIER's columns, features, limits and how many subscriptions it has; NotFoundError (3) when
/// there is no such plan.
std::vector<std::pair<std::string, Cell>> plan_fields(pqxx::transaction_base& tx, const std::string& tier);

}  // namespace wfa
