// `wfa rate-card import FILE.csv`: every row set as by `rate-card set`, all rows or none.
#include <cctype>
#include <charconv>
#include <map>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/subtransaction>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/rate_card/rate_card.hpp"
#include "commands/rate_card/rate_card_rules.hpp"
#include "pipelines/csv_records.hpp"
#include "core/input_file.hpp"

namespace wfa {

namespace {

/// MoneyColumn is an amount column and the currency its name ends in, if any (net_rate_week_aed → AED).
struct MoneyColumn {
  std::optional<std::string> name;
  std::optional<std::string> currency;
};

/// money_column finds BASE itself or BASE_xyz, where xyz is a three-letter currency code.
MoneyColumn money_column(const CsvTable& table, const std::vector<std::string>& bases) {
  for (const auto& base : bases)
    if (table.column(base)) return {base, std::nullopt};
  for (const auto& base : bases)
    for (const auto& name : table.header()) {
      if (name.size() != base.size() + 4 || name.compare(0, base.size() + 1, base + "_") != 0) continue;
      auto code = name.substr(base.size() + 1);
      bool letters = true;
      for (auto& c : code) {
        letters = letters && std::isalpha(static_cast<unsigned char>(c));
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      if (letters) return {name, code};
    }
  return {};
}

int parse_weeks(const std::optional<std::string>& text) {
  if (!text) return 1;
  int weeks = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), weeks);
  if (ec != std::errc() || end != text->data() + text->size())
    throw InvalidInputError("duration_weeks '" + *text + "' is not a whole number",
                            "give weeks from 1 to 520, or leave it blank for 1");
  return weeks;
}

/// set_row writes one row. A row without valid_from whose values equal the card in force on the default
/// date leaves that card as it is (INPUT then names its start), so importing the same file again on a
/// later day changes nothing.
UpsertOutcome set_row(pqxx::dbtransaction& tx, const SalesScope& scope, RateCardInput& input, bool dated,
                      const std::string& actor, const std::string& metadata) {
  if (!dated) {
    auto current = tx.exec_params(
        "SELECT r.valid_from::text FROM rate_cards r JOIN locations l ON l.id = r.location_id"
        " WHERE l.workspace_id = $1::uuid AND l.location_key = $2 AND r.duration_weeks = $3 AND r.valid_from < $4::date"
        " AND (r.valid_to IS NULL OR r.valid_to >= $4::date)",
        scope.workspace.id, input.location_key, input.duration_weeks, input.valid_from);
    if (!current.empty()) {
      auto same = input;
      same.valid_from = current[0][0].as<std::string>();
      pqxx::subtransaction probe(tx, "rate_card_probe");
      try {
        if (set_rate_card(probe, scope, same, "", actor, metadata).what == Upserted::unchanged) {
          input.valid_from = same.valid_from;
          return {};
        }
      } catch (const Error&) {
      }
      probe.abort();
    }
  }
  return set_rate_card(tx, scope, input, "", actor, metadata);
}

}  // namespace

Result run_rate_card_import(const RateCardImportOptions& o, Session& session) {
  auto default_from = o.valid_from ? check_date(session.option("valid-from"), *o.valid_from) : today_iso();
  auto table = CsvTable::parse(read_input_file(o.file, "CSV file", max_csv_table_bytes), o.file,
                               csv_options_for(session.option("encoding"), o.encoding));
  table.require_well_formed();
  auto key = require_column(table, {"location_key", "key"});
  auto net = money_column(table, {"net_rate", "net_rate_week"});
  if (!net.name) require_column(table, {"net_rate", "net_rate_week", "net_rate_week_aed"});
  auto upload = money_column(table, {"upload_fee"});
  auto fee = pick_column(table, {"municipality_fee_pct", "municipality_fee_percent", "municipality_fee"});
  auto weeks = pick_column(table, {"duration_weeks", "weeks"});
  auto currency = pick_column(table, {"currency"});
  auto from = pick_column(table, {"valid_from"});
  auto to = pick_column(table, {"valid_to"});
  auto implied_currency = net.currency ? net.currency : upload.currency;

  auto interruptible = session.interruptible();
  pqxx::work tx(session.database().ready());
  auto scope = find_scope(tx, session, o.workspace, "workspace:rate_cards:update");
  RowErrors errors;
  Table out{"rate_cards", {"line", "location_key", "duration_weeks", "valid_from", "outcome"}, {}};
  std::map<Upserted, int> counts;
  for (const auto& record : table.records()) {
    try {
      auto row_from = cell(table, record, from);
      auto row_currency = cell(table, record, currency);
      RateCardInput input{table.field(record, key),
                          parse_weeks(cell(table, record, weeks)),
                          row_from ? *row_from : default_from,
                          cell(table, record, to),
                          cell(table, record, net.name),
                          cell(table, record, upload.name),
                          cell(table, record, fee),
                          row_currency ? row_currency : implied_currency};
      if (!input.net_rate) throw InvalidInputError("net_rate is blank", "give the net rate in major units, e.g. 15000");
      auto metadata = nlohmann::json{{"import", o.file}, {"line", record.line}}.dump();
      auto outcome = set_row(tx, scope, input, row_from.has_value(), session.actor(), metadata);
      ++counts[outcome.what];
      out.rows.push_back({Cell(static_cast<std::int64_t>(record.line)), Cell(input.location_key),
                          Cell(input.duration_weeks), Cell(input.valid_from), Cell(outcome_name(outcome.what))});
    } catch (const Error& e) {
      errors.add(table.where(record) + ": " + e.what(), e.category(), e.hint());
    }
  }
  errors.throw_if_any();
  Result r;
  r.tables.push_back(std::move(out));
  auto summary = std::to_string(table.records().size()) + " rate cards from " + o.file + ": " +
                 std::to_string(counts[Upserted::created]) + " created, " + std::to_string(counts[Upserted::updated]) +
                 " updated, " + std::to_string(counts[Upserted::unchanged]) + " unchanged";
  session.stop_if_interrupted("the rate-card import of " + o.file);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "imported " + summary, "would import " + summary);
}

}  // namespace wfa
