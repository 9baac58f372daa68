#include "commands/tenancy/permission_match.hpp"

#include <array>

namespace wfa {

namespace {

/// split3 cuts TEXT at ':' into exactly three parts; false when the count differs.
bool split3(std::string_view text, std::array<std::string_view, 3>& parts) {
  std::size_t start = 0;
  for (int i = 0; i < 3; ++i) {
    auto colon = text.find(':', start);
    if (i < 2 && colon == std::string_view::npos) return false;
    if (i == 2 && colon != std::string_view::npos) return false;
    auto end = i == 2 ? text.size() : colon;
    parts[static_cast<std::size_t>(i)] = text.substr(start, end - start);
    start = end + 1;
  }
  return true;
}

bool is_name(std::string_view part) {
  if (part.empty() || part.front() < 'a' || part.front() > 'z') return false;
  for (char c : part)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace

bool is_well_formed_permission(std::string_view permission, bool allow_wildcards) {
  std::array<std::string_view, 3> parts;
  if (!split3(permission, parts)) return false;
  for (auto part : parts)
    if (!(is_name(part) || (allow_wildcards && part == "*"))) return false;
  return true;
}

bool grant_matches(std::string_view grant, std::string_view requested) {
  if (!is_well_formed_permission(grant, true) || !is_well_formed_permission(requested, false)) return false;
  std::array<std::string_view, 3> g, r;
  split3(grant, g);
  split3(requested, r);
  for (std::size_t i = 0; i < 3; ++i)
    if (g[i] != "*" && g[i] != r[i]) return false;
  return true;
}

bool grant_covers(std::string_view grant, std::string_view pattern) {
  if (!is_well_formed_permission(grant, true) || !is_well_formed_permission(pattern, true)) return false;
  std::array<std::string_view, 3> g, p;
  split3(grant, g);
  split3(pattern, p);
  for (std::size_t i = 0; i < 3; ++i)
    if (g[i] != "*" && g[i] != p[i]) return false;
  return true;
}

std::string_view permission_part(std::string_view permission, int i) {
  std::array<std::string_view, 3> parts;
  if (i < 0 || i > 2 || !is_well_formed_permission(permission, true) || !split3(permission, parts)) return {};
  return parts[static_cast<std::size_t>(i)];
}

}  // namespace wfa
