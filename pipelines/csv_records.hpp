#pragma once
/// Small CSV files read whole (locations, rate cards, proposal and mockup batches) through the one CSV reader
/// (csv_reader.hpp: delimiter detection, encodings, byte-order marks), with headers matched as every CSV header is
/// (normalize_header) and each record's line number for error messages.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipelines/csv_reader.hpp"

namespace wfa {

/// max_csv_table_bytes bounds a CSV file read whole; its readers refuse a longer one before parsing it.
constexpr std::size_t max_csv_table_bytes = 64u << 20;

/// CsvRow is one data row: the file line it starts on and its fields by column position.
struct CsvRow {
  std::size_t line = 0;
  std::vector<std::string> fields;
  std::string error;  ///< non-empty for a malformed row (wrong field count), which callers report per row
};

/// CsvTable is a parsed file: trimmed, lower-cased header names and the data rows.
class CsvTable {
 public:
  /// parse reads TEXT; SOURCE names the file in errors. A bad header (unreadable, a column named twice) is
  /// InvalidInputError with SOURCE:LINE; a malformed row (a quote never closed, text that is not valid UTF-8, the
  /// wrong number of fields) is kept with its error set, so a batch can fail that row and go on.
  static CsvTable parse(std::string_view text, const std::string& source, CsvOptions options = {});

  const std::vector<std::string>& header() const { return header_; }
  const std::vector<CsvRow>& records() const { return records_; }
  const std::string& source() const { return source_; }
  /// column returns the position of NAME (as normalize_header writes it), if the header has it.
  std::optional<std::size_t> column(std::string_view name) const;
  /// require_columns throws InvalidInputError naming the first of NAMES the header lacks.
  void require_columns(const std::vector<std::string>& names) const;
  /// require_well_formed throws InvalidInputError for the first malformed row (all-or-nothing imports).
  void require_well_formed() const;
  /// where is "SOURCE:LINE" for RECORD, the prefix of every per-row message.
  std::string where(const CsvRow& record) const;
  /// field is RECORD's value in column NAME, or "" when the header has no such column.
  std::string field(const CsvRow& record, std::string_view name) const;

 private:
  std::string source_;
  std::vector<std::string> header_;
  std::map<std::string, std::size_t, std::less<>> positions_;
  std::vector<CsvRow> records_;
};

}  // namespace wfa
