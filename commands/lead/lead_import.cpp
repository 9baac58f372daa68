// `wfa lead import`: a CSV file through the campaign importer's reader, column mapping and phone normalisation,
// all or nothing, each row upserted by phone in one transaction.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/session.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "commands/lead/lead.hpp"
#include "commands/lead/lead_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "pipelines/recipient_rows.hpp"

namespace wfa {

namespace {

/// The most rejected rows an import reports one by one before its error.
constexpr std::size_t reported_rejects = 20;

/// row_values turns row 0 of BATCH (recipient_row_columns order) into lead values; the time zone and the extra
/// columns become attributes.
LeadValues row_values(const RecipientBatch& batch) {
  auto text = [&](std::size_t col) -> std::optional<std::string> {
    const char* v = batch.value(0, col);
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  LeadValues v;
  v.phone = batch.value(0, 0);
  v.first_name = text(1);
  v.last_name = text(2);
  v.email = text(3);
  v.company = text(4);
  auto attributes = text(6) ? nlohmann::json::parse(*text(6)) : nlohmann::json::object();
  if (auto tz = text(5)) attributes["timezone"] = *tz;
  v.attributes = attributes.dump();
  return v;
}

}  // namespace

Result run_lead_import(const LeadImportOptions& o, Session& session) {
  auto phones = phone_reader_for(o.default_country, session);
  auto csv = csv_options_for(session.option("encoding"), o.encoding);
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "crm:leads:create");
  auto owner = new_lead_owner(tx, session, ws, o.workspace, o.owner);

  CsvReader reader(o.file, csv);
  CsvRecord record;
  if (!reader.next(record))
    throw InvalidInputError(o.file + " is empty: no header row",
                            "the first line must name the columns, e.g. phone,first_name");
  if (record.issue != CsvIssue::none)
    throw InvalidInputError(
        o.file + ":" + std::to_string(record.issue_line) + ": header: " + std::string(csv_issue_text(record.issue)),
        "fix the header line");
  auto mapping = map_columns(record.fields, {o.map, o.skip, o.file, session.option("map"), session.option("skip")});
  std::vector<std::string> timezones;
  for (const auto& row : tx.exec("SELECT name FROM pg_timezone_names ORDER BY name COLLATE \"C\""))
    timezones.push_back(row[0].as<std::string>());
  RecipientRowBuilder builder(std::move(mapping), phones, std::move(timezones));

  std::vector<std::string> rejects;
  std::vector<LeadValues> rows;
  std::uint64_t read = 0;
  RecipientBatch batch;
  while (reader.next(record)) {
    ++read;
    batch.clear();
    std::uint64_t key = 0;
    auto reason = builder.build(record, batch, key);
    if (!reason.empty()) {
      rejects.push_back(o.file + ":" + std::to_string(record.line) + ": " + reason);
      continue;
    }
    if (rejects.empty()) rows.push_back(row_values(batch));
  }
  if (!rejects.empty()) {
    for (std::size_t i = 1; i < rejects.size() && i < reported_rejects; ++i) session.info("rejected " + rejects[i]);
    throw InvalidInputError(rejects.front() + " (" + std::to_string(rejects.size()) + " of " + std::to_string(read) +
                                " rows rejected; nothing imported)",
                            "fix the rows and import the file again");
  }
  std::int64_t created = 0, updated = 0;
  for (const auto& values : rows)
    (upsert_lead(tx, ws, values, "import", owner, session.actor()).inserted ? created : updated)++;
  record_audit(
      tx, {session.actor(), "lead.import", "workspace", ws.id, ws.partner_id, ws.id, "", "",
           nlohmann::json{{"file", o.file}, {"rows_read", read}, {"created", created}, {"updated", updated}}.dump()});
  Result r;
  r.fields = {{"workspace", Cell(o.workspace)},
              {"file", Cell(o.file)},
              {"rows_read", Cell(static_cast<std::int64_t>(read))},
              {"created", Cell(created)},
              {"updated", Cell(updated)}};
  auto counts = std::to_string(read) + " rows of " + o.file + " (" + std::to_string(created) + " new leads, " +
                std::to_string(updated) + " updated)";
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "imported " + counts, "would import " + counts);
}

}  // namespace wfa
