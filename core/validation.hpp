#pragma once
/// Input rules shared by the tenancy nouns; each check throws InvalidInputError naming the field.
#include <string>
#include <string_view>

namespace wfa {

/// check_slug accepts 1-63 lowercase letters, digits and inner hyphens (a DNS label).
std::string check_slug(std::string_view field, std::string_view value);
/// check_hostname lowercases and strips a trailing dot; refuses schemes, paths, ports,
/// labels that break RFC 1123, names over 253 characters, single labels and numeric TLDs.
std::string check_hostname(std::string_view field, std::string_view value);
/// is_reserved_subdomain: names the platform keeps for itself (www, api, admin, ...).
bool is_reserved_subdomain(std::string_view label);
std::string check_email(std::string_view field, std::string_view value);
/// check_color accepts #RRGGBB (any case) and returns it uppercased.
std::string check_color(std::string_view field, std::string_view value);
bool is_uuid(std::string_view value);
/// check_timestamp accepts ISO 8601 dates and times; returns it for PostgreSQL to parse.
std::string check_timestamp(std::string_view field, std::string_view value);

}  // namespace wfa
