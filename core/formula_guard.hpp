#pragma once
/// The spreadsheet-formula guard (OWASP's CSV injection advice): a free-text cell that begins with =, +, -, @, tab
/// or CR is written with a leading ' in CSV output and exports, so a spreadsheet shows it instead of running it.
/// Numbers and phone numbers (+971…, -12.50) are data, not formulas, and pass as they are. `--raw` turns the guard off.
#include <string>
#include <string_view>

namespace wfa {

/// needs_formula_guard says whether TEXT would start a formula in a spreadsheet.
bool needs_formula_guard(std::string_view text);
/// formula_guarded is TEXT with the leading ' when it needs one.
std::string formula_guarded(std::string_view text);
/// without_formula_guard strips the ' that formula_guarded added, so an exported file imports back unchanged.
std::string_view without_formula_guard(std::string_view text);
/// formula_guard_sql is the same guard as a SQL expression over text COLUMN (for COPY … TO exports).
std::string formula_guard_sql(const std::string& column);

}  // namespace wfa
