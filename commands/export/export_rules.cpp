// The export engine: format and output, --since/--until, and COPY streamed into CSV, JSON, NDJSON or XLSX.
#include "commands/export/export_rules.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <ostream>

#include <pqxx/except>
#include <pqxx/subtransaction>
#include <pqxx/transaction>

#include "commands/export/export.hpp"
#include "commands/export/export_cells.hpp"
#include "commands/export/export_jobs.hpp"
#include "commands/export/export_writers.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/copy_out.hpp"
#include "core/file_io.hpp"
#include "core/grouping.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

/// Progress is drawn, and the cancellation polled, once per this many rows.
constexpr std::int64_t tick_rows = 4096;

/// extension_of is PATH's extension without its dot, in lower case.
std::string extension_of(const std::string& path) {
  auto text = std::filesystem::path(path).extension().string();
  if (!text.empty()) text.erase(0, 1);
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

/// enqueued_target is the target of an export O enqueues: its format must be given (no file here to take it from),
/// and it has no output here, since the file lands in the batch's output in the file store.
ExportTarget enqueued_target(const ExportOptions& o, Session& session) {
  if (!o.out.empty())
    throw UsageError(session.option("out") + " is not for " + session.option("enqueue") +
                         ": the file lands in the batch's output in the file store",
                     "drop " + session.option("out"));
  if (!o.format)
    throw UsageError(session.option("enqueue") + " needs " + session.option("format"),
                     "give " + session.option("format") + " xlsx, csv, json or ndjson");
  check_choice(session.option("format"), *o.format, export_formats, "an export format");
  if (session.settings().flag("raw"))
    throw UsageError(session.option("raw") + " does not reach an export job", "drop " + session.option("raw"));
  return {*o.format, ""};
}

/// json_sql is COLUMN's value as a JSON export shows it (row_to_json): times as RFC 3339 text, money as a number in
/// major units, JSON embedded.
std::string json_sql(const ExportColumn& c) {
  const std::string value = "(" + c.sql + ")";
  switch (c.kind) {
    case ExportKind::money:
      if (c.exponent.find_first_not_of("0123456789") == std::string::npos) {
        int exponent = std::stoi(c.exponent);
        return "round(" + value + "::numeric / 1" + std::string(static_cast<std::size_t>(exponent), '0') + ", " +
               std::to_string(std::min(exponent, c.max_decimals)) + ")";
      }
      return "round(" + value + "::numeric / 10::numeric ^ (" + c.exponent + "), least((" + c.exponent + ")::int, " +
             std::to_string(c.max_decimals) + "))";
    case ExportKind::time:
      return utc_ms_sql(value);
    case ExportKind::date:
      return "to_char(" + value + ", 'YYYY-MM-DD')";
    default:
      return value;
  }
}

std::string json_select(const std::vector<ExportColumn>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + json_sql(c) + " AS " + c.name;
  return out;
}

/// JsonArray turns the lines of `row_to_json` (one object a line) into one JSON array, row by row.
class JsonArray {
 public:
  explicit JsonArray(std::ostream& out) : out_(out) {}
  bool write(std::string_view data) {
    for (std::size_t at = 0; at < data.size();) {
      auto nl = data.find('\n', at);
      auto piece = data.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
      if (!piece.empty()) {
        out_ << (started_ ? (pending_ ? ",\n" : "") : "[\n");
        started_ = true;
        pending_ = false;
        out_.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      }
      if (nl == std::string_view::npos) break;
      pending_ = true;
      at = nl + 1;
    }
    return static_cast<bool>(out_);
  }
  void close() { out_ << (started_ ? "\n]\n" : "[]\n"); }

 private:
  std::ostream& out_;
  bool started_ = false, pending_ = false;
};

/// Streamer runs one export's COPY: the rows counted for the progress display, the cancellation polled.
class Streamer {
 public:
  Streamer(Session& session, std::string label) : session_(session), shown_(session.progress()) {
    shown_->start(std::move(label), std::nullopt);
  }
  ~Streamer() { shown_->finish(); }

  /// row counts one row; false once the session is cancelled.
  bool row() {
    if (++rows_ % tick_rows != 0) return true;
    shown_->update(static_cast<std::size_t>(rows_));
    return !session_.cancellation().cancelled();
  }
  std::int64_t rows() const { return rows_; }
  void stop_if_cancelled(const std::string& what) const {
    if (session_.cancellation().cancelled())
      throw InterruptedError("interrupted: the export stopped after " + group_thousands(std::uint64_t(rows_)) +
                             " rows; " + what);
  }

 private:
  Session& session_;
  std::unique_ptr<Progress> shown_;
  std::int64_t rows_ = 0;
};

/// copy_text streams a CSV, JSON or NDJSON export to OUT and returns its row count.
std::int64_t copy_text(pqxx::dbtransaction& tx, const ExportPlan& plan, const ExportTarget& target, bool guard,
                       std::ostream& out, Session& session, const std::string& if_stopped) {
  auto rows = plan.rows;
  Streamer streamer(session, plan.plural);
  std::int64_t count = 0;
  if (target.format == "csv") {
    // Binary COPY, formatted here: the server only reads the rows (its CSV formatting cost as much again).
    rows.select(binary_select(plan.columns));
    auto cells = csv_cells(out, plan.columns, guard);
    count = copy_cells(tx, "COPY (" + rows.copy_sql(tx) + ") TO STDOUT WITH (FORMAT binary)", plan.columns, *cells,
                       [&] { return streamer.row() && static_cast<bool>(out); });
  } else {
    // One JSON object a line: JSON text holds no raw control characters, so CSV with these separators passes it
    // through untouched.
    rows.select(json_select(plan.columns));
    auto copy = "COPY (SELECT row_to_json(x)::text FROM (" + rows.copy_sql(tx) +
                ") x) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')";
    JsonArray array(out);
    count = copy_out(tx, copy, [&](std::string_view data) {
      bool written = target.format == "json" ? array.write(data)
                                             : static_cast<bool>(out.write(data.data(), std::streamsize(data.size())));
      return streamer.row() && written;
    });
    if (target.format == "json") array.close();
  }
  streamer.stop_if_cancelled(if_stopped);
  return count;
}

std::string size_text(std::uintmax_t bytes) {
  char text[32];
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  if (bytes < 1024 * 1024)
    std::snprintf(text, sizeof text, "%.1f KB", static_cast<double>(bytes) / 1024);
  else
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024 * 1024));
  return text;
}

}  // namespace

