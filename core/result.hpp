#pragma once
/// The result model every verb returns to every front end: fields, tables, a summary, a category.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace wfa {

/// Cell is one value of a result row or field; its kind decides how JSON renders it.
class Cell {
 public:
  enum class Kind { null, boolean, integer, text, time, json };

  Cell();
  static Cell null();
  Cell(bool value);
  Cell(std::int64_t value);
  Cell(int value);
  Cell(std::string value);
  /// A null pointer makes a null cell rather than undefined behaviour.
  Cell(const char* value);
  /// An RFC 3339 UTC timestamp, e.g. "2026-11-22T04:39:58Z"; rendered as text, a JSON string.
  static Cell time(std::string rfc3339_utc);
  /// Already-serialised JSON (e.g. a jsonb column): embedded raw in JSON output, compact text elsewhere.
  static Cell json(std::string raw_json);

  Kind kind() const { return kind_; }
  /// The text shown in table/plain/csv: null is "", booleans "true"/"false", json compacted when valid.
  std::string to_text() const;
  /// Valid only for Kind::boolean.
  bool as_bool() const { return boolean_; }
  /// Valid only for Kind::integer.
  std::int64_t as_integer() const { return integer_; }
  /// The stored string of text, time and json cells; empty for the other kinds.
  const std::string& as_string() const { return text_; }

  bool operator==(const Cell&) const = default;

 private:
  Kind kind_ = Kind::null;
  bool boolean_ = false;
  std::int64_t integer_ = 0;
  std::string text_;
};

using Row = std::vector<Cell>;

/// RowStream delivers the rest of a table's rows while a front end renders it (a server-side cursor), so memory
/// stays flat; it lives no longer than the Session that made it.
class RowStream {
 public:
  virtual ~RowStream() = default;
  /// next replaces BATCH with the next rows; false (and BATCH empty) once the page or the list is exhausted.
  virtual bool next(std::vector<Row>& batch) = 0;
  /// next_cursor is what `--after` takes for the following page, once next() returned false; empty at the end.
  virtual std::string next_cursor() const = 0;
};

/// Table is a list of rows; column names are the JSON field names. A row shorter than columns is padded with nulls.
struct Table {
  Table(std::string table_name = "items", std::vector<std::string> column_names = {}, std::vector<Row> table_rows = {},
        std::size_t machine = 0)
      : name(std::move(table_name)),
        columns(std::move(column_names)),
        rows(std::move(table_rows)),
        machine_columns(machine) {}

  std::string name;
  std::vector<std::string> columns;
  std::vector<Row> rows;
  /// The last machine_columns columns (raw minor units, ids) are for programs: JSON shows them, text formats do not.
  std::size_t machine_columns = 0;
  /// Rows that follow `rows`, pulled while rendering; set on every list verb's table, so JSON says next_cursor.
  std::shared_ptr<RowStream> more;
};

/// StreamBody writes data that is not a table (a CSV export, help text) to the front end's output once run_*
/// has returned, while the Session is still alive; it returns the summary message.
using StreamBody = std::function<std::string(std::ostream& out)>;

/// Result is what a verb's run_* returns: fields of one object and/or tables, a human summary and a category.
/// A front end never shows message as data: the CLI writes it to stderr so stdout stays pure data.
struct Result {
  std::vector<std::pair<std::string, Cell>> fields;
  std::vector<Table> tables;
  std::string message;
  /// ok, or how a finished verb still failed in part (batch_partial) or answered no (permission for perm check).
  ErrorCategory category = ErrorCategory::ok;
  /// A document for a person (a rendered e-mail): text front ends show it instead of the fields.
  std::optional<std::string> document;
  /// Set instead of fields and tables when the data is a stream.
  StreamBody stream;
  /// A cron verb's report of its run: with --quiet a successful run prints nothing at all, not even the report.
  bool run_report = false;
};

/// as_run_report marks R as a cron verb's report (see Result::run_report).
inline Result as_run_report(Result r) {
  r.run_report = true;
  return r;
}

/// each_row calls VISIT for the table's rows, then for those its stream delivers; it stops pulling once OUT has
/// failed (a closed pipe), so the query behind the stream ends with the output.
void each_row(const Table& table, std::ostream& out, const std::function<void(const Row&)>& visit);

/// write_json writes result as one pretty JSON object: schema_version, the fields, then each table as an array
/// written row by row; a streamed (list) table is followed by "next_cursor" (null on the last page).
void write_json(const Result& result, int schema_version, std::ostream& out);
/// write_ndjson writes one compact JSON object per table row, or the fields as one object when there is no table.
void write_ndjson(const Result& result, int schema_version, std::ostream& out);

}  // namespace wfa
