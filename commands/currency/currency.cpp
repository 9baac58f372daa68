// `wfa currency set|list`: rates stored exactly as parts per million of a unit per AED.
#include "commands/currency/currency.hpp"

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/listing.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/sales/sales_rules.hpp"
#include "pipelines/money.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

constexpr int rate_decimals = 6;

/// rate_fields is one currency_rates row with its rate written back as a decimal.
std::vector<std::pair<std::string, Cell>> rate_fields(pqxx::transaction_base& tx, const std::string& code,
                                                      const std::string& from) {
  auto fields = to_fields(
      tx.exec_params("SELECT currency, valid_from::text AS valid_from, rate_ppm, source, created_at, updated_at"
                     " FROM currency_rates WHERE currency = $1 AND valid_from = $2::date",
                     code, from));
  if (!fields.empty())
    fields.insert(fields.begin() + 2, {"rate", Cell(format_amount(fields[2].second.as_integer(), rate_decimals))});
  return fields;
}

}  // namespace

Result run_currency_set(const CurrencySetOptions& o, Session& session) {
  auto from = o.valid_from ? check_date(session.option("valid-from"), *o.valid_from) : today_iso();
  auto ppm = parse_amount(o.rate, rate_decimals, session.option("rate"));
  if (ppm <= 0)
    throw InvalidInputError(session.option("rate") + " '" + o.rate + "' is zero",
                            "give units of the currency per 1 AED, e.g. 0.272294 for USD");
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "set exchange rates");
  auto currency = find_currency(tx, o.code, "currency");
  if (currency.code == "AED")
    throw InvalidInputError("AED is the base currency: its rate is always 1",
                            "set the rate of another currency per 1 AED");
  auto entity = currency.code + "@" + from;
  AuditEntry audit{session.actor(), "currency_rate.set", "currency_rate", entity, {}, {}, "", "", ""};
  auto old = tx.exec_params(
      "SELECT to_jsonb(r), rate_ppm, source FROM currency_rates r WHERE currency = $1 AND valid_from = $2::date FOR "
      "UPDATE",
      currency.code, from);
  Result r;
  if (!old.empty() && old[0][1].as<std::int64_t>() == ppm &&
      (!o.source || (!old[0][2].is_null() && old[0][2].as<std::string>() == *o.source))) {
    r.fields = rate_fields(tx, currency.code, from);
    tx.abort();
    r.message = "the " + currency.code + " rate from " + from + " is already " + format_amount(ppm, rate_decimals) +
                "; nothing changed";
    return r;
  }
  if (!old.empty()) audit.old_values = old[0][0].as<std::string>();
  tx.exec_params(
      "INSERT INTO currency_rates (currency, valid_from, rate_ppm, source) VALUES ($1, $2::date, $3, $4)"
      " ON CONFLICT (currency, valid_from) DO UPDATE SET rate_ppm = EXCLUDED.rate_ppm,"
      " source = COALESCE(EXCLUDED.source, currency_rates.source)",
      currency.code, from, ppm, o.source);
  audit.new_values =
      tx.exec_params("SELECT to_jsonb(r) FROM currency_rates r WHERE currency = $1 AND valid_from = $2::date",
                     currency.code, from)[0][0]
          .as<std::string>();
  record_audit(tx, audit);
  r.fields = rate_fields(tx, currency.code, from);
  auto what =
      currency.code + " rate from " + from + ": 1 AED = " + format_amount(ppm, rate_decimals) + " " + currency.code;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "set " + what, "would set " + what);
}

Result run_currency_list(const CurrencyListOptions& o, Session& session) {
  auto on = o.on ? check_date(session.option("on"), *o.on) : today_iso();
  ListQuery query("currency list", "currencies");
  query
      .select(
          "c.code, c.name, c.exponent, CASE WHEN c.code = 'AED' THEN 1000000 ELSE r.rate_ppm END AS rate_ppm,"
          " r.valid_from::text, r.source")
      .from(
          "currencies c LEFT JOIN LATERAL (SELECT rate_ppm, valid_from, source FROM currency_rates"
          " WHERE currency = c.code AND valid_from <= ?::date ORDER BY valid_from DESC LIMIT 1) r ON true",
          {on})
      .order_by({{"c.code", "text"}})
      .shape({"code", "name", "exponent", "rate", "rate_ppm", "valid_from", "source"}, [](const pqxx::row& row) {
        auto nullable = [&](int i) { return row[i].is_null() ? Cell::null() : Cell(row[i].as<std::string>()); };
        bool rated = !row[3].is_null();
        return Row{Cell(row[0].as<std::string>()),
                   Cell(row[1].as<std::string>()),
                   Cell(row[2].as<std::int64_t>()),
                   rated ? Cell(format_amount(row[3].as<std::int64_t>(), rate_decimals)) : Cell::null(),
                   rated ? Cell(row[3].as<std::int64_t>()) : Cell::null(),
                   nullable(4),
                   nullable(5)};
      });
  return list_rows(list_transaction(session), query, o.paging, session);
}

}  // namespace wfa
