// Small operator files read whole through the one CSV reader.
#include "pipelines/csv_records.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "pipelines/csv_reader.hpp"

namespace wfa {

namespace {

std::string trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  auto end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string delimiter_name(char d) { return d == '\t' ? "tab" : std::string("'") + d + "'"; }

}  // namespace

CsvTable CsvTable::parse(std::string_view text, const std::string& source, CsvOptions options) {
  CsvTable table;
  table.source_ = source;
  CsvReader reader(text, source, options);
  CsvRecord record;
  if (!reader.next(record)) throw InvalidInputError(source + " is empty", "the first line must name the columns");
  if (record.issue != CsvIssue::none)
    throw InvalidInputError(
        source + ":" + std::to_string(record.issue_line) + ": header: " + std::string(csv_issue_text(record.issue)),
        "fix the header line");
  for (auto name : record.fields) {
    auto key = normalize_header(name);
    if (!key.empty()) {
      auto [at, fresh] = table.positions_.emplace(key, table.header_.size());
      if (!fresh)
        throw InvalidInputError(source + ":" + std::to_string(record.line) + ": column '" + key +
                                    "' appears twice (columns " + std::to_string(at->second + 1) + " and " +
                                    std::to_string(table.header_.size() + 1) + ")",
                                "rename or remove one of them");
    }
    table.header_.push_back(key);
  }
  while (reader.next(record)) {
    CsvRow row;
    row.line = record.line;
    row.fields.assign(record.fields.begin(), record.fields.end());
    if (record.issue != CsvIssue::none) {
      row.error = std::string(csv_issue_text(record.issue));
      if (record.issue_line != record.line) row.error += " (line " + std::to_string(record.issue_line) + ")";
    } else if (row.fields.size() != table.header_.size()) {
      row.error = std::to_string(row.fields.size()) + " fields, the header has " +
                  std::to_string(table.header_.size()) + " (quote fields that contain the delimiter, " +
                  delimiter_name(reader.delimiter()) + ")";
    }
    row.fields.resize(table.header_.size());
    table.records_.push_back(std::move(row));
  }
  return table;
}

std::optional<std::size_t> CsvTable::column(std::string_view name) const {
  auto it = positions_.find(name);
  if (it == positions_.end()) return std::nullopt;
  return it->second;
}

void CsvTable::require_columns(const std::vector<std::string>& names) const {
  for (const auto& name : names)
    if (!column(name))
      throw InvalidInputError(source_ + ":1: missing column '" + name + "'",
                              "the header must name the columns; see the man page for the format");
}

void CsvTable::require_well_formed() const {
  for (const auto& record : records_)
    if (!record.error.empty())
      throw InvalidInputError(where(record) + ": " + record.error, "fix the row and run again");
}

std::string CsvTable::where(const CsvRow& record) const { return source_ + ":" + std::to_string(record.line); }

std::string CsvTable::field(const CsvRow& record, std::string_view name) const {
  auto position = column(name);
  return position ? trim(record.fields[*position]) : std::string();
}

}  // namespace wfa
