#include "cli/render.hpp"

#include "core/formula_guard.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>

#include "cli/display_width.hpp"

namespace wfa {

namespace {

constexpr std::string_view bold_on = "\x1b[1m";
constexpr std::string_view bold_off = "\x1b[0m";

/// shown counts the columns text formats show: machine columns are left to JSON.
std::size_t shown(const Table& table) {
  return table.columns.size() - std::min(table.machine_columns, table.columns.size());
}

/// cell_at pads short rows with null so a malformed row never reads out of bounds.
const Cell& cell_at(const Row& row, std::size_t index) {
  static const Cell null_cell;
  return index < row.size() ? row[index] : null_cell;
}

/// append_escaped writes the control character C (C0, DEL) as visible text, so data cannot drive the terminal.
void append_escaped(std::string& out, unsigned char c) {
  static const char* hex = "0123456789ABCDEF";
  out += "\\x";
  out += hex[c >> 4];
  out += hex[c & 15];
}

/// one_line turns each run of tabs, CR and LF into one space so a value never breaks a row, and shows every other
/// C0 control, DEL and C1 control (U+0080-U+009F) as \xNN text: an imported name cannot clear the screen, retitle
/// the window or hide what follows it.
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_break = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    bool is_break = c == '\t' || c == '\n' || c == '\r';
    if (is_break) {
      if (!in_break) out += ' ';
    } else if (c < 0x20 || c == 0x7F) {
      append_escaped(out, c);
    } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      append_escaped(out, static_cast<unsigned char>(text[++i]));
    } else {
      out += static_cast<char>(c);
    }
    in_break = is_break;
  }
  return out;
}

/// shown_on_terminal keeps TEXT's line breaks but escapes every other control, for CSV written to a terminal.
std::string shown_on_terminal(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\n' && text[i] != '\r' && text[i] != '\t') continue;
    out += one_line(text.substr(start, i - start));
    if (i < text.size()) out += text[i];
    start = i + 1;
  }
  return out;
}

std::string upper_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

void trim_trailing_spaces(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
}

void pad_to(std::string& line, std::string_view text, std::size_t width) {
  line += text;
  std::size_t used = display_width(text);
  if (used < width) line.append(width - used, ' ');
}

constexpr std::string_view ellipsis = "\u2026";

/// shortened cuts TEXT to WIDTH terminal columns, the last one an ellipsis, never inside a UTF-8 sequence.
std::string shortened(const std::string& text, std::size_t width) {
  if (display_width(text) <= width) return text;
  if (width == 0) return {};
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t next = i + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    auto w = display_width(std::string_view(text).substr(i, next - i));
    if (used + w > width - 1) break;
    out.append(text, i, next - i);
    used += w;
    i = next;
  }
  return out + std::string(ellipsis);
}

/// is_reference: a `*_id` column points at another record; a table leaves it to wide (the record's own `id` stays).
bool is_reference(std::string_view column) { return column.size() > 3 && column.substr(column.size() - 3) == "_id"; }

/// holds_json: every non-null cell of COLUMN on the first page is JSON (an object or list), so a table leaves it out.
bool holds_json(const Table& table, std::size_t column) {
  bool any = false;
  for (const Row& row : table.rows) {
    const Cell& cell = cell_at(row, column);
    if (cell.kind() == Cell::Kind::null) continue;
    if (cell.kind() != Cell::Kind::json) return false;
    any = true;
  }
  return any;
}

/// TableLayout is which columns a table block shows and how wide each is.
struct TableLayout {
  std::vector<std::size_t> columns;
  std::vector<std::size_t> widths;
  bool fitted = false;
};

