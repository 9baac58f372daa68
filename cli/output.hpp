#pragma once
/// The output model (Cell, Table, Result) and its renderers: data goes to stdout in one of five formats.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wfa {

/// OutputFormat is the value of `-o`: table on a terminal, plain when piped, json/ndjson/csv for machines.
enum class OutputFormat { table, plain, json, ndjson, csv };

/// parse_output_format accepts the exact lower-case names; anything else is nullopt (a usage error).
std::optional<OutputFormat> parse_output_format(std::string_view name);
std::string_view output_format_name(OutputFormat f);

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

/// Table is a list of rows; column names are the JSON field names. A row shorter than columns is padded with nulls.
struct Table {
  std::string name = "items";
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

/// Result is what a command's run_* returns: fields of one object and/or tables, plus a human summary.
/// render() never prints message: the caller writes it to stderr so stdout stays pure data.
struct Result {
  std::vector<std::pair<std::string, Cell>> fields;
  std::vector<Table> tables;
  std::string message;
};

struct RenderOptions {
  OutputFormat format = OutputFormat::plain;
  /// Bold table headers; the caller decides it with use_color().
  bool color = false;
  int schema_version = 1;
};

/// render writes result to out in options.format; it never throws on odd content (invalid UTF-8, bad json cells).
void render(const Result& result, const RenderOptions& options, std::ostream& out);

/// display_width counts terminal columns of UTF-8 text without locale: wide CJK/emoji 2, combining marks 0.
std::size_t display_width(std::string_view utf8);

/// stdout_is_terminal decides the default format and colour: isatty(1).
bool stdout_is_terminal();
/// The default for `-o`: an aligned table on a terminal, plain (tab-separated, no header) when piped, as gh does.
OutputFormat default_output_format(bool stdout_tty);
/// Colour only on a terminal, never when NO_COLOR is set and non-empty (no-color.org) or TERM is "dumb".
/// The environment values are parameters (pass std::getenv results) so the rule is unit-testable.
bool use_color(bool stdout_tty, const char* no_color_env, const char* term_env);

}  // namespace wfa
