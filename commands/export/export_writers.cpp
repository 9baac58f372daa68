// Export cells as CSV text or XLSX cells.
#include "commands/export/export_writers.hpp"

#include <charconv>
#include <ostream>
#include <string>

#include "core/formula_guard.hpp"

namespace wfa {

namespace {

/// PostgreSQL counts times in microseconds and dates in days from 2000-01-01: day 10957 of the Unix epoch and
/// Excel's serial 36526.
constexpr std::int64_t unix_2000_days = 10957;
constexpr double excel_2000 = 36526;
constexpr std::int64_t microseconds_per_day = 86400000000;

/// Civil is a proleptic Gregorian date.
struct Civil {
  std::int64_t year;
  unsigned month, day;
};

/// civil_from_days is the date DAYS after 1970-01-01 (H. Hinnant's algorithm).
Civil civil_from_days(std::int64_t days) {
  days += 719468;
  std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  auto doe = static_cast<unsigned>(days - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned day = doy - (153 * mp + 2) / 5 + 1;
  unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2), month, day};
}

void append_digits(std::string& out, std::uint64_t value, int width) {
  char text[24];
  for (int i = width - 1; i >= 0; --i, value /= 10) text[i] = static_cast<char>('0' + value % 10);
  out.append(text, static_cast<std::size_t>(width));
}

void append_uuid(std::string& out, std::string_view bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    auto b = static_cast<unsigned char>(bytes[i]);
    out += hex[b >> 4];
    out += hex[b & 15];
  }
}

void append_date(std::string& out, std::int64_t unix_days) {
  auto d = civil_from_days(unix_days);
  if (d.year < 0 || d.year > 9999) {
    out += std::to_string(d.year);
  } else {
    append_digits(out, static_cast<std::uint64_t>(d.year), 4);
  }
  out += '-';
  append_digits(out, d.month, 2);
  out += '-';
  append_digits(out, d.day, 2);
}

/// CsvCells formats each cell into a block of rows that goes to OUT every 256 KiB.
class CsvCells final : public CellSink {
 public:
  CsvCells(std::ostream& out, const std::vector<ExportColumn>& columns, bool guard)
      : out_(out), columns_(columns), guard_(guard) {
    block_.reserve(block_size + 4096);
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      separate(c);
      quoted(columns_[c].name);
    }
    block_ += "\r\n";
  }
  ~CsvCells() override { flush(); }

  void null(std::size_t column) override { separate(column); }
  void text(std::size_t column, std::string_view value) override {
    separate(column);
    if (value.empty()) {
      block_ += "\"\"";  // an empty string, which NULL's empty field is not
      return;
    }
    if (guard_ && columns_[column].kind == ExportKind::text && needs_formula_guard(value))
      quoted(formula_guarded(value));
    else
      quoted(value);
  }
  void uuid(std::size_t column, std::string_view bytes) override {
    separate(column);
    append_uuid(block_, bytes);
  }
  void integer(std::size_t column, std::int64_t value) override {
    separate(column);
    number(value);
  }
  void money(std::size_t column, std::int64_t scaled, int decimals) override {
    separate(column);
    if (decimals == 0) return number(scaled);
    std::uint64_t magnitude = scaled < 0 ? 0 - static_cast<std::uint64_t>(scaled) : static_cast<std::uint64_t>(scaled);
    std::uint64_t unit = 1;
    for (int i = 0; i < decimals; ++i) unit *= 10;
    if (scaled < 0) block_ += '-';
    number(static_cast<std::int64_t>(magnitude / unit));
    block_ += '.';
    append_digits(block_, magnitude % unit, decimals);
  }
  void time(std::size_t column, std::int64_t us) override {
    separate(column);
    auto day = us >= 0 ? us / microseconds_per_day : (us - microseconds_per_day + 1) / microseconds_per_day;
    auto of_day = static_cast<std::uint64_t>(us - day * microseconds_per_day);
    append_date(block_, day + unix_2000_days);
    block_ += 'T';
    append_digits(block_, of_day / 3600000000, 2);
    block_ += ':';
    append_digits(block_, of_day / 60000000 % 60, 2);
    block_ += ':';
    append_digits(block_, of_day / 1000000 % 60, 2);
    block_ += '.';
    append_digits(block_, of_day / 1000 % 1000, 3);
    block_ += 'Z';
  }
  void date(std::size_t column, std::int32_t days) override {
    separate(column);
    append_date(block_, days + unix_2000_days);
  }
  void boolean(std::size_t column, bool value) override {
    separate(column);
    block_ += value ? "true" : "false";
  }
  void infinite(std::size_t column, bool positive) override {
    separate(column);
    block_ += positive ? "infinity" : "-infinity";
  }
  void end_row() override {
    block_ += "\r\n";
    if (block_.size() >= block_size) flush();
  }

 private:
  static constexpr std::size_t block_size = 256 * 1024;

  void separate(std::size_t column) {
    if (column > 0) block_ += ',';
  }
  void number(std::int64_t value) {
    char text[24];
    auto end = std::to_chars(text, text + sizeof text, value).ptr;
    block_.append(text, end);
  }
  /// quoted writes TEXT per RFC 4180: in quotes, inner quotes doubled, only when it holds a comma, quote or line end.
  void quoted(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
      block_ += text;
      return;
    }
    block_ += '"';
    for (char c : text) {
      if (c == '"') block_ += '"';
      block_ += c;
    }
    block_ += '"';
  }
  void flush() {
    out_.write(block_.data(), static_cast<std::streamsize>(block_.size()));
    block_.clear();
  }

  std::ostream& out_;
  const std::vector<ExportColumn>& columns_;
  bool guard_;
  std::string block_;
};

