#pragma once
/// The cells of an export written out: as RFC 4180 CSV text (RFC 3339 times, money in major units, the formula guard
/// on free text) or as typed XLSX cells.
#include <iosfwd>
#include <memory>
#include <vector>

#include "commands/export/export_cells.hpp"
#include "pipelines/xlsx_table.hpp"

namespace wfa {

/// csv_cells writes COLUMNS' header to OUT, then each row it receives; free text gets the formula guard when GUARD.
/// Rows are buffered in blocks; the sink's destructor writes the rest.
std::unique_ptr<CellSink> csv_cells(std::ostream& out, const std::vector<ExportColumn>& columns, bool guard);

/// xlsx_columns is each column's header and cell type.
std::vector<XlsxColumn> xlsx_columns(const std::vector<ExportColumn>& columns);
/// xlsx_cells writes the cells it receives into TABLE.
std::unique_ptr<CellSink> xlsx_cells(XlsxTable& table);

}  // namespace wfa
