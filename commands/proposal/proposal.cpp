// `wfa proposal generate|batch|list`.
#include "commands/proposal/proposal.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/listing.hpp"
#include "core/file_io.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/validation.hpp"
#include "commands/proposal/proposal_engine.hpp"
#include "commands/proposal/proposal_jobs.hpp"
#include "commands/proposal/proposal_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "pipelines/calendar.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

Table report_table(const ProposalRunReport& report) {
  Table table;
  table.name = "proposals";
  table.columns = {"row", "proposal_id", "status", "file", "pages", "bytes", "currency", "total", "error", "warning"};
  for (const auto& item : report.items)
    table.rows.push_back({Cell(static_cast<std::int64_t>(item.row)), Cell(item.id), Cell(item.status), Cell(item.file),
                          Cell(static_cast<std::int64_t>(item.pages)), Cell(static_cast<std::int64_t>(item.bytes)),
                          Cell(item.currency), Cell(item.total), Cell(item.error), Cell(item.warning)});
  return table;
}

/// report_problems tells the user, one line each, about every failed row and every row drawn with missing glyphs.
void report_problems(const ProposalRunReport& report, const Session& session) {
  for (const auto& item : report.items) {
    if (item.status == "failed")
      session.info("error: " + item.error + (item.hint.empty() ? "" : " (" + item.hint + ")"));
    if (!item.warning.empty()) session.info("warning: " + item.warning);
  }
}

std::string summary_line(const ProposalRunReport& report, const std::optional<std::string>& combined) {
  char rate[64];
  std::snprintf(rate, sizeof rate, " in %.2f s (%.0f/s)", report.seconds,
                report.seconds > 0 ? double(report.written + report.skipped) / report.seconds : 0.0);
  std::string line = std::to_string(report.written) + " written, " + std::to_string(report.skipped) + " skipped, " +
                     std::to_string(report.summary.failed) + " failed" + rate;
  if (combined && report.combined_pages > 0) {
    char size[32];
    std::snprintf(size, sizeof size, "%.1f MB", double(report.combined_bytes) / 1e6);
    line += "; combined " + *combined + " (" + std::to_string(report.combined_pages) + " pages, " + size + ")";
  }
  return line;
}

/// reserve_numbers takes COUNT consecutive PR-YEAR-NNNNN numbers of the workspace for `generate` and returns the
/// first: committed at once under the row's lock, so concurrent runs never share one (a failed run leaves a gap).
int reserve_numbers(Session& session, const std::string& workspace, const std::string& year, int count) {
  pqxx::work tx(session.database().ready());
  auto ws = find_workspace(tx, workspace);
  const std::string logged =
      "(SELECT COALESCE(max(substr(proposal_id, 9)::int), 0) FROM proposals_log"
      " WHERE workspace_id = $1::uuid AND proposal_id ~ ('^PR-' || $2 || '-[0-9]{1,9}$'))";
  auto last =
      tx.exec_params("INSERT INTO proposal_numbers (workspace_id, year, last_number) VALUES ($1::uuid, $2, " + logged +
                         " + $3) ON CONFLICT (workspace_id, year) DO UPDATE SET last_number ="
                         " GREATEST(proposal_numbers.last_number, " +
                         logged + ") + $3 RETURNING last_number",
                     ws.id, year, count)[0][0]
          .as<int>();
  tx.commit();
  return last - count + 1;
}

/// taken_by_other_client says why ID cannot be CLIENT's: it is the logged proposal of another client.
std::optional<std::string> taken_by_other_client(pqxx::transaction_base& tx, const std::string& workspace_id,
                                                 const std::string& id, const std::string& client) {
  auto rows = tx.exec_params("SELECT client_name FROM proposals_log WHERE workspace_id = $1::uuid AND proposal_id = $2",
                             workspace_id, id);
  if (rows.empty() || rows[0][0].as<std::string>() == client) return std::nullopt;
  return "proposal " + id + " already exists for client " + rows[0][0].as<std::string>();
}