ExportTarget export_target(const ExportOptions& o, Session& session) {
  if (o.enqueue) return enqueued_target(o, session);
  if (o.out.empty())
    throw UsageError("where to? the export has no output file",
                     "give " + session.option("out") + " FILE, or - for standard output");
  ExportTarget target{"", o.out};
  if (o.format) {
    check_choice(session.option("format"), *o.format, export_formats, "an export format");
    target.format = *o.format;
  } else {
    auto extension = extension_of(o.out);
    for (const auto& format : export_formats)
      if (extension == format) target.format = format;
    if (target.format.empty())
      throw UsageError("which format? " + session.option("out") + " '" + o.out + "' does not say",
                       "give " + session.option("format") + " xlsx, csv, json or ndjson");
  }
  if (target.format == "xlsx" && target.to_stdout())
    throw UsageError("an XLSX workbook is not written to standard output",
                     "give " + session.option("out") + " FILE.xlsx, or " + session.option("format") + " csv");
  return target;
}

std::shared_ptr<pqxx::dbtransaction> export_transaction(Session& session) {
  auto tx = list_transaction(session);
  tx->exec("SET LOCAL TIME ZONE 'UTC'");  // a time without an offset is UTC (SPEC §2), and so are the rows
  return tx;
}

ExportWindow export_window(pqxx::dbtransaction& tx, Session& session, const ExportOptions& o) {
  auto instant = [&](const std::optional<std::string>& value, const char* option) -> std::optional<std::string> {
    if (!value) return std::nullopt;
    auto field = session.option(option);
    auto checked = check_timestamp(field, *value);
    try {
      pqxx::subtransaction check(tx, "export_window");
      auto text = check.exec_params("SELECT " + utc_ms_sql("$1::timestamptz"), checked)[0][0].as<std::string>();
      check.commit();
      return text;
    } catch (const pqxx::data_exception&) {
      throw InvalidInputError(field + " '" + *value + "' is not a valid time",
                              "give an RFC 3339 time or a date, e.g. 2026-11-01 or 2026-11-01T00:00:00Z");
    }
  };
  ExportWindow window{instant(o.since, "since"), instant(o.until, "until")};
  if (window.since && window.until && *window.since >= *window.until)
    throw InvalidInputError(session.option("since") + " '" + *o.since + "' is not before " + session.option("until") +
                                " '" + *o.until + "'",
                            "give a window that ends after it begins");
  return window;
}

