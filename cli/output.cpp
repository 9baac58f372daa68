#include "cli/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace wfa {

namespace {

/// ordered_json keeps fields in the order commands list them, so JSON output is stable.
using Json = nlohmann::ordered_json;

constexpr std::string_view bold_on = "\x1b[1m";
constexpr std::string_view bold_off = "\x1b[0m";

/// parse_json returns nullopt for invalid text instead of throwing: bad jsonb must not kill a listing.
std::optional<Json> parse_json(const std::string& raw) {
  Json parsed = Json::parse(raw, nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

/// dump replaces invalid UTF-8 with U+FFFD: database text is not guaranteed valid and dump would throw.
std::string dump(const Json& value, int indent = -1) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

Json to_json(const Cell& cell) {
  switch (cell.kind()) {
    case Cell::Kind::null: return nullptr;
    case Cell::Kind::boolean: return cell.as_bool();
    case Cell::Kind::integer: return cell.as_integer();
    case Cell::Kind::text:
    case Cell::Kind::time: return cell.as_string();
    case Cell::Kind::json: return parse_json(cell.as_string()).value_or(Json(cell.as_string()));
  }
  return nullptr;
}

/// cell_at pads short rows with null so a malformed row never reads out of bounds.
const Cell& cell_at(const Row& row, std::size_t index) {
  static const Cell null_cell;
  return index < row.size() ? row[index] : null_cell;
}

Json row_object(const Table& table, const Row& row) {
  Json object = Json::object();
  for (std::size_t i = 0; i < table.columns.size(); ++i) object[table.columns[i]] = to_json(cell_at(row, i));
  return object;
}

/// one_line turns each run of tabs, CR and LF into one space so a value never breaks a row.
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_break = false;
  for (char c : text) {
    bool is_break = c == '\t' || c == '\n' || c == '\r';
    if (!is_break) out += c;
    else if (!in_break) out += ' ';
    in_break = is_break;
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

void render_json(const Result& result, const RenderOptions& options, std::ostream& out) {
  Json root = Json::object();
  root["schema_version"] = options.schema_version;
  for (const auto& [key, cell] : result.fields)
    if (key != "schema_version") root[key] = to_json(cell);
  for (const Table& table : result.tables) {
    Json rows = Json::array();
    for (const Row& row : table.rows) rows.push_back(row_object(table, row));
    root[table.name] = std::move(rows);
  }
  out << dump(root, 2) << '\n';
}

void render_ndjson(const Result& result, const RenderOptions& options, std::ostream& out) {
  if (result.tables.empty()) {
    Json object = Json::object();
    object["schema_version"] = options.schema_version;
    for (const auto& [key, cell] : result.fields)
      if (key != "schema_version") object[key] = to_json(cell);
    out << dump(object) << '\n';
    return;
  }
  for (const Table& table : result.tables)
    for (const Row& row : table.rows) out << dump(row_object(table, row)) << '\n';
}

/// Lines of one table block: UPPERCASE header, two-space gaps, last column unpadded, no trailing spaces.
std::vector<std::string> table_lines(const Table& table, bool color) {
  std::size_t n = table.columns.size();
  std::vector<std::vector<std::string>> texts;
  texts.reserve(table.rows.size() + 1);
  texts.emplace_back();
  for (const std::string& column : table.columns) texts.back().push_back(upper_ascii(one_line(column)));
  for (const Row& row : table.rows) {
    texts.emplace_back();
    for (std::size_t i = 0; i < n; ++i) texts.back().push_back(one_line(cell_at(row, i).to_text()));
  }
  std::vector<std::size_t> widths(n, 0);
  for (const auto& line : texts)
    for (std::size_t i = 0; i < n; ++i) widths[i] = std::max(widths[i], display_width(line[i]));
  std::vector<std::string> lines;
  for (const auto& cells : texts) {
    std::string line;
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) line += "  ";
      pad_to(line, cells[i], i + 1 < n ? widths[i] : 0);
    }
    trim_trailing_spaces(line);
    lines.push_back(std::move(line));
  }
  if (color) lines.front() = std::string(bold_on) + lines.front() + std::string(bold_off);
  return lines;
}

void render_table(const Result& result, const RenderOptions& options, std::ostream& out) {
  std::vector<std::vector<std::string>> blocks;
  if (!result.fields.empty()) {
    std::size_t key_width = 0;
    for (const auto& field : result.fields) key_width = std::max(key_width, display_width(one_line(field.first)));
    std::vector<std::string> lines;
    for (const auto& [key, cell] : result.fields) {
      std::string line;
      pad_to(line, one_line(key) + ":", key_width + 2);
      line += one_line(cell.to_text());
      trim_trailing_spaces(line);
      lines.push_back(std::move(line));
    }
    blocks.push_back(std::move(lines));
  }
  for (const Table& table : result.tables)
    if (!table.columns.empty()) blocks.push_back(table_lines(table, options.color));
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    if (b > 0) out << '\n';
    for (const std::string& line : blocks[b]) out << line << '\n';
  }
}

void render_plain(const Result& result, std::ostream& out) {
  for (const auto& [key, cell] : result.fields) out << one_line(key) << '\t' << one_line(cell.to_text()) << '\n';
  for (const Table& table : result.tables) {
    if (table.columns.empty()) continue;
    for (const Row& row : table.rows) {
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        if (i > 0) out << '\t';
        out << one_line(cell_at(row, i).to_text());
      }
      out << '\n';
    }
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
void render_csv(const Result& result, std::ostream& out) {
  std::vector<std::string> values;
  if (result.tables.empty()) {
    if (result.fields.empty()) return;
    std::vector<std::string> keys;
    for (const auto& [key, cell] : result.fields) {
      keys.push_back(key);
      values.push_back(cell.to_text());
    }
    csv_record(keys, out);
    csv_record(values, out);
    return;
  }
  const Table& table = result.tables.front();
  if (table.columns.empty()) return;
  csv_record(table.columns, out);
  for (const Row& row : table.rows) {
    values.clear();
    for (std::size_t i = 0; i < table.columns.size(); ++i) values.push_back(cell_at(row, i).to_text());
    csv_record(values, out);
  }
}

struct Range {
  char32_t first;
  char32_t last;
};

constexpr std::array zero_width_ranges{
    Range{0x0300, 0x036F}, Range{0x1AB0, 0x1AFF}, Range{0x1DC0, 0x1DFF}, Range{0x200B, 0x200F},
    Range{0x2060, 0x2064}, Range{0x20D0, 0x20FF}, Range{0xFE00, 0xFE0F}, Range{0xFE20, 0xFE2F},
    Range{0xFEFF, 0xFEFF},
};

constexpr std::array wide_ranges{
    Range{0x1100, 0x115F},   Range{0x2E80, 0x303E},   Range{0x3041, 0x33FF},   Range{0x3400, 0x4DBF},
    Range{0x4E00, 0x9FFF},   Range{0xA000, 0xA4CF},   Range{0xAC00, 0xD7A3},   Range{0xF900, 0xFAFF},
    Range{0xFE30, 0xFE4F},   Range{0xFF00, 0xFF60},   Range{0xFFE0, 0xFFE6},   Range{0x1F300, 0x1F64F},
    Range{0x1F900, 0x1F9FF}, Range{0x20000, 0x2FFFD}, Range{0x30000, 0x3FFFD},
};

template <std::size_t N>
bool in_ranges(char32_t cp, const std::array<Range, N>& ranges) {
  return std::any_of(ranges.begin(), ranges.end(), [cp](Range r) { return cp >= r.first && cp <= r.last; });
}

std::size_t code_point_width(char32_t cp) {
  if (in_ranges(cp, zero_width_ranges)) return 0;
  return in_ranges(cp, wide_ranges) ? 2 : 1;
}

/// decode_utf8 reads one code point at text[pos]; nullopt for an invalid, overlong, surrogate or truncated sequence.
std::optional<std::pair<char32_t, std::size_t>> decode_utf8(std::string_view text, std::size_t pos) {
  auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return std::pair{char32_t{lead}, std::size_t{1}};
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) { length = 2; cp = lead & 0x1F; minimum = 0x80; }
  else if (lead >= 0xE0 && lead <= 0xEF) { length = 3; cp = lead & 0x0F; minimum = 0x800; }
  else if (lead >= 0xF0 && lead <= 0xF4) { length = 4; cp = lead & 0x07; minimum = 0x10000; }
  else return std::nullopt;
  if (text.size() - pos < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return std::pair{cp, length};
}

}  // namespace

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  for (OutputFormat f : {OutputFormat::table, OutputFormat::plain, OutputFormat::json, OutputFormat::ndjson,
                         OutputFormat::csv})
    if (output_format_name(f) == name) return f;
  return std::nullopt;
}

