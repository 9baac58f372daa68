// `wfa rate-card set|list`.
#include "commands/rate_card/rate_card.hpp"

#include <pqxx/transaction>

#include "core/listing.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/rate_card/rate_card_rules.hpp"

namespace wfa {

Result run_rate_card_set(const RateCardSetOptions& o, Session& session) {
  RateCardInput input{o.location, o.duration_weeks, o.valid_from,           o.valid_to,
                      o.net_rate, o.upload_fee,     o.municipality_fee_pct, o.currency};
  pqxx::work tx(session.database().ready());
  auto scope = find_scope(tx, session, o.workspace, "workspace:rate_cards:update");
  auto outcome = set_rate_card(tx, scope, input, "--", session.actor(), "");
  Result r;
  auto table = rate_card_table(tx, scope.workspace.id, find_location(tx, scope, o.location).id, std::nullopt);
  for (const auto& row : table.rows) {
    if (row.back().as_string() != outcome.id) continue;
    for (std::size_t i = 0; i < table.columns.size(); ++i) r.fields.emplace_back(table.columns[i], row[i]);
  }
  r.fields.emplace_back("outcome", Cell(outcome_name(outcome.what)));
  auto what = "rate card of " + o.location + " for " + std::to_string(o.duration_weeks) +
              (o.duration_weeks == 1 ? " week" : " weeks") + " from " + o.valid_from;
  if (outcome.what == Upserted::unchanged) {
    tx.abort();
    r.message = what + " already has these values; nothing changed";
    return r;
  }
  bool created = outcome.what == Upserted::created;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, (created ? "created " : "updated ") + what,
                             (created ? "would create " : "would update ") + what);
}

Result run_rate_card_list(const RateCardListOptions& o, Session& session) {
  std::optional<std::string> on;
  if (o.on) on = check_date(session.option("on"), *o.on);
  auto tx = list_transaction(session);
  auto scope = find_scope(*tx, session, o.workspace, "workspace:rate_cards:read");
  std::optional<std::string> location_id;
  if (o.location) location_id = find_location(*tx, scope, *o.location).id;
  return list_rows(tx, rate_card_query(scope.workspace.id, location_id, on), o.paging, session);
}

}  // namespace wfa
