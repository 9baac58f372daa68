#include "pipelines/recipient_rows.hpp"

#include "core/formula_guard.hpp"
#include "core/validation.hpp"
#include "pipelines/utf8.hpp"

#include <algorithm>
#include <cctype>

namespace wfa {

namespace {

constexpr auto col = [](RecipientField f) { return static_cast<std::size_t>(f); };

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::uint32_t append_value(std::string& text, std::string_view value) {
  auto at = static_cast<std::uint32_t>(text.size());
  text.append(value);
  text.push_back('\0');
  return at;
}

void append_json_string(std::string& out, std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c < 0x20) {
      out.append("\\u00");
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

RecipientRowBuilder::RecipientRowBuilder(ColumnMapping mapping, PhoneReader phones, std::vector<std::string> timezones)
    : mapping_(std::move(mapping)), phones_(std::move(phones)), timezones_(std::move(timezones)) {}

std::string_view RecipientRowBuilder::phone_field(const CsvRecord& record) const {
  const auto& c = mapping_.field_column[col(RecipientField::phone)];
  if (record.issue != CsvIssue::none || record.fields.size() != mapping_.columns || !c) return {};
  return trim(record.fields[*c]);
}

void RecipientRowBuilder::prepare_phone(const CsvRecord& record, PreparedPhone& out) const {
  out.e164.clear();
  auto raw = phone_field(record);
  out.reading = raw.empty() ? PhoneReading{} : phones_.read(raw, out.e164);
}

std::string RecipientRowBuilder::build(const CsvRecord& record, RecipientBatch& batch, std::uint64_t& key) {
  prepare_phone(record, phone_);
  return build(record, phone_, batch, key);
}

bool RecipientRowBuilder::known_timezone(std::string_view tz) {
  if (tz == last_timezone_) return true;
  auto it = std::lower_bound(timezones_.begin(), timezones_.end(), tz,
                             [](const std::string& a, std::string_view b) { return a < b; });
  if (it == timezones_.end() || *it != tz) return false;
  last_timezone_ = tz;
  return true;
}

std::string RecipientRowBuilder::build(const CsvRecord& record, const PreparedPhone& phone, RecipientBatch& batch,
                                       std::uint64_t& key) {
  if (record.issue != CsvIssue::none)
    return std::string(csv_issue_text(record.issue)) + " at line " + std::to_string(record.issue_line);
  if (record.fields.size() != mapping_.columns)
    return "row has " + std::to_string(record.fields.size()) + " fields, the header has " +
           std::to_string(mapping_.columns);
  auto field = [&](RecipientField f) -> std::string_view {
    const auto& c = mapping_.field_column[col(f)];
    return c ? trim(record.fields[*c]) : std::string_view();
  };
  auto raw_phone = field(RecipientField::phone);
  if (raw_phone.empty()) return "phone is empty";
  if (!phone.reading.problem.empty()) return "phone '" + std::string(raw_phone) + "' " + phone.reading.problem;
  auto first = field(RecipientField::first_name), last = field(RecipientField::last_name);
  if (first.empty() && last.empty()) {
    auto full = field(RecipientField::full_name);
    auto space = full.find(' ');
    first = trim(full.substr(0, space));
    last = space == std::string_view::npos ? std::string_view() : trim(full.substr(space + 1));
  }
  auto company = field(RecipientField::company);
  // A file wfa exported comes back as it was: the spreadsheet-formula guard's ' is taken off again.
  first = without_formula_guard(first), last = without_formula_guard(last), company = without_formula_guard(company);
  // Line breaks inside a quoted cell become one space; any other control character is refused.
  std::string folded[3];
  std::string_view* names[3] = {&first, &last, &company};
  static const char* const labels[3] = {"first_name", "last_name", "company"};
  for (int k = 0; k < 3; ++k) {
    auto& value = *names[k];
    if (control_at(value, true) != std::string_view::npos)
      return std::string(labels[k]) + " contains a control character (a terminal escape or similar)";
    if (value.find_first_of("\t\r\n") != std::string_view::npos) value = folded[k] = fold_breaks(value);
    if (value.size() > max_name_chars && code_points(value) > max_name_chars)
      return std::string(labels[k]) + " is longer than " + std::to_string(max_name_chars) + " characters";
  }
  auto email = field(RecipientField::email);
  if (email.size() > max_email_chars) return "email is longer than " + std::to_string(max_email_chars) + " characters";
  if (!email.empty())
    if (auto why = email_problem(email); !why.empty()) return "email '" + std::string(email) + "' " + why;
  auto tz = field(RecipientField::timezone);
  if (!tz.empty() && !known_timezone(tz))
    return "timezone '" + std::string(tz) + "' is unknown (use an IANA name such as Asia/Dubai)";

  for (const auto& [index, name] : mapping_.variables) {
    auto v = record.fields[index];
    if (v.size() > max_variable_chars && code_points(v) > max_variable_chars)
      return "variable " + name + " is longer than " + std::to_string(max_variable_chars) + " characters";
  }

  auto& text = batch.text;
  std::array<std::uint32_t, recipient_row_columns> row;
  auto put = [&](std::size_t i, std::string_view v) { row[i] = v.empty() ? null_value : append_value(text, v); };
  put(0, phone.e164);
  put(1, first);
  put(2, last);
  put(3, email);
  put(4, company);
  put(5, tz);
  row[6] = static_cast<std::uint32_t>(text.size());
  text.push_back('{');
  bool any = false;
  for (const auto& [index, name] : mapping_.variables) {
    auto v = trim(record.fields[index]);
    if (v.empty()) continue;
    if (any) text.push_back(',');
    append_json_string(text, name);
    text.push_back(':');
    append_json_string(text, v);
    any = true;
  }
  text.push_back('}');
  text.push_back('\0');
  batch.rows.push_back(row);
  key = phone_key(phone.e164);
  if (phone.reading.read_as_international) ++read_as_international_;
  return {};
}

}  // namespace wfa