/// number_batch_rows gives rows without a proposal_id numbers from the workspace's sequence, so ids never collide
/// across batches and `generate` calls; under --resume a row keeps the number a run of the same file gave it. A row
/// whose explicit id is another client's logged proposal fails (conflict) instead of replacing it, unless --overwrite.
void number_batch_rows(Session& session, const ProposalBatchOptions& options, std::vector<ProposalRequest>& requests) {
  std::map<std::size_t, std::string> earlier;
  {
    pqxx::read_transaction tx(session.database().ready());
    auto ws = find_workspace(tx, options.workspace);
    if (options.resume)
      for (const auto& row : tx.exec_params("SELECT batch_row, proposal_id FROM proposals_log WHERE workspace_id ="
                                            " $1::uuid AND batch_file = $2 AND batch_row IS NOT NULL",
                                            ws.id, options.file))
        earlier[row[0].as<std::size_t>()] = row[1].as<std::string>();
    // One query for every explicit id of the file, not one per row.
    std::string ids;  // separated by U+001F, which no id may hold
    for (auto& r : requests) {
      if (r.numbered || !r.error.empty()) continue;
      if (std::any_of(r.id.begin(), r.id.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
        r.error = "proposal_id contains a control character";
      else
        ids += (ids.empty() ? "" : "\x1f") + r.id;
    }
    std::map<std::string, std::string> owners;
    if (!ids.empty())
      for (const auto& row : tx.exec_params("SELECT proposal_id, client_name FROM proposals_log WHERE workspace_id ="
                                            " $1::uuid AND proposal_id = ANY(string_to_array($2, chr(31)))",
                                            ws.id, ids))
        owners[row[0].as<std::string>()] = row[1].as<std::string>();
    for (auto& r : requests)
      if (auto it = owners.find(r.id);
          !options.overwrite && !r.numbered && r.error.empty() && it != owners.end() && it->second != r.client)
        r.error = "proposal " + r.id + " already exists for client " + it->second + " (--overwrite replaces it)";
  }
  std::map<std::string, std::vector<ProposalRequest*>> by_year;
  for (auto& r : requests) {
    if (!r.numbered || !r.error.empty()) continue;
    if (auto it = earlier.find(r.row); it != earlier.end())
      r.id = it->second;
    else
      by_year[r.start.substr(0, 4)].push_back(&r);
  }
  for (auto& [year, rows] : by_year) {
    int number = reserve_numbers(session, options.workspace, year, static_cast<int>(rows.size()));
    for (auto* r : rows) {
      char id[32];
      std::snprintf(id, sizeof id, "PR-%s-%05d", year.c_str(), number++);
      r->id = id;
    }
  }
  for (auto& r : requests)
    if (r.numbered && r.default_file) r.file = default_file(r.id);
}

/// refuse_other_client stops `generate --id ID` from replacing another client's logged proposal.
void refuse_other_client(Session& session, const std::string& workspace, const std::string& id,
                         const std::string& client) {
  pqxx::read_transaction tx(session.database().ready());
  auto ws = find_workspace(tx, workspace);
  if (auto taken = taken_by_other_client(tx, ws.id, id, client))
    throw ConflictError(*taken, "give another " + session.option("id") +
                                    ", leave it out to get the next number, or add " + session.option("overwrite") +
                                    " to replace it");
}

}  // namespace

Result proposal_report_result(const ProposalRunReport& report, const std::optional<std::string>& combined_pdf,
                              const Session& session) {
  Result r;
  r.tables.push_back(report_table(report));
  r.message = summary_line(report, combined_pdf);
  report_problems(report, session);
  r.category = report.summary.exit_category();
  return r;
}

Result run_proposal_generate(const ProposalGenerateOptions& options, Session& session) {
  if (options.locations.empty())
    throw UsageError(session.option("location") + " needs at least one location key",
                     "e.g. --location DXB-001,DXB-002");
  auto start = parse_date(options.start, session.option("start"));
  if (options.weeks && (*options.weeks < 1 || *options.weeks > 520))
    throw InvalidInputError(session.option("weeks") + " " + std::to_string(*options.weeks) + " is out of range",
                            "give 1 to 520 weeks");
  auto year = iso_date(start).substr(0, 4);
  int count = options.combined ? 1 : static_cast<int>(options.locations.size());
  check_single_line(session.option("client"), options.client);
  authorize_workspace(session, options.workspace, "workspace:proposals:create");
  if (options.id && !options.overwrite) refuse_other_client(session, options.workspace, *options.id, options.client);
  int number = options.id ? 0 : reserve_numbers(session, options.workspace, year, count);
  std::vector<ProposalRequest> requests;
  auto add = [&](std::vector<std::string> locations) {
    ProposalRequest r;
    r.where = "generate";
    char id[32];
    std::snprintf(id, sizeof id, "PR-%s-%05d", year.c_str(), number++);
    r.id = options.id ? *options.id + (requests.empty() ? "" : "-" + std::to_string(requests.size() + 1)) : id;
    r.client = options.client;
    r.locations = std::move(locations);
    r.start = options.start;
    r.currency = options.currency;
    r.weeks = options.weeks;
    r.file = default_file(r.id);
    requests.push_back(std::move(r));
  };
  if (options.combined)
    add(options.locations);
  else
    for (const auto& key : options.locations) add({key});
  auto report = run_proposals(session, requests,
                              {options.workspace, options.out_dir, 2, std::nullopt, false, options.layout, ""});
  // One proposal that fails is the command's error; of several, each is reported and a partial outcome exits 8.
  if (report.items.size() == 1 && report.items.front().status == "failed") {
    const auto& item = report.items.front();
    throw Error(item.category, item.error, item.hint);
  }
  return proposal_report_result(report, std::nullopt, session);
}

Result run_proposal_batch(const ProposalBatchOptions& options, Session& session) {
  if (options.workers < 1 || options.workers > 64)
    throw UsageError(session.option("workers") + " must be from 1 to 64");
  if (options.combined_pdf)
    refuse_overwriting_input(*options.combined_pdf, session.option("combined-pdf"), options.file, "batch file");
  if (options.enqueue) refuse_local_only_options(options, session);
  if (!options.enqueue && options.out_dir.empty())
    throw UsageError(session.option("out") + " is required", "give the directory the PDFs are written to");
  auto requests = read_proposal_batch(options.file, csv_options_for(session.option("encoding"), options.encoding));
  authorize_workspace(session, options.workspace, "workspace:proposals:create");
  number_batch_rows(session, options, requests);
  if (options.enqueue) return enqueue_proposal_batch(options, std::move(requests), session);
  std::optional<std::filesystem::path> combined;
  if (options.combined_pdf) combined = *options.combined_pdf;
  auto report = run_proposals(
      session, requests,
      {options.workspace, options.out_dir, options.workers, combined, options.resume, options.layout, options.file});
  return proposal_report_result(report, options.combined_pdf, session);
}

Result run_proposal_list(const ProposalListOptions& options, Session& session) {
  auto tx = list_transaction(session);
  auto ws = workspace_for(*tx, session, options.workspace, "workspace:proposals:read");
  std::optional<std::string> pattern;
  if (options.client) pattern = contains_pattern(*options.client);  // a substring, not a LIKE pattern
  ListQuery query("proposal list", "proposals");
  query
      .select(
          "proposal_id, client_name, array_to_string(location_keys, ',') AS locations, start_date::text AS start_date,"
          " end_date::text AS end_date, currency, total AS amount, pages, bytes, file_path, created_by, created_at")
      .from("proposals_log")
      .where("workspace_id = ?::uuid", ws.id)
      .where("client_name ILIKE ?", pattern)
      .order_by({{"created_at", "timestamptz", true}, {"proposal_id", "text"}})
      .when_empty("no proposals logged for workspace " + options.workspace);
  only_visible_proposals(*tx, session, ws, query, "proposals_log");
  return list_rows(tx, query, options.paging, session);
}

}  // namespace wfa