void within(ListQuery& query, const ExportWindow& window, const std::string& column) {
  query.where(column + " >= ?::timestamptz", window.since).where(column + " < ?::timestamptz", window.until);
}

std::optional<WorkspaceRef> workspace_scope(pqxx::dbtransaction& tx, Session& session, const ExportOptions& o,
                                            ListQuery& rows, const std::string& column, std::string_view permission,
                                            const std::string& what, bool scoped) {
  if (o.workspace) {
    auto ws = workspace_for(tx, session, *o.workspace, permission);
    rows.where(column + " = ?::uuid", ws.id);
    return ws;
  }
  if (!scoped) require_super_admin(actor_of(tx, session), what + " (give " + session.option("workspace") + ")");
  return std::nullopt;
}

Result run_export(std::shared_ptr<pqxx::dbtransaction> tx, ExportPlan plan, const ExportTarget& target,
                  const ExportOptions& o, Session& session) {
  if (o.enqueue) {
    tx->commit();  // the rights are checked; the job reads the rows when it runs
    return enqueue_export(plan, target, o, session);
  }
  bool guard = !session.settings().flag("raw");
  auto interruptible = session.interruptible();
  auto message = [noun = plan.noun, plural = plan.plural](std::int64_t count) {
    return "exported " + group_thousands(std::uint64_t(count)) + " " + (count == 1 ? noun : plural);
  };
  Result r;
  if (target.to_stdout()) {
    // Standard output stays pure data: the rows are the stream, the summary goes to the front end's messages.
    r.stream = [tx, plan = std::move(plan), target, guard, message, interruptible, &session](std::ostream& out) {
      auto count = copy_text(*tx, plan, target, guard, out, session, "the output is incomplete");
      out.flush();
      return message(count);
    };
    return r;
  }
  AtomicFileWriter file(target.out);
  std::int64_t count = 0;
  std::size_t sheets = 0;
  if (target.format == "xlsx") {
    auto folder = std::filesystem::path(target.out).parent_path();
    XlsxTable table(file.temp_path().string(), folder.empty() ? "." : folder.string(), plan.sheet,
                    xlsx_columns(plan.columns), o.sheet_rows);
    Streamer streamer(session, plan.plural);
    plan.rows.select(binary_select(plan.columns));
    auto cells = xlsx_cells(table);
    count = copy_cells(*tx, "COPY (" + plan.rows.copy_sql(*tx) + ") TO STDOUT WITH (FORMAT binary)", plan.columns,
                       *cells, [&streamer] { return streamer.row(); });
    streamer.stop_if_cancelled(target.out + " was not written");
    table.close();
    sheets = table.sheets();
  } else {
    count = copy_text(*tx, plan, target, guard, file.stream(), session, target.out + " was not written");
  }
  file.commit();
  auto bytes = std::filesystem::file_size(target.out);
  r.fields = {{"file", Cell(target.out)},
              {"format", Cell(target.format)},
              {"rows", Cell(count)},
              {"sheets", sheets ? Cell(static_cast<std::int64_t>(sheets)) : Cell::null()},
              {"bytes", Cell(static_cast<std::int64_t>(bytes))}};
  r.message = message(count) + " to " + target.out + " (" +
              (sheets ? std::to_string(sheets) + (sheets == 1 ? " sheet, " : " sheets, ") : "") + size_text(bytes) +
              ")";
  return r;
}

}  // namespace wfa
