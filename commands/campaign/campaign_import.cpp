// `wfa campaign import`: the CSV import, one transaction, COPY straight into campaign_recipients
// (de-duplication is done in memory while the campaign row is locked, so no staging table).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/stream_to>
#include <pqxx/transaction>

#include "core/digest.hpp"
#include "core/file_io.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/campaign/campaign.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "pipelines/money.hpp"
#include "pipelines/recipient_loader.hpp"

namespace wfa {

namespace {

/// ImportPlan is the checked form of the options.
struct ImportPlan {
  CsvOptions csv;
  PhoneReader phones;
  std::optional<std::uint64_t> max_rejects;  ///< absolute cap
  std::optional<double> max_percent;         ///< cap as a share of the rows read
  bool tolerant = false;                     ///< commit the good rows despite rejects
};

ImportPlan plan_import(const CampaignImportOptions& o, const Session& session) {
  ImportPlan p;
  const std::pair<const char*, char> delimiters[] = {{"auto", 0},   {",", ','},   {";", ';'},
                                                     {"tab", '\t'}, {"\t", '\t'}, {"|", '|'}};
  bool known = false;
  for (const auto& [name, c] : delimiters)
    if (o.delimiter == name) p.csv.delimiter = c, known = true;
  if (!known)
    throw InvalidInputError(session.option("delimiter") + " '" + o.delimiter + "' is not supported",
                            "use auto, ',', ';', tab or '|'");
  p.csv.encoding = csv_options_for(session.option("encoding"), o.encoding).encoding;
  p.phones = phone_reader_for(o.default_country, session);
  p.tolerant = o.allow_partial;
  if (o.max_errors) {
    const auto& v = *o.max_errors;
    bool percent = !v.empty() && v.back() == '%';
    auto digits = percent ? v.substr(0, v.size() - 1) : v;
    bool ok = !digits.empty() && digits.size() <= 12 && digits.find_first_not_of("0123456789.") == std::string::npos &&
              (percent || digits.find('.') == std::string::npos) &&
              std::count(digits.begin(), digits.end(), '.') <= 1 && digits != ".";
    if (!ok || (percent && std::stod(digits) > 100))
      throw InvalidInputError(session.option("max-errors") + " '" + v + "' is not a count or a percentage",
                              "e.g. --max-errors 100 or --max-errors 2%");
    if (percent)
      p.max_percent = std::stod(digits);
    else
      p.max_rejects = std::stoull(digits);
    p.tolerant = true;
  }
  if (!std::filesystem::is_regular_file(o.file))
    throw InvalidInputError("cannot read " + o.file + ": not a regular file", "give the path of a CSV file");
  if (o.reject_file) refuse_overwriting_input(*o.reject_file, session.option("reject-file"), o.file, "input file");
  return p;
}

/// options_fingerprint is what, besides the bytes, decides which rows an import produces.
std::string options_fingerprint(const CampaignImportOptions& o) {
  nlohmann::json j{{"map", o.map},
                   {"skip", o.skip},
                   {"default_country", o.default_country ? *o.default_country : ""},
                   {"delimiter", o.delimiter},
                   {"encoding", o.encoding}};
  return j.dump();
}

/// load_existing fills SEEN with the campaign's phones through a cursor (no big result in memory).
void load_existing(pqxx::work& tx, const CampaignRef& c, PhoneSet& seen) {
  tx.exec_params(
      "DECLARE wfa_existing_phones NO SCROLL CURSOR FOR SELECT phone FROM campaign_recipients"
      " WHERE workspace_id = $2::uuid AND campaign_id = $1::uuid",
      c.id, c.workspace_id);
  for (;;) {
    auto rows = tx.exec("FETCH 50000 FROM wfa_existing_phones");
    for (const auto& row : rows) seen.insert(phone_key(row[0].c_str()), PhoneSet::existing_line);
    if (rows.size() < 50000) break;
  }
  tx.exec("CLOSE wfa_existing_phones");
}

std::vector<std::string> known_timezones(pqxx::work& tx) {
  std::vector<std::string> names;
  for (const auto& row : tx.exec("SELECT name FROM pg_timezone_names ORDER BY name COLLATE \"C\""))
    names.push_back(row[0].as<std::string>());
  return names;
}

}  // namespace

Result run_campaign_import(const CampaignImportOptions& o, Session& session) {
  auto plan = plan_import(o, session);
  auto started = std::chrono::steady_clock::now();
  auto key = sha256_file(o.file, options_fingerprint(o));
  auto file_bytes = std::filesystem::file_size(o.file);

  pqxx::work tx(session.database().ready());
  auto c = campaign_for(tx, session, o.campaign, "workspace:campaigns:update", true);
  if (is_terminal(c.status))
    throw ConflictError("cannot import into campaign " + c.label + ": it is " + c.status,
                        "import into a draft, scheduled, running or paused campaign");
  Result r;
  auto done = tx.exec_params(
      "SELECT id, created_at, rows_imported FROM campaign_imports"
      " WHERE workspace_id = $3::uuid AND campaign_id = $1::uuid AND idempotency_key = $2",
      c.id, key, c.workspace_id);
  if (!done.empty()) {
    r.fields = {{"campaign", Cell(c.label)},
                {"import_id", Cell(done[0][0].as<std::int64_t>())},
                {"imported", Cell(std::int64_t{0})},
                {"idempotency_key", Cell(key)}};
    r.message = "file " + o.file + " was already imported into campaign " + c.label + " (import " +
                done[0][0].as<std::string>() + ", " + group_thousands(done[0][2].as<std::uint64_t>()) +
                " rows); nothing changed";
    return r;
  }

  CsvReader reader(o.file, plan.csv);
  CsvRecord header;
  if (!reader.next(header))
    throw InvalidInputError(o.file + " is empty: no header row",
                            "the first line must name the columns, e.g. phone,first_name");
  if (header.issue != CsvIssue::none)
    throw InvalidInputError(
        o.file + ":" + std::to_string(header.issue_line) + ": header: " + std::string(csv_issue_text(header.issue)),
        "fix the header line");
  auto mapping = map_columns(header.fields, {o.map, o.skip, o.file, session.option("map"), session.option("skip")});
  std::string header_raw(header.raw);
  PhoneSet seen;
  load_existing(tx, c, seen);
  RecipientRowBuilder builder(std::move(mapping), plan.phones, known_timezones(tx));
  std::optional<RejectWriter> rejects;
  if (o.reject_file) rejects.emplace(*o.reject_file, reader.delimiter(), header_raw);

  std::string import_id;
  if (!o.dry_run)
    import_id =
        tx.exec_params(
              "INSERT INTO campaign_imports (workspace_id, campaign_id, idempotency_key, file_name, file_bytes,"
              " rows_read, rows_imported, duplicates, rejected, options, actor)"
              " VALUES ($7::uuid, $1::uuid, $2, $3, $4, 0, 0, 0, 0, $5::jsonb, $6) RETURNING id",
              c.id, key, std::filesystem::path(o.file).filename().string(), static_cast<std::int64_t>(file_bytes),
              options_fingerprint(o), session.actor(), c.workspace_id)[0][0]
            .as<std::string>();

  auto interruptible = session.interruptible();
  LoadOptions load;
  load.cancel = &session.cancellation();
  load.max_rejects = plan.max_rejects;
  load.keep_after_reject = plan.tolerant;
  auto shown = session.progress();
  auto& progress = *shown;
  progress.start("recipients", std::nullopt);
  LoadSummary summary;
  {
    std::optional<pqxx::stream_to> copy;
    if (!o.dry_run)
      copy.emplace(tx, "campaign_recipients",
                   std::vector<std::string>{"workspace_id", "campaign_id", "import_id", "phone", "first_name",
                                            "last_name", "email", "company", "timezone", "variables"});
    std::array<const char*, 3 + recipient_row_columns> row{c.workspace_id.c_str(), c.id.c_str(), import_id.c_str()};
    auto sink = [&](const RecipientBatch& batch) {
      if (!copy) return;
      for (std::size_t i = 0; i < batch.rows.size(); ++i) {
        for (std::size_t k = 0; k < recipient_row_columns; ++k) row[3 + k] = batch.value(i, k);
        *copy << row;
      }
    };
    summary = load_recipients(
        reader, builder, seen, rejects ? &*rejects : nullptr, load, sink,
        [&](std::uint64_t read, std::uint64_t rejected, std::uint64_t bytes) {
          // The total is estimated from the share of the file read so far.
          if (bytes > 0)
            progress.set_total(static_cast<std::size_t>(static_cast<double>(read) * static_cast<double>(file_bytes) /
                                                        static_cast<double>(bytes)));
          progress.update(read, rejected);
        });
    if (copy) copy->complete();
  }
  progress.finish();
  if (summary.interrupted)
    throw InterruptedError("interrupted: the import of " + o.file + " stopped after " + group_thousands(summary.read) +
                           " rows; nothing imported");
  if (rejects) rejects->close();

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto rate = static_cast<std::int64_t>(seconds > 0 ? static_cast<double>(summary.read) / seconds : 0);
  for (const auto& sample : summary.samples) session.info("rejected " + o.file + " " + sample);
  std::string where = o.reject_file ? "see " + *o.reject_file : "write them out with --reject-file FILE";
  if (summary.stopped)
    throw InvalidInputError("import of " + o.file + " stopped after " + group_thousands(summary.rejected) +
                                " rejected rows (" + session.option("max-errors") + " " + *o.max_errors +
                                "); nothing imported",
                            "fix the rows (" + where + ") or raise --max-errors");
  if (summary.rejected > 0 && !plan.tolerant)
    throw InvalidInputError(group_thousands(summary.rejected) + " of " + group_thousands(summary.read) + " rows of " +
                                o.file + " rejected; nothing imported",
                            "fix them (" + where + ") or pass --allow-partial to import the valid rows");
  if (plan.max_percent &&
      static_cast<double>(summary.rejected) * 100.0 > *plan.max_percent * static_cast<double>(summary.read))
    throw InvalidInputError(group_thousands(summary.rejected) + " of " + group_thousands(summary.read) + " rows of " +
                                o.file + " rejected, more than " + session.option("max-errors") + " " + *o.max_errors +
                                "; nothing imported",
                            "fix the rows (" + where + ") or raise --max-errors");

  auto imported = o.dry_run ? summary.valid : summary.accepted;
  if (!o.dry_run) {
    tx.exec_params(
        "UPDATE campaign_imports SET rows_read = $2, rows_imported = $3, duplicates = $4, rejected = $5,"
        " recipient_count = $3 WHERE id = $1",
        import_id, static_cast<std::int64_t>(summary.read), static_cast<std::int64_t>(imported),
        static_cast<std::int64_t>(summary.duplicates), static_cast<std::int64_t>(summary.rejected));
    // The kept count moves with the rows, in this transaction (migration 0009).
    tx.exec_params(
        "UPDATE campaigns SET recipient_count = recipient_count + $3 WHERE workspace_id = $2::uuid AND id = $1::uuid",
        c.id, c.workspace_id, static_cast<std::int64_t>(imported));
    nlohmann::json meta{{"file", o.file},       {"idempotency_key", key},           {"rows_read", summary.read},
                        {"imported", imported}, {"duplicates", summary.duplicates}, {"rejected", summary.rejected}};
    record_audit(
        tx, {session.actor(), "campaign.import", "campaign", c.id, c.partner_id, c.workspace_id, "", "", meta.dump()});
  }
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f", seconds);
  r.fields = {{"campaign", Cell(c.label)},
              {"import_id", import_id.empty() ? Cell::null() : Cell(static_cast<std::int64_t>(std::stoll(import_id)))},
              {"file", Cell(o.file)},
              {"rows_read", Cell(static_cast<std::int64_t>(summary.read))},
              {"imported", Cell(static_cast<std::int64_t>(imported))},
              {"duplicates", Cell(static_cast<std::int64_t>(summary.duplicates))},
              {"rejected", Cell(static_cast<std::int64_t>(summary.rejected))},
              {"read_as_international", Cell(static_cast<std::int64_t>(summary.read_as_international))},
              {"seconds", Cell(std::string(secs))},
              {"rows_per_s", Cell(rate)},
              {"idempotency_key", Cell(key)}};
  auto counts = group_thousands(imported) + " of " + group_thousands(summary.read) + " rows into campaign " + c.label +
                " (" + group_thousands(summary.duplicates) + " duplicates, " + group_thousands(summary.rejected) +
                " rejected" +
                (summary.read_as_international
                     ? ", " + group_thousands(summary.read_as_international) +
                           " numbers without + read as international since they are not valid national numbers"
                     : std::string()) +
                ") in " + secs + " s, " + group_thousands(static_cast<std::uint64_t>(rate)) + " rows/s";
  r = commit_or_roll_back(tx, std::move(r), o.dry_run, "imported " + counts, "would import " + counts);
  r.category = summary.rejected > 0 ? ErrorCategory::batch_partial : ErrorCategory::ok;
  return r;
}

}  // namespace wfa
