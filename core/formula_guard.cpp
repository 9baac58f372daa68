#include "core/formula_guard.hpp"

namespace wfa {

namespace {

bool starts_formula(char c) { return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'; }

/// is_number is [+-]digits with optional . or , groups: a phone number or an amount.
bool is_number(std::string_view text) {
  std::size_t i = text.size() > 0 && (text[0] == '+' || text[0] == '-') ? 1 : 0;
  bool digit_before = false;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digit_before = true;
    } else if ((c == '.' || c == ',') && digit_before && i + 1 < text.size()) {
      digit_before = false;
    } else {
      return false;
    }
  }
  return digit_before;
}

}  // namespace

bool needs_formula_guard(std::string_view text) { return !text.empty() && starts_formula(text[0]) && !is_number(text); }

std::string formula_guarded(std::string_view text) {
  return needs_formula_guard(text) ? "'" + std::string(text) : std::string(text);
}

std::string_view without_formula_guard(std::string_view text) {
  if (text.size() >= 2 && text[0] == '\'' && needs_formula_guard(text.substr(1))) return text.substr(1);
  return text;
}

std::string formula_guard_sql(const std::string& column) {
  return "CASE WHEN " + column + " ~ '^[=+@\\t\\r-]' AND " + column + " !~ '^[+-]?[0-9]+([.,][0-9]+)*$' THEN '''' || " +
         column + " ELSE " + column + " END";
}

}  // namespace wfa
