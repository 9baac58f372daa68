// A whole-text RFC 4180 parser for small operator files.
#include "pipelines/csv_records.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace wfa {

namespace {

std::string trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  auto end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

/// Rows splits TEXT into records of fields, remembering the line each record starts on.
std::vector<CsvRow> split_rows(std::string_view text, const std::string& source) {
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  std::size_t line = 1;
  std::size_t quote_line = 0;
  bool in_quotes = false;
  bool field_started = false;
  row.line = 1;
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row = CsvRow{};
    row.line = line;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      ++line;
      end_row();
    } else {
      field += c;
      field_started = true;
    }
  }
  if (in_quotes)
    throw InvalidInputError(source + ":" + std::to_string(quote_line) + ": quoted field is never closed",
                            "close the quote, or double a quote inside the field (\"\")");
  if (field_started || !row.fields.empty()) end_row();
  return rows;
}

}  // namespace

CsvTable CsvTable::parse(std::string_view text, const std::string& source) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvTable table;
  table.source_ = source;
  auto rows = split_rows(text, source);
  if (rows.empty()) throw InvalidInputError(source + " is empty", "the first line must name the columns");
  for (auto& name : rows.front().fields) {
    auto key = trim(name);
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!key.empty() && !table.positions_.emplace(key, table.header_.size()).second)
      throw InvalidInputError(source + ":" + std::to_string(rows.front().line) + ": column '" + key + "' appears twice",
                              "rename or remove one of them");
    table.header_.push_back(key);
  }
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].fields.size() != table.header_.size()) {
      rows[i].error = std::to_string(rows[i].fields.size()) + " fields, the header has " +
                      std::to_string(table.header_.size()) + " (quote fields that contain commas)";
      rows[i].fields.resize(table.header_.size());
    }
    table.records_.push_back(std::move(rows[i]));
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
