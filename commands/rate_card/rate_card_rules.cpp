// One rate card's checks and write, and the card listing shared by `rate-card list` and `location show`.
#include "commands/rate_card/rate_card_rules.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/listing.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "pipelines/money.hpp"

namespace wfa {

namespace {

/// field_name spells a field as a flag (--net-rate) when PREFIX is "--", else as a CSV column (net_rate).
std::string field_name(const std::string& prefix, std::string column) {
  if (prefix.empty()) return column;
  for (auto& c : column) c = c == '_' ? '-' : c;
  return prefix + column;
}

struct StoredCard {
  std::string id;
  std::string currency;
  std::optional<std::string> valid_to;
};

std::optional<StoredCard> stored_card(pqxx::dbtransaction& tx, const LocationRef& location, int weeks,
                                      const std::string& from) {
  auto rows = tx.exec_params(
      "SELECT id, currency, valid_to::text FROM rate_cards WHERE location_id = $1::uuid"
      " AND duration_weeks = $2 AND valid_from = $3::date",
      location.id, weeks, from);
  if (rows.empty()) return std::nullopt;
  return StoredCard{rows[0][0].as<std::string>(), rows[0][1].as<std::string>(),
                    rows[0][2].is_null() ? std::nullopt : std::optional<std::string>(rows[0][2].as<std::string>())};
}

std::string window_text(const std::string& from, const std::optional<std::string>& to) {
  return from + " to " + (to ? *to : "open end");
}

/// check_overlap refuses a window [FROM, TO] that meets another card of the location and duration.
void check_overlap(pqxx::dbtransaction& tx, const SalesScope& scope, const LocationRef& location, int weeks,
                   const std::string& from, const std::optional<std::string>& to) {
  auto rows = tx.exec_params(
      "SELECT valid_from::text, valid_to::text, valid_from < $3::date, ($3::date - 1)::text, (valid_from - 1)::text"
      " FROM rate_cards WHERE location_id = $1::uuid AND duration_weeks = $2 AND valid_from <> $3::date"
      " AND daterange(valid_from, valid_to, '[]') && daterange($3::date, $4::date, '[]') ORDER BY valid_from LIMIT 1",
      location.id, weeks, from, to);
  if (rows.empty()) return;
  auto other_from = rows[0][0].as<std::string>();
  std::optional<std::string> other_to;
  if (!rows[0][1].is_null()) other_to = rows[0][1].as<std::string>();
  auto card = "rate card of " + location.key + " for " + std::to_string(weeks) + (weeks == 1 ? " week" : " weeks");
  std::string hint = rows[0][2].as<bool>()
                         ? "end that card first: `wfa rate-card set " + location.key + " --workspace " +
                               scope.reference + " --duration-weeks " + std::to_string(weeks) + " --valid-from " +
                               other_from + " --valid-to " + rows[0][3].as<std::string>() +
                               "`, or start this one after it ends"
                         : "end this card before the other starts: give --valid-to " + rows[0][4].as<std::string>() +
                               " (valid_to in a CSV)";
  throw ConflictError(
      card + " valid " + window_text(from, to) + " overlaps the card valid " + window_text(other_from, other_to), hint);
}

}  // namespace

UpsertOutcome set_rate_card(pqxx::dbtransaction& tx, const SalesScope& scope, const RateCardInput& in,
                            const std::string& prefix, const std::string& actor, const std::string& metadata) {
  if (in.duration_weeks < 1 || in.duration_weeks > 520)
    throw InvalidInputError(
        field_name(prefix, "duration_weeks") + " " + std::to_string(in.duration_weeks) + " is out of range",
        "give a whole number of weeks from 1 to 520");
  auto from = check_date(field_name(prefix, "valid_from"), in.valid_from);
  if (in.valid_to) check_date(field_name(prefix, "valid_to"), *in.valid_to);
  auto location = find_location(tx, scope, in.location_key, true);
  auto stored = stored_card(tx, location, in.duration_weeks, from);
  auto currency = find_currency(tx,
                                in.currency ? *in.currency
                                : stored    ? stored->currency
                                            : "AED",
                                field_name(prefix, "currency"));
  if (stored && currency.code != stored->currency && (!in.net_rate || !in.upload_fee))
    throw InvalidInputError(
        "the card of " + location.key + " from " + from + " is in " + stored->currency + "; changing it to " +
            currency.code + " needs its amounts",
        "give " + field_name(prefix, "net_rate") + " and " + field_name(prefix, "upload_fee") + " in " + currency.code);
  if (!stored && !in.net_rate)
    throw InvalidInputError(
        "new rate card of " + location.key + " from " + from + " has no " + field_name(prefix, "net_rate"),
        "give the net rate in major units, e.g. 15000");
  std::optional<std::int64_t> net, upload;
  std::optional<std::int32_t> fee_bp;
  if (in.net_rate) net = parse_amount(*in.net_rate, currency.exponent, field_name(prefix, "net_rate"));
  if (in.upload_fee) upload = parse_amount(*in.upload_fee, currency.exponent, field_name(prefix, "upload_fee"));
  if (in.municipality_fee_pct)
    fee_bp = parse_percent_bp(*in.municipality_fee_pct, field_name(prefix, "municipality_fee_pct"));
  auto to = in.valid_to ? in.valid_to : stored ? stored->valid_to : std::nullopt;
  if (to && *to < from)
    throw InvalidInputError(
        field_name(prefix, "valid_to") + " " + *to + " is before " + field_name(prefix, "valid_from") + " " + from,
        "a card is valid from its first to its last day, inclusive");
  check_overlap(tx, scope, location, in.duration_weeks, from, to);

  AuditEntry audit{actor, "rate_card.create", "rate_card", "", {}, {}, "", "", metadata};
  set_audit_scope(audit, scope);
  std::optional<std::string> existing_id;
  if (stored) existing_id = stored->id;
  auto insert = [&] {
    return tx
        .exec_params(
            "INSERT INTO rate_cards (workspace_id, location_id, duration_weeks, net_rate, upload_fee,"
            " municipality_fee_bp, currency, valid_from, valid_to)"
            " SELECT workspace_id, id, $2, $3, COALESCE($4::bigint, 0), COALESCE($5::integer, 0), $6, $7::date,"
            " $8::date FROM locations WHERE id = $1::uuid RETURNING id",
            location.id, in.duration_weeks, net, upload, fee_bp, currency.code, from, to)[0][0]
        .as<std::string>();
  };
  auto update = [&](const std::string& id) {
    return !tx.exec_params(
                  "UPDATE rate_cards SET net_rate = COALESCE($2::bigint, net_rate), upload_fee = COALESCE($3::bigint, "
                  "upload_fee),"
                  " municipality_fee_bp = COALESCE($4::integer, municipality_fee_bp), currency = $5, valid_to = "
                  "$6::date"
                  " WHERE id = $1::uuid AND (net_rate, upload_fee, municipality_fee_bp, currency, valid_to) IS "
                  "DISTINCT FROM"
                  " (COALESCE($2::bigint, net_rate), COALESCE($3::bigint, upload_fee), COALESCE($4::integer, "
                  "municipality_fee_bp),"
                  " $5, $6::date) RETURNING id",
                  id, net, upload, fee_bp, currency.code, to)
                .empty();
  };
  return audited_upsert(tx, audit, "rate_card.update", "rate_cards", existing_id, insert, update);
}

ListQuery rate_card_query(const std::string& workspace_id, const std::optional<std::string>& location_id,
                          const std::optional<std::string>& on) {
  ListQuery query("rate-card list", "rate_cards");
  query
      .select(
          "l.location_key, r.duration_weeks, r.currency, r.net_rate, r.upload_fee, r.municipality_fee_bp,"
          " r.valid_from::text, r.valid_to::text, c.exponent, r.id")
      .from("rate_cards r JOIN locations l ON l.id = r.location_id JOIN currencies c ON c.code = r.currency")
      .where("l.workspace_id = ?::uuid", workspace_id)
      .where("l.id = ?::uuid", location_id)
      .where("r.valid_from <= ?::date AND (r.valid_to IS NULL OR r.valid_to >= ?::date)", on)
      .order_by(
          {{"l.location_key", "text"}, {"r.duration_weeks", "integer"}, {"r.valid_from", "date"}, {"r.id", "uuid"}})
      .machine_columns(4)
      .shape({"location_key", "duration_weeks", "currency", "net_rate", "upload_fee", "municipality_fee_pct",
              "valid_from", "valid_to", "net_rate_minor", "upload_fee_minor", "municipality_fee_bp", "id"},
             [](const pqxx::row& row) {
               auto exponent = row[8].as<int>();
               return Row{Cell(row[0].as<std::string>()),
                          Cell(row[1].as<std::int64_t>()),
                          Cell(row[2].as<std::string>()),
                          Cell(format_amount(row[3].as<std::int64_t>(), exponent)),
                          Cell(format_amount(row[4].as<std::int64_t>(), exponent)),
                          Cell(format_amount(row[5].as<std::int64_t>(), 2)),
                          Cell(row[6].as<std::string>()),
                          row[7].is_null() ? Cell::null() : Cell(row[7].as<std::string>()),
                          Cell(row[3].as<std::int64_t>()),
                          Cell(row[4].as<std::int64_t>()),
                          Cell(row[5].as<std::int64_t>()),
                          Cell(row[9].as<std::string>())};
             })
      .when_empty("no rate cards");
  return query;
}

Table rate_card_table(pqxx::transaction_base& tx, const std::string& workspace_id,
                      const std::optional<std::string>& location_id, const std::optional<std::string>& on) {
  return query_table(tx, rate_card_query(workspace_id, location_id, on));
}

}  // namespace wfa
