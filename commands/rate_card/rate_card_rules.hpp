#pragma once
/// Writing one rate card (create, or update the card with the same location, duration and start)
/// with the no-overlap rule checked under the location's row lock, and listing cards as a table.
#include <optional>
#include <string>

#include "core/listing.hpp"
#include "core/pqxx_fwd.hpp"
#include "commands/location/location_rules.hpp"

namespace wfa {

/// RateCardInput is a card as typed; amounts in major units of its currency. nullopt keeps the stored
/// value of an existing card; a new card defaults to upload fee 0, municipality fee 0 %, AED, open-ended.
struct RateCardInput {
  std::string location_key;
  int duration_weeks = 1;
  std::string valid_from;
  std::optional<std::string> valid_to, net_rate, upload_fee, municipality_fee_pct, currency;
};

/// set_rate_card checks and writes INPUT in the scope's workspace with an audit row (METADATA: JSON text
/// or ""); field names in messages are PREFIX + name ("--net-rate" or "net_rate"). Unknown location:
/// NotFoundError; bad values: InvalidInputError; a window overlapping another card: ConflictError.
UpsertOutcome set_rate_card(pqxx::dbtransaction& tx, const SalesScope& scope, const RateCardInput& input,
                            const std::string& prefix, const std::string& actor, const std::string& metadata);

/// rate_card_table lists the workspace's cards (of one location, in force on a date, when given), amounts
/// formatted in major units, then as machine columns (JSON only) the minor units, basis points and ids.
/// rate_card_query lists a workspace's rate cards (of one location, in force ON a date), amounts in major units.
ListQuery rate_card_query(const std::string& workspace_id, const std::optional<std::string>& location_id,
                          const std::optional<std::string>& on);
Table rate_card_table(pqxx::transaction_base& tx, const std::string& workspace_id,
                      const std::optional<std::string>& location_id, const std::optional<std::string>& on);

}  // namespace wfa
