// `wfa dnc import`: a CSV file's numbers streamed through COPY into a temporary table, then merged into one list in
// the same transaction; one bad number refuses the whole file.
#include <array>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/stream_to>
#include <pqxx/transaction>

#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "commands/dnc/dnc.hpp"
#include "commands/dnc/dnc_rules.hpp"
#include "pipelines/csv_reader.hpp"
#include "pipelines/phone.hpp"

namespace wfa {

namespace {

/// phone_headers are the headers a phone column is recognised by (normalised), in order of preference.
const std::vector<std::string> phone_headers = {"phone",  "phone_number", "number", "mobile",
                                                "msisdn", "telephone",    "tel"};

/// The most rejected rows reported one by one before the error.
constexpr std::size_t reported_rejects = 20;

}  // namespace

Result run_dnc_import(const DncImportOptions& o, Session& session) {
  auto reader = dnc_reader(o.default_country, session);
  check_registry(o.registry);
  auto csv_options = csv_options_for(session.option("encoding"), o.encoding);
  pqxx::work tx(session.database().ready());
  auto list = dnc_list(tx, session, o.list, "create");

  CsvReader csv(o.file, csv_options);
  CsvRecord record;
  if (!csv.next(record))
    throw InvalidInputError(o.file + " is empty: no header row", "the first line must name the columns, e.g. phone");
  std::optional<std::size_t> column;
  for (const auto& wanted : o.column ? std::vector<std::string>{normalize_header(*o.column)} : phone_headers) {
    for (std::size_t i = 0; i < record.fields.size() && !column; ++i)
      if (normalize_header(record.fields[i]) == wanted) column = i;
    if (column) break;
  }
  if (!column)
    throw InvalidInputError(
        o.file + ":1: no " + (o.column ? "column '" + *o.column + "'" : std::string("phone column")),
        "name the column with --column, e.g. --column Mobile");

  tx.exec("CREATE TEMPORARY TABLE dnc_in (phone_e164 text NOT NULL) ON COMMIT DROP");
  std::vector<std::string> rejects;
  std::uint64_t read = 0;
  {
    pqxx::stream_to copy(tx, "dnc_in", std::vector<std::string>{"phone_e164"});
    std::string e164;
    while (csv.next(record)) {
      ++read;
      std::string problem;
      if (record.issue != CsvIssue::none)
        problem = std::string(csv_issue_text(record.issue));
      else if (*column >= record.fields.size() || record.fields[*column].empty())
        problem = "no phone number";
      else if (auto reading = reader.read(record.fields[*column], e164); !reading.problem.empty())
        problem = "'" + std::string(record.fields[*column]) + "': " + reading.problem;
      if (!problem.empty()) {
        rejects.push_back(o.file + ":" + std::to_string(record.line) + ": " + problem);
        continue;
      }
      if (rejects.empty()) copy << std::array<const char*, 1>{e164.c_str()};
    }
    copy.complete();
  }
  if (!rejects.empty()) {
    for (std::size_t i = 1; i < rejects.size() && i < reported_rejects; ++i) session.info("rejected " + rejects[i]);
    throw InvalidInputError(rejects.front() + " (" + std::to_string(rejects.size()) + " of " + std::to_string(read) +
                                " rows rejected; nothing imported)",
                            "fix the rows, or give --default-country for numbers without a country code");
  }
  auto added = list.workspace
                   ? tx.exec_params(
                         "INSERT INTO do_not_call (workspace_id, phone_e164, reason, added_by) SELECT DISTINCT"
                         " $1::uuid, phone_e164, 'import', $2 FROM dnc_in ON CONFLICT (workspace_id,"
                         " phone_e164) DO NOTHING",
                         list.workspace->id, session.actor())
                   : tx.exec_params(
                         "INSERT INTO do_not_call_registry (partner_id, phone_e164, registry, added_by)"
                         " SELECT DISTINCT $1::uuid, phone_e164, $2, $3 FROM dnc_in ON CONFLICT (partner_id,"
                         " phone_e164) DO NOTHING",
                         list.partner ? list.partner->id.c_str() : nullptr, o.registry, session.actor());
  auto count = static_cast<std::int64_t>(added.affected_rows());
  audit_dnc(tx, session, list, "dnc.import",
            nlohmann::json{{"file", o.file}, {"rows_read", read}, {"added", count}}.dump());
  Result r;
  r.fields = {{"list", Cell(list.label)},
              {"file", Cell(o.file)},
              {"rows_read", Cell(static_cast<std::int64_t>(read))},
              {"added", Cell(count)},
              {"already_listed", Cell(static_cast<std::int64_t>(read) - count)}};
  auto what = std::to_string(count) + " new numbers of " + std::to_string(read) +
              " rows into the do-not-call list of " + list.label;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "imported " + what, "would import " + what);
}

}  // namespace wfa
