#pragma once
/// An export's rows read with binary COPY and handed on as typed cells: ids, integers, times and dates arrive as the
/// server keeps them, so the server formats nothing (text formatting was half of its work for a CSV COPY) and wfa
/// writes each cell once, as CSV text or an XLSX cell.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/export/export_rules.hpp"
#include "core/pqxx_fwd.hpp"

namespace wfa {

/// CellSink receives one row's cells in column order, then end_row(); a NULL is null().
class CellSink {
 public:
  virtual ~CellSink() = default;
  virtual void null(std::size_t column) = 0;
  virtual void text(std::size_t column, std::string_view value) = 0;
  /// uuid is the 16 bytes of a uuid.
  virtual void uuid(std::size_t column, std::string_view bytes) = 0;
  virtual void integer(std::size_t column, std::int64_t value) = 0;
  /// money is SCALED / 10^DECIMALS, already rounded to the column's decimals.
  virtual void money(std::size_t column, std::int64_t scaled, int decimals) = 0;
  /// time is microseconds since 2000-01-01 UTC.
  virtual void time(std::size_t column, std::int64_t microseconds) = 0;
  /// date is days since 2000-01-01.
  virtual void date(std::size_t column, std::int32_t days) = 0;
  virtual void boolean(std::size_t column, bool value) = 0;
  /// infinite is a time or date of infinity (POSITIVE) or -infinity.
  virtual void infinite(std::size_t column, bool positive) = 0;
  virtual void end_row() = 0;
};

/// binary_select is the select list of COLUMNS for binary COPY: ids as uuid, text and JSON as text, integers and money
/// as int8 (money followed by its exponent), times as timestamptz, dates as date, booleans as bool.
std::string binary_select(const std::vector<ExportColumn>& columns);

/// copy_cells runs COPY (binary, of binary_select) and hands each row's cells to SINK; ROW_DONE is called after each
/// row and stops the export when it answers false. It returns the rows handed on.
std::int64_t copy_cells(pqxx::dbtransaction& tx, const std::string& copy, const std::vector<ExportColumn>& columns,
                        CellSink& sink, const std::function<bool()>& row_done);

}  // namespace wfa