class XlsxCells final : public CellSink {
 public:
  explicit XlsxCells(XlsxTable& table) : table_(table) {}

  void null(std::size_t) override {}
  void text(std::size_t column, std::string_view value) override { table_.text(column, value); }
  void uuid(std::size_t column, std::string_view bytes) override {
    text_.clear();
    append_uuid(text_, bytes);
    table_.text(column, text_);
  }
  void integer(std::size_t column, std::int64_t value) override { table_.integer(column, value); }
  void money(std::size_t column, std::int64_t scaled, int decimals) override {
    double unit = 1;
    for (int i = 0; i < decimals; ++i) unit *= 10;
    table_.number(column, static_cast<double>(scaled) / unit, decimals);
  }
  void time(std::size_t column, std::int64_t us) override {
    table_.date_time(column, excel_2000 + static_cast<double>(us) / static_cast<double>(microseconds_per_day));
  }
  void date(std::size_t column, std::int32_t days) override { table_.date(column, excel_2000 + days); }
  void boolean(std::size_t column, bool value) override { table_.boolean(column, value); }
  void infinite(std::size_t column, bool positive) override {
    table_.text(column, positive ? "infinity" : "-infinity");
  }
  void end_row() override { table_.end_row(); }

 private:
  XlsxTable& table_;
  std::string text_;
};

XlsxType xlsx_type(ExportKind kind) {
  switch (kind) {
    case ExportKind::integer:
      return XlsxType::integer;
    case ExportKind::money:
      return XlsxType::number;
    case ExportKind::time:
      return XlsxType::date_time;
    case ExportKind::date:
      return XlsxType::date;
    case ExportKind::boolean:
      return XlsxType::boolean;
    default:
      return XlsxType::text;
  }
}

}  // namespace

std::unique_ptr<CellSink> csv_cells(std::ostream& out, const std::vector<ExportColumn>& columns, bool guard) {
  return std::make_unique<CsvCells>(out, columns, guard);
}

std::vector<XlsxColumn> xlsx_columns(const std::vector<ExportColumn>& columns) {
  std::vector<XlsxColumn> out;
  for (const auto& c : columns) out.push_back({c.name, xlsx_type(c.kind)});
  return out;
}

std::unique_ptr<CellSink> xlsx_cells(XlsxTable& table) { return std::make_unique<XlsxCells>(table); }

}  // namespace wfa