/// fit narrows the widest columns one step at a time until the row fits WIDTH; a column keeps at least its
/// header's width (and 8), and the record's own `id` is never shortened, as it is typed back into other verbs.
void fit(TableLayout& layout, const std::vector<std::string>& header, std::size_t width) {
  auto total = [&] {
    std::size_t sum = 2 * (layout.widths.size() - 1);
    for (auto w : layout.widths) sum += w;
    return sum;
  };
  std::vector<std::size_t> floor(layout.widths.size());
  for (std::size_t i = 0; i < floor.size(); ++i)
    floor[i] = header[i] == "ID" ? layout.widths[i]
                                 : std::min(layout.widths[i], std::max<std::size_t>(8, display_width(header[i])));
  while (total() > width) {
    std::size_t widest = floor.size();
    for (std::size_t i = 0; i < floor.size(); ++i)
      if (layout.widths[i] > floor[i] && (widest == floor.size() || layout.widths[i] > layout.widths[widest]))
        widest = i;
    if (widest == floor.size()) break;
    --layout.widths[widest];
    layout.fitted = true;
  }
}

/// table_cells is one row's shown texts, flattened to one line each and, when fitted, shortened to their column.
std::vector<std::string> table_cells(const Table& table, const Row& row, const TableLayout& layout) {
  std::vector<std::string> cells;
  for (std::size_t n = 0; n < layout.columns.size(); ++n) {
    auto text = one_line(cell_at(row, layout.columns[n]).to_text());
    cells.push_back(layout.fitted ? shortened(text, layout.widths[n]) : text);
  }
  return cells;
}

/// table_line pads every cell but the last to its column's width, two spaces apart, no trailing spaces.
std::string table_line(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += "  ";
    pad_to(line, cells[i], i + 1 < cells.size() ? widths[i] : 0);
  }
  trim_trailing_spaces(line);
  return line;
}

/// write_table_block writes the UPPERCASE header and the rows; widths come from the first page, so streamed rows
/// print as they arrive (a longer value later pushes its own line only, unless the table is fitted).
void write_table_block(const Table& table, const RenderOptions& options, std::ostream& out) {
  bool wide = options.format == OutputFormat::wide;
  TableLayout layout;
  std::size_t count = wide ? table.columns.size() : shown(table);
  for (std::size_t i = 0; i < count; ++i)
    if (wide || (!is_reference(table.columns[i]) && !holds_json(table, i))) layout.columns.push_back(i);
  std::vector<std::string> header;
  for (auto i : layout.columns) header.push_back(upper_ascii(one_line(table.columns[i])));
  for (const auto& name : header) layout.widths.push_back(display_width(name));
  for (const Row& row : table.rows) {
    auto cells = table_cells(table, row, layout);
    for (std::size_t n = 0; n < cells.size(); ++n)
      layout.widths[n] = std::max(layout.widths[n], display_width(cells[n]));
  }
  if (!wide && options.width > 0 && !layout.columns.empty()) fit(layout, header, options.width);
  std::string first = table_line(header, layout.widths);
  if (options.color) first = std::string(bold_on) + first + std::string(bold_off);
  out << first << '\n';
  each_row(table, out,
           [&](const Row& row) { out << table_line(table_cells(table, row, layout), layout.widths) << '\n'; });
}

void render_table(const Result& result, const RenderOptions& options, std::ostream& out) {
  bool first_block = true;
  if (!result.fields.empty()) {
    std::size_t key_width = 0;
    for (const auto& field : result.fields) key_width = std::max(key_width, display_width(one_line(field.first)));
    for (const auto& [key, cell] : result.fields) {
      std::string line;
      pad_to(line, one_line(key) + ":", key_width + 2);
      line += one_line(cell.to_text());
      trim_trailing_spaces(line);
      out << line << '\n';
    }
    first_block = false;
  }
  for (const Table& table : result.tables) {
    if (table.columns.empty()) continue;
    if (!first_block) out << '\n';
    write_table_block(table, options, out);
    first_block = false;
  }
}

void render_plain(const Result& result, std::ostream& out) {
  for (const auto& [key, cell] : result.fields) out << one_line(key) << '\t' << one_line(cell.to_text()) << '\n';
  for (const Table& table : result.tables) {
    if (table.columns.empty()) continue;
    each_row(table, out, [&](const Row& row) {
      for (std::size_t i = 0; i < shown(table); ++i) {
        if (i > 0) out << '\t';
        out << one_line(cell_at(row, i).to_text());
      }
      out << '\n';
    });
  }
}

