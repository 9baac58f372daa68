#include "pipelines/xlsx_table.hpp"

#include <dlfcn.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

// libxlsxwriter 1.1 packs the workbook through minizip at zlib's default level (6), which took two thirds of a
// 1,000,000-row export. Its calls bind to this definition (the executable's symbols come before the libraries'),
// which passes them on with level 1: the file is a quarter larger and packed three times as fast.
extern "C" int zipOpenNewFileInZip4_64(void* file, const char* filename, const void* zipfi,
                                       const void* extrafield_local, unsigned size_extrafield_local,
                                       const void* extrafield_global, unsigned size_extrafield_global,
                                       const char* comment, int method, int level, int raw, int window_bits,
                                       int mem_level, int strategy, const char* password,
                                       unsigned long crc_for_crypting, unsigned long version_made_by,
                                       unsigned long flag_base, int zip64) {
  using Open = int (*)(void*, const char*, const void*, const void*, unsigned, const void*, unsigned, const char*, int,
                       int, int, int, int, int, const char*, unsigned long, unsigned long, unsigned long, int);
  static const auto minizip = reinterpret_cast<Open>(dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64"));
  if (minizip == nullptr) return -104;  // ZIP_INTERNALERROR: libxlsxwriter reports the workbook unwritable
  return minizip(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
                 size_extrafield_global, comment, method, level == 0 ? 0 : 1, raw, window_bits, mem_level, strategy,
                 password, crc_for_crypting, version_made_by, flag_base, zip64);
}

namespace wfa {

namespace {

/// Column widths are sized from the header and this many first rows.
constexpr std::uint64_t sampled_rows = 500;
constexpr double narrowest = 10, widest = 60;

std::size_t characters(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

/// cut keeps the first max_cell_chars - 1 characters of TEXT (whole UTF-8 sequences) and adds "…".
std::string_view cut_to_cell(std::string_view text, std::string& out) {
  std::size_t n = 0, at = 0;
  for (; at < text.size(); ++at) {
    if ((static_cast<unsigned char>(text[at]) & 0xC0) != 0x80 && ++n == XlsxTable::max_cell_chars) break;
  }
  out.assign(text.substr(0, at));
  out += "\xE2\x80\xA6";
  return out;
}

}  // namespace

XlsxTable::XlsxTable(const std::string& path, const std::string& temp_dir, std::string sheet,
                     std::vector<XlsxColumn> columns, std::uint32_t sheet_rows)
    : path_(path),
      sheet_(std::move(sheet)),
      columns_(std::move(columns)),
      sheet_rows_(std::clamp<std::uint32_t>(sheet_rows, 2, excel_rows)),
      widest_(columns_.size(), 0) {
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = const_cast<char*>(temp_dir.c_str());
  workbook_ = workbook_new_opt(path_.c_str(), &options);
  if (workbook_ == nullptr) throw InvalidInputError("cannot start the workbook " + path_, "check the disk and memory");
  header_ = workbook_add_format(workbook_);
  format_set_bold(header_);
  format_set_pattern(header_, LXW_PATTERN_SOLID);
  format_set_bg_color(header_, 0xD9E1F2);
  format_set_bottom(header_, LXW_BORDER_THIN);
  date_time_ = workbook_add_format(workbook_);
  format_set_num_format(date_time_, "yyyy-mm-dd hh:mm:ss");
  date_ = workbook_add_format(workbook_);
  format_set_num_format(date_, "yyyy-mm-dd");
  std::string zeros;
  for (int d = 0; d <= max_decimals; ++d) {
    auto* format = workbook_add_format(workbook_);
    format_set_num_format(format, d == 0 ? "0" : ("0." + zeros).c_str());
    decimals_.push_back(format);
    zeros += '0';
  }
  for (std::size_t c = 0; c < columns_.size(); ++c) widest_[c] = characters(columns_[c].name);
  add_sheet();
}

XlsxTable::~XlsxTable() {
  if (workbook_ != nullptr) lxw_workbook_free(workbook_);
}

void XlsxTable::check(int error, std::string_view what) const {
  if (error != LXW_NO_ERROR)
    throw InvalidInputError(
        "cannot write " + std::string(what) + " of " + path_ + ": " + lxw_strerror(static_cast<lxw_error>(error)),
        "check the disk space where the file goes");
}

void XlsxTable::add_sheet() {
  ++sheets_;
  std::string name = sheets_ == 1 ? sheet_ : sheet_ + " " + std::to_string(sheets_);
  worksheet_ = workbook_add_worksheet(workbook_, name.c_str());
  if (worksheet_ == nullptr) check(LXW_ERROR_MEMORY_MALLOC_FAILED, "sheet " + name);
  for (std::size_t c = 0; c < columns_.size(); ++c)
    check(worksheet_write_string(worksheet_, 0, static_cast<lxw_col_t>(c), columns_[c].name.c_str(), header_),
          "the header");
  worksheet_freeze_panes(worksheet_, 1, 0);
  if (widths_known_) apply_widths();
  row_ = 1;
  full_ = false;
}

void XlsxTable::finish_sheet() {
  if (!widths_known_) apply_widths();
  if (!columns_.empty())
    check(worksheet_autofilter(worksheet_, 0, 0, row_ - 1, static_cast<lxw_col_t>(columns_.size() - 1)),
          "the autofilter");
}

void XlsxTable::apply_widths() {
  widths_known_ = true;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    double header = static_cast<double>(characters(columns_[c].name)) + 3;  // room for the filter's button
    double width = 0;
    switch (columns_[c].type) {
      case XlsxType::date_time:
        width = 20;
        break;
      case XlsxType::date:
        width = 12;
        break;
      case XlsxType::boolean:
        width = 8;
        break;
      case XlsxType::integer:
      case XlsxType::number:
        width = 14;
        break;
      case XlsxType::text:
        width = std::clamp(static_cast<double>(widest_[c]) + 2, narrowest, widest);
        break;
    }
    width = std::max(width, std::min(header, widest));
    check(worksheet_set_column(worksheet_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), width, nullptr),
          "the column widths");
  }
}

void XlsxTable::text(std::size_t column, std::string_view value) {
  ready();
  if (!widths_known_) widest_[column] = std::max(widest_[column], characters(value));
  if (value.size() > max_cell_chars && characters(value) > max_cell_chars)
    value = cut_to_cell(value, cell_);
  else
    cell_.assign(value);
  check(worksheet_write_string(worksheet_, row_, static_cast<lxw_col_t>(column), cell_.c_str(), nullptr), "a cell");
}

void XlsxTable::number(std::size_t column, double value, int decimals) {
  ready();
  auto* format = decimals_[static_cast<std::size_t>(std::clamp(decimals, 0, max_decimals))];
  check(worksheet_write_number(worksheet_, row_, static_cast<lxw_col_t>(column), value, format), "a cell");
}

void XlsxTable::integer(std::size_t column, std::int64_t value) {
  ready();
  check(worksheet_write_number(worksheet_, row_, static_cast<lxw_col_t>(column), static_cast<double>(value), nullptr),
        "a cell");
}

void XlsxTable::boolean(std::size_t column, bool value) {
  ready();
  check(worksheet_write_boolean(worksheet_, row_, static_cast<lxw_col_t>(column), value ? 1 : 0, nullptr), "a cell");
}

void XlsxTable::date_time(std::size_t column, double serial) {
  ready();
  check(worksheet_write_number(worksheet_, row_, static_cast<lxw_col_t>(column), serial, date_time_), "a cell");
}

void XlsxTable::date(std::size_t column, double serial) {
  ready();
  check(worksheet_write_number(worksheet_, row_, static_cast<lxw_col_t>(column), serial, date_), "a cell");
}

void XlsxTable::end_row() {
  ready();
  ++rows_;
  if (!widths_known_ && rows_ == sampled_rows) apply_widths();
  if (++row_ < sheet_rows_) return;
  finish_sheet();
  full_ = true;
}

void XlsxTable::close() {
  if (!full_) finish_sheet();
  auto* workbook = workbook_;
  workbook_ = nullptr;
  check(workbook_close(workbook), "the workbook");
}

}  // namespace wfa