std::string_view output_format_name(OutputFormat f) {
  switch (f) {
    case OutputFormat::table: return "table";
    case OutputFormat::plain: return "plain";
    case OutputFormat::json: return "json";
    case OutputFormat::ndjson: return "ndjson";
    case OutputFormat::csv: return "csv";
  }
  return "plain";
}

Cell::Cell() = default;
Cell Cell::null() { return Cell(); }
Cell::Cell(bool value) : kind_(Kind::boolean), boolean_(value) {}
Cell::Cell(std::int64_t value) : kind_(Kind::integer), integer_(value) {}
Cell::Cell(int value) : Cell(static_cast<std::int64_t>(value)) {}
Cell::Cell(std::string value) : kind_(Kind::text), text_(std::move(value)) {}
Cell::Cell(const char* value) {
  if (value == nullptr) return;
  kind_ = Kind::text;
  text_ = value;
}

Cell Cell::time(std::string rfc3339_utc) {
  Cell cell(std::move(rfc3339_utc));
  cell.kind_ = Kind::time;
  return cell;
}

Cell Cell::json(std::string raw_json) {
  Cell cell(std::move(raw_json));
  cell.kind_ = Kind::json;
  return cell;
}

std::string Cell::to_text() const {
  switch (kind_) {
    case Kind::null: return {};
    case Kind::boolean: return boolean_ ? "true" : "false";
    case Kind::integer: return std::to_string(integer_);
    case Kind::text:
    case Kind::time: return text_;
    case Kind::json: {
      auto parsed = parse_json(text_);
      return parsed ? dump(*parsed) : text_;
    }
  }
  return {};
}

void render(const Result& result, const RenderOptions& options, std::ostream& out) {
  switch (options.format) {
    case OutputFormat::table: render_table(result, options, out); break;
    case OutputFormat::plain: render_plain(result, out); break;
    case OutputFormat::json: render_json(result, options, out); break;
    case OutputFormat::ndjson: render_ndjson(result, options, out); break;
    case OutputFormat::csv: render_csv(result, out); break;
  }
}

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  for (std::size_t pos = 0; pos < utf8.size();) {
    auto decoded = decode_utf8(utf8, pos);
    if (!decoded) {
      ++width;
      ++pos;
      continue;
    }
    width += code_point_width(decoded->first);
    pos += decoded->second;
  }
  return width;
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

OutputFormat default_output_format(bool stdout_tty) { return stdout_tty ? OutputFormat::table : OutputFormat::plain; }

bool use_color(bool stdout_tty, const char* no_color_env, const char* term_env) {
  if (!stdout_tty) return false;
  if (no_color_env != nullptr && *no_color_env != '\0') return false;
  return term_env == nullptr || std::string_view(term_env) != "dumb";
}

}  // namespace wfa
