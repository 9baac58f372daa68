#pragma once
/// Input rules shared by the tenancy nouns; each check throws InvalidInputError naming the field.
#include <string>
#include <string_view>
#include <vector>

namespace wfa {

/// check_slug accepts 1-63 lowercase letters, digits and inner hyphens (a DNS label).
std::string check_slug(std::string_view field, std::string_view value);
/// check_hostname lowercases and strips a trailing dot, and returns an internationalised name as its A-label
/// (UTS #46, libidn2: bücher.de -> xn--bcher-kva.de); refuses schemes, paths, ports, labels that break RFC 1123,
/// xn-- labels that do not decode, names over 253 characters, single labels and numeric TLDs.
std::string check_hostname(std::string_view field, std::string_view value);
/// hostname_for_display is HOSTNAME (an A-label from check_hostname) as people read it: its U-label through libidn2
/// (xn--bcher-kva.example -> bücher.example), or HOSTNAME itself when it has no internationalised label.
std::string hostname_for_display(std::string_view hostname);
/// is_reserved_subdomain: names the platform keeps for itself (www, api, admin, ...).
bool is_reserved_subdomain(std::string_view label);
/// email_problem is why VALUE is not an e-mail address, "" when it is one: the one rule for flags, files and imports
/// (RFC 5322 dot-atom name of at most 64 bytes, a hostname with a top-level name of two or more letters, 254 in all).
std::string email_problem(std::string_view value);
/// check_email returns VALUE in lower case, or throws InvalidInputError naming FIELD with email_problem's reason.
std::string check_email(std::string_view field, std::string_view value);
/// check_color accepts #RRGGBB (any case) and returns it uppercased.
std::string check_color(std::string_view field, std::string_view value);
bool is_uuid(std::string_view value);

/// Choices is the fixed set of values of an enum-valued option (a status, a level): one list serves the check, the
/// CLI's IsMember (so --help and completion show it) and the man page.
using Choices = std::vector<std::string>;
/// check_choice throws UsageError (exit 2, as CLI11 would) unless VALUE is one of ALLOWED: "FIELD 'VALUE' is not
/// WHAT" ("a campaign status"), and the values as the hint.
void check_choice(std::string_view field, std::string_view value, const Choices& allowed, std::string_view what);
/// check_timestamp accepts ISO 8601 dates and times; returns it for PostgreSQL to parse.
std::string check_timestamp(std::string_view field, std::string_view value);

/// control_at is the offset of the first C0 control, DEL or C1 control (U+0080-U+009F) in TEXT, or npos; tab, CR
/// and LF count only when BREAKS is false. Single-line fields such as names refuse them: they could drive a terminal.
std::size_t control_at(std::string_view text, bool breaks = false);

/// fold_breaks replaces each run of tabs, CRs and LFs in TEXT with one space (a name typed over two lines in Excel).
std::string fold_breaks(std::string_view text);

/// code_points counts TEXT's code points (each invalid byte counts as one), for per-field length limits.
std::size_t code_points(std::string_view text);

/// max_name_chars is the length limit of names and titles, as the single_line__* database constraints hold it.
inline constexpr std::size_t max_name_chars = 200;

/// check_single_line throws InvalidInputError unless VALUE is one line of at most MAX_CHARS characters without
/// control characters (names, titles, addresses: they are printed in tables, PDFs and terminals). FIELD names it.
void check_single_line(std::string_view field, std::string_view value, std::size_t max_chars = max_name_chars);

/// check_display_name is the one rule for every name and title a user gives (partner, workspace, campaign, profile,
/// team, person, company): not blank, one line, at most max_name_chars characters, no control characters; exit 6
/// naming FIELD, with HINT saying what to give.
std::string check_display_name(std::string_view field, std::string_view value, std::string_view hint);

}  // namespace wfa
