// `wfa campaign recipients list|remove|export`.
#include <cstdio>
#include <fstream>
#include <memory>

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/listing.hpp"
#include "core/copy_out.hpp"
#include "core/file_io.hpp"
#include "core/formula_guard.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/campaign/campaign.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "pipelines/phone.hpp"

namespace wfa {

namespace {

/// write_recipients streams a campaign's recipients to OUT as CSV with a header, formatted by the server through
/// COPY; the free-text columns get the spreadsheet-formula guard unless RAW. Returns the count.
std::int64_t write_recipients(pqxx::dbtransaction& tx, const CampaignRef& c, bool raw, std::ostream& out) {
  auto text = [raw](const std::string& column, const std::string& name) {
    return (raw ? column : formula_guard_sql(column)) + " AS " + name;
  };
  std::string results;
  for (const auto& column : recipient_result_columns())
    results += std::string(", ") +
               (column.kind == RecipientResultColumn::Kind::time ? utc_sql(column.sql) : std::string(column.sql)) +
               " AS " + column.name;
  auto ws = tx.quote(c.workspace_id) + "::uuid", campaign = tx.quote(c.id) + "::uuid";
  auto count =
      copy_out(tx,
               "COPY (SELECT r.phone, " + text("r.first_name", "first_name") + ", " + text("r.last_name", "last_name") +
                   ", r.email, " + text("r.company", "company") + ", r.timezone, r.status, r.variables, " +
                   utc_sql("r.created_at") + " AS created_at" + results + " FROM campaign_recipients r" +
                   recipient_attempts_join + " WHERE r.workspace_id = " + ws + " AND r.campaign_id = " + campaign +
                   " ORDER BY r.id) TO STDOUT WITH (FORMAT csv, HEADER)",
               out);
  out.flush();
  return count;
}

}  // namespace

Result run_campaign_recipients_list(const RecipientsListOptions& o, Session& session) {
  if (o.status) check_choice(session.option("status"), *o.status, recipient_statuses, "a recipient status");
  auto tx = list_transaction(session);
  auto c = campaign_for(*tx, session, o.campaign, "workspace:campaigns:read");
  ListQuery query("campaign recipients list", "recipients");
  query.select("phone, first_name, last_name, email, company, timezone, status, variables, import_id, created_at")
      .from("campaign_recipients")
      .where("workspace_id = ?::uuid", c.workspace_id)
      .where("campaign_id = ?::uuid", c.id)
      .where("status = ?", o.status)
      .order_by({{"id", "bigint"}})
      .when_empty("campaign " + c.label + " has no recipients" + (o.status ? " with status " + *o.status : ""));
  return list_rows(tx, query, o.paging, session);
}

Result run_campaign_recipients_remove(const RecipientsRemoveOptions& o, Session& session) {
  auto reader = phone_reader_for(o.default_country, session);
  std::vector<std::string> phones;
  std::string e164;
  for (const auto& raw : o.phones) {
    if (auto reading = reader.read(raw, e164); !reading.problem.empty())
      throw InvalidInputError("phone '" + raw + "' " + reading.problem, "write it as +CC... or give --default-country");
    phones.push_back(e164);
  }
  auto& conn = session.database().ready();
  if (!o.dry_run) {
    pqxx::read_transaction tx(conn);
    auto c = campaign_for(tx, session, o.campaign, "workspace:campaigns:update");
    session.confirm(o.yes, "remove " + std::to_string(phones.size()) + " recipient(s) from campaign " + c.label);
  }
  pqxx::work tx(conn);
  auto c = campaign_for(tx, session, o.campaign, "workspace:campaigns:update", true);
  if (is_terminal(c.status))
    throw ConflictError("campaign " + c.label + " is " + c.status + "; its recipients no longer change",
                        "nothing to do");
  std::string list = "{";
  for (std::size_t i = 0; i < phones.size(); ++i) list += (i ? "," : "") + phones[i];
  list += "}";
  auto removed = tx.exec_params(
      "DELETE FROM campaign_recipients WHERE workspace_id = $3::uuid AND campaign_id = $1::uuid"
      " AND phone = ANY($2::text[])"
      " RETURNING phone, first_name, last_name, email, status",
      c.id, list, c.workspace_id);
  Result r;
  r.tables.push_back(to_table(removed, "recipients"));
  auto n = std::to_string(removed.size());
  if (removed.empty()) {
    r.message = "none of the numbers is a recipient of campaign " + c.label + "; nothing changed";
    return r;
  }
  record_audit(tx, {session.actor(), "campaign.recipients_remove", "campaign", c.id, c.partner_id, c.workspace_id, "",
                    "", "{\"removed\": " + n + "}"});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "removed " + n + " recipient(s) from campaign " + c.label,
                             "would remove " + n + " recipient(s) from campaign " + c.label);
}

Result run_campaign_recipients_export(const RecipientsExportOptions& o, Session& session) {
  std::optional<AtomicFileWriter> file;
  if (o.out) file.emplace(*o.out);
  auto tx = list_transaction(session);
  auto c = campaign_for(*tx, session, o.campaign, "workspace:campaigns:export");
  bool raw = session.settings().flag("raw");
  auto message = [label = c.label](std::int64_t count) {
    return "exported " + std::to_string(count) + " recipient(s) of campaign " + label;
  };
  Result r;
  if (!file) {
    // Standard output stays pure CSV: the rows are the stream, the summary goes to the front end's messages.
    r.stream = [tx, c, raw, message](std::ostream& out) { return message(write_recipients(*tx, c, raw, out)); };
    return r;
  }
  auto count = write_recipients(*tx, c, raw, file->stream());
  file->commit();
  r.fields = {{"campaign", Cell(c.label)}, {"file", Cell(*o.out)}, {"recipients", Cell(count)}};
  r.message = message(count) + " to " + *o.out;
  return r;
}

}  // namespace wfa
