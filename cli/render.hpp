#pragma once
/// The CLI's renderers: a Result goes to stdout as an aligned table, plain tab-separated text, CSV, JSON or NDJSON.
#include <cstddef>
#include <optional>
#include <ostream>
#include <string_view>

#include "core/result.hpp"

namespace wfa {

/// OutputFormat is the value of `-o`: table on a terminal, plain when piped, json/ndjson/csv for machines, and wide:
/// a table of every column (references, JSON objects, raw amounts), never shortened.
enum class OutputFormat { table, plain, json, ndjson, csv, wide };

/// parse_output_format accepts the exact lower-case names; anything else is nullopt (a usage error).
std::optional<OutputFormat> parse_output_format(std::string_view name);
std::string_view output_format_name(OutputFormat f);

struct RenderOptions {
  OutputFormat format = OutputFormat::plain;
  /// Bold table headers; the caller decides it with use_color().
  bool color = false;
  int schema_version = 1;
  /// Standard output is a terminal: CSV escapes control characters too (table and plain always do).
  bool terminal = false;
  /// CSV cells keep a leading = + - @ (no spreadsheet-formula guard: core/formula_guard.hpp).
  bool raw = false;
  /// Terminal columns a table fits into (its widest cells shortened with …); 0 = as wide as its content.
  std::size_t width = 0;
};

/// render writes result to out in options.format; it never throws on odd content (invalid UTF-8, bad json cells).
/// A document replaces the fields in table and plain output; machine columns appear only in JSON, NDJSON and wide.
/// A table leaves out references to other records (`*_id` columns) and JSON-object columns: wide shows them.
void render(const Result& result, const RenderOptions& options, std::ostream& out);

/// stdout_is_terminal decides the default format and colour: isatty(1).
bool stdout_is_terminal();
/// terminal_width is the width a table fits into: COLUMNS when it is a positive number, else the terminal's width
/// when standard output is one, else 0 (no limit).
std::size_t terminal_width(bool stdout_tty, const char* columns_env);
/// The default for `-o`: an aligned table on a terminal, plain (tab-separated, no header) when piped, as gh does.
OutputFormat default_output_format(bool stdout_tty);
/// Colour only on a terminal, never when NO_COLOR is set and non-empty (no-color.org) or TERM is "dumb".
/// The environment values are parameters (pass std::getenv results) so the rule is unit-testable.
bool use_color(bool stdout_tty, const char* no_color_env, const char* term_env);

}  // namespace wfa
