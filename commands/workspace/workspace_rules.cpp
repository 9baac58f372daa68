#include "commands/workspace/workspace_rules.hpp"

#include <charconv>
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/dbtransaction>
#include <regex>

#include "core/session.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"

namespace wfa {

namespace {

const std::string limit_example = "write it as KEY=N, e.g. --limit max_users=20";

}  // namespace

std::map<std::string, std::int64_t> parse_limit_overrides(const std::vector<std::string>& specs,
                                                          const Session& session) {
  static const std::regex key_pattern("^[a-z][a-z0-9_]*$");
  std::map<std::string, std::int64_t> out;
  for (const auto& spec : specs) {
    auto eq = spec.find('=');
    if (eq == std::string::npos || !std::regex_match(spec.substr(0, eq), key_pattern))
      throw InvalidInputError(session.option("limit") + " '" + spec + "' is not KEY=N", limit_example);
    auto key = spec.substr(0, eq);
    auto value = spec.substr(eq + 1);
    std::int64_t n = -1;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() || n < 0)
      throw InvalidInputError(session.option("limit") + " " + key + " '" + value + "' is not a whole number >= 0",
                              limit_example);
    if (!out.emplace(key, n).second)
      throw InvalidInputError(session.option("limit") + " " + key + " is given twice", "give each key once");
  }
  return out;
}

LockedPartner lock_partner(pqxx::transaction_base& tx, const std::string& partner_id) {
  auto rows = tx.exec_params(
      "SELECT id, slug, deleted_at IS NOT NULL, resource_limits FROM partners WHERE id = $1::uuid FOR UPDATE",
      partner_id);
  if (rows.empty())
    throw NotFoundError("partner " + partner_id + " not found", "list partners with `wfa partner list`");
  return {rows[0][0].as<std::string>(), rows[0][1].as<std::string>(), rows[0][2].as<bool>(),
          rows[0][3].as<std::string>()};
}

void check_limit_overrides(pqxx::transaction_base& tx, const LockedPartner& partner,
                           const std::map<std::string, std::int64_t>& overrides, const Session& session) {
  if (overrides.empty()) return;
  // The known limits are data: every key of a plan tier or of the partner's own limits.
  auto known = tx.exec_params(
      "SELECT k FROM (SELECT jsonb_object_keys(resource_limits) AS k FROM subscription_plans"
      " UNION SELECT jsonb_object_keys($1::jsonb)) keys WHERE k <> 'max_workspaces' ORDER BY k",
      partner.resource_limits);
  std::string names;
  for (const auto& row : known) names += (names.empty() ? "" : ", ") + row[0].as<std::string>();
  auto partner_limits = nlohmann::json::parse(partner.resource_limits, nullptr, false);
  for (const auto& [key, value] : overrides) {
    if (key == "max_workspaces")
      throw InvalidInputError(
          session.option("limit") + " max_workspaces is a partner-wide limit, not a workspace limit",
          "change it with `wfa partner update " + partner.slug + " --limit max_workspaces=N`");
    bool found = false;
    for (const auto& row : known) found = found || row[0].as<std::string>() == key;
    if (!found) throw InvalidInputError("limit " + key + " is not a known resource limit", "known limits: " + names);
    if (partner_limits.is_object() && partner_limits.contains(key) && partner_limits[key].is_number_integer() &&
        value > partner_limits[key].get<std::int64_t>())
      throw ConflictError("limit " + key + "=" + std::to_string(value) + " is above partner " + partner.slug +
                              "'s own " + key + " of " + std::to_string(partner_limits[key].get<std::int64_t>()),
                          "give at most that, or raise the partner's limit first (wfa partner update " + partner.slug +
                              " --limit " + key + "=N)");
  }
}

void require_workspace_room(pqxx::transaction_base& tx, const LockedPartner& partner, const std::string& action) {
  auto limits = nlohmann::json::parse(partner.resource_limits, nullptr, false);
  if (!limits.is_object() || !limits.contains("max_workspaces") || limits["max_workspaces"].is_null()) return;
  const auto& max = limits["max_workspaces"];
  if (!max.is_number_integer())
    throw InvalidInputError("partner " + partner.slug + " has a max_workspaces limit that is not a whole number",
                            "fix it with `wfa partner update " + partner.slug + " --limit max_workspaces=N`");
  auto limit = max.get<std::int64_t>();
  auto live =
      tx.exec_params("SELECT workspace_count FROM partners WHERE id = $1::uuid", partner.id)[0][0].as<std::int64_t>();
  if (live >= limit)
    throw ConflictError("cannot " + action + " workspace: partner " + partner.slug +
                            " has reached its max_workspaces limit (" + std::to_string(live) + " of " +
                            std::to_string(limit) + " workspaces)",
                        "delete a workspace, or raise the limit with `wfa partner update " + partner.slug +
                            " --limit max_workspaces=N`");
}

std::vector<std::pair<std::string, Cell>> workspace_fields(pqxx::transaction_base& tx, const std::string& id) {
  return to_fields(tx.exec_params(
      std::string("SELECT w.id, p.slug AS partner, w.partner_id, w.slug, w.name, w.status, w.resource_limits, ") +
          effective_limits_sql +
          " AS effective_limits, w.settings, w.member_count, w.current_month_minutes, w.current_month_cost, "
          "w.per_minute_rate_cents,"
          " w.is_billing_exempt, w.last_usage_reset_at, w.created_at, w.updated_at, w.deleted_at"
          " FROM workspaces w JOIN partners p ON p.id = w.partner_id WHERE w.id = $1::uuid",
      id));
}

}  // namespace wfa