/// csv_field quotes per RFC 4180 §2.6-2.7: only when needed, inner quotes doubled.
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void csv_record(const std::vector<std::string>& values, std::ostream& out) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out << ',';
    out << csv_field(values[i]);
  }
  out << "\r\n";
}

/// CSV holds one rectangle: the first table, or the fields as a one-row table when there is none.
/// csv_text is a cell as CSV shows it: the formula guard on text cells unless RAW, controls escaped on a terminal.
std::string csv_text(const Cell& cell, const RenderOptions& options) {
  auto text = cell.to_text();
  if (!options.raw && cell.kind() == Cell::Kind::text) text = formula_guarded(text);
  return options.terminal ? shown_on_terminal(text) : text;
}

void render_csv(const Result& result, const RenderOptions& options, std::ostream& out) {
  std::vector<std::string> values;
  if (result.tables.empty()) {
    if (result.fields.empty()) return;
    std::vector<std::string> keys;
    for (const auto& [key, cell] : result.fields) {
      keys.push_back(key);
      values.push_back(csv_text(cell, options));
    }
    csv_record(keys, out);
    csv_record(values, out);
    return;
  }
  const Table& table = result.tables.front();
  if (table.columns.empty()) return;
  std::vector<std::string> header(table.columns.begin(),
                                  table.columns.begin() + static_cast<std::ptrdiff_t>(shown(table)));
  csv_record(header, out);
  each_row(table, out, [&](const Row& row) {
    values.clear();
    for (std::size_t i = 0; i < header.size(); ++i) values.push_back(csv_text(cell_at(row, i), options));
    csv_record(values, out);
  });
}

}  // namespace

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  for (OutputFormat f : {OutputFormat::table, OutputFormat::plain, OutputFormat::json, OutputFormat::ndjson,
                         OutputFormat::csv, OutputFormat::wide})
    if (output_format_name(f) == name) return f;
  return std::nullopt;
}

std::string_view output_format_name(OutputFormat f) {
  switch (f) {
    case OutputFormat::table:
      return "table";
    case OutputFormat::plain:
      return "plain";
    case OutputFormat::json:
      return "json";
    case OutputFormat::ndjson:
      return "ndjson";
    case OutputFormat::csv:
      return "csv";
    case OutputFormat::wide:
      return "wide";
  }
  return "plain";
}

void render(const Result& result, const RenderOptions& options, std::ostream& out) {
  bool for_people = options.format == OutputFormat::table || options.format == OutputFormat::plain ||
                    options.format == OutputFormat::wide;
  if (result.document && for_people) {
    out << *result.document;
    return;
  }
  switch (options.format) {
    case OutputFormat::table:
    case OutputFormat::wide:
      render_table(result, options, out);
      break;
    case OutputFormat::plain:
      render_plain(result, out);
      break;
    case OutputFormat::json:
      write_json(result, options.schema_version, out);
      break;
    case OutputFormat::ndjson:
      write_ndjson(result, options.schema_version, out);
      break;
    case OutputFormat::csv:
      render_csv(result, options, out);
      break;
  }
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

std::size_t terminal_width(bool stdout_tty, const char* columns_env) {
  if (columns_env != nullptr && *columns_env != '\0') {
    char* end = nullptr;
    long n = std::strtol(columns_env, &end, 10);
    if (*end == '\0' && n > 0 && n < 100000) return static_cast<std::size_t>(n);
  }
  winsize size{};
  if (stdout_tty && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 0;
}

OutputFormat default_output_format(bool stdout_tty) { return stdout_tty ? OutputFormat::table : OutputFormat::plain; }

bool use_color(bool stdout_tty, const char* no_color_env, const char* term_env) {
  if (!stdout_tty) return false;
  if (no_color_env != nullptr && *no_color_env != '\0') return false;
  return term_env == nullptr || std::string_view(term_env) != "dumb";
}

}  // namespace wfa
