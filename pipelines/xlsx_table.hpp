#pragma once
/// One table as an XLSX workbook through libxlsxwriter in constant-memory mode: a row is written out as the next
/// begins, so memory stays flat whatever the row count. Typed cells (text, numbers with a fixed count of decimals,
/// integers, booleans, dates and date-times as Excel serials with a date format), a bold, filled and frozen header,
/// an autofilter over the data and column widths sized from the first rows; a sheet that reaches Excel's row limit
/// continues on a new sheet with the header repeated.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace wfa {

/// XlsxType is how a column's cells are written and formatted.
enum class XlsxType { text, number, integer, boolean, date_time, date };

struct XlsxColumn {
  std::string name;  ///< the header
  XlsxType type = XlsxType::text;
};

class XlsxTable {
 public:
  /// Excel's rows per worksheet, the header's included.
  static constexpr std::uint32_t excel_rows = 1048576;
  /// Excel's characters per cell; longer text is cut to this, ending in "…".
  static constexpr std::size_t max_cell_chars = 32767;
  /// The most decimals number() shows.
  static constexpr int max_decimals = 6;

  /// XlsxTable prepares the workbook PATH (written by close()) with the sheet SHEET and COLUMNS' header; libxlsxwriter
  /// keeps the rows in temporary files in TEMP_DIR until then. SHEET_ROWS (the header's included) is where a sheet
  /// ends, Excel's limit unless a test makes it small.
  XlsxTable(const std::string& path, const std::string& temp_dir, std::string sheet, std::vector<XlsxColumn> columns,
            std::uint32_t sheet_rows = excel_rows);
  ~XlsxTable();
  XlsxTable(const XlsxTable&) = delete;
  XlsxTable& operator=(const XlsxTable&) = delete;

  /// The cells of the current row; a column not written stays empty.
  void text(std::size_t column, std::string_view value);
  /// number shows VALUE with DECIMALS (0 to max_decimals) decimals: money in its currency's.
  void number(std::size_t column, double value, int decimals);
  void integer(std::size_t column, std::int64_t value);
  void boolean(std::size_t column, bool value);
  /// date_time and date take an Excel serial: days since 1899-12-30, the fraction the time of day (UTC wall time).
  void date_time(std::size_t column, double serial);
  void date(std::size_t column, double serial);
  /// end_row ends the current row; the next one starts a new sheet once this one is full.
  void end_row();

  /// close writes the workbook to PATH. Failures are InvalidInputError naming PATH.
  void close();

  std::uint64_t rows() const { return rows_; }
  std::size_t sheets() const { return sheets_; }

 private:
  /// ready starts the next sheet when the current one is full and a row follows.
  void ready() {
    if (full_) add_sheet();
  }
  void add_sheet();
  void finish_sheet();
  void apply_widths();
  void check(int error, std::string_view what) const;

  std::string path_, sheet_;
  std::vector<XlsxColumn> columns_;
  std::uint32_t sheet_rows_;
  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* worksheet_ = nullptr;
  lxw_format* header_ = nullptr;
  lxw_format* date_time_ = nullptr;
  lxw_format* date_ = nullptr;
  std::vector<lxw_format*> decimals_;
  std::vector<std::size_t> widest_;  ///< the widest text of each column in the first rows, in characters
  bool widths_known_ = false;
  bool full_ = false;      ///< the current sheet has sheet_rows rows
  std::uint32_t row_ = 1;  ///< the current row of the current sheet (0 is the header)
  std::uint64_t rows_ = 0;
  std::size_t sheets_ = 0;
  std::string cell_;  ///< the current text cell, NUL-terminated for libxlsxwriter
};

}  // namespace wfa
