#include "core/validation.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <idn2.h>

#include "core/error.hpp"
#include "core/utf8.hpp"

namespace wfa {

namespace {

bool is_label_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

/// label_problem explains why LABEL is not an RFC 1123 label, or returns empty.
std::string label_problem(std::string_view label) {
  if (label.empty()) return "has an empty label";
  if (label.size() > 63) return "has a label longer than 63 characters";
  if (label.front() == '-' || label.back() == '-') return "has a label that starts or ends with '-'";
  if (!std::all_of(label.begin(), label.end(), is_label_char)) return "may only contain letters, digits, '-' and '.'";
  return {};
}

std::string lower(std::string_view value) {
  std::string out(value);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

[[noreturn]] void invalid(std::string_view field, std::string_view value, const std::string& why,
                          const std::string& hint) {
  throw InvalidInputError(std::string(field) + " '" + std::string(value) + "' " + why, hint);
}

}  // namespace

std::string check_slug(std::string_view field, std::string_view value) {
  if (value.empty()) invalid(field, value, "is empty", "use lowercase letters, digits and hyphens");
  if (lower(value) != value) invalid(field, value, "must be lowercase", "use lowercase letters, digits and hyphens");
  if (!label_problem(value).empty())
    invalid(field, value, "is not a valid slug",
            "use 1-63 lowercase letters, digits and inner hyphens, not at either end");
  return std::string(value);
}

std::string check_hostname(std::string_view field, std::string_view value) {
  const std::string hint = "give a bare hostname such as app.example.com";
  if (value.find("://") != std::string_view::npos) invalid(field, value, "must not include a scheme", hint);
  if (value.find_first_of("/?#") != std::string_view::npos) invalid(field, value, "must not include a path", hint);
  if (value.find(':') != std::string_view::npos) invalid(field, value, "must not include a port", hint);
  std::string host = lower(value);
  if (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty()) invalid(field, value, "is empty", hint);
  if (utf8_invalid_at(value) != std::string_view::npos) invalid(field, value, "is not valid UTF-8 text", hint);
  if (std::any_of(host.begin(), host.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    // An internationalised name (bücher.de, مثال.إختبار) is kept as its A-label, per UTS #46 (libidn2).
    char* ascii = nullptr;
    int rc = idn2_to_ascii_8z(std::string(value).c_str(), &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    if (rc != IDN2_OK) invalid(field, value, "is not a valid internationalised domain name", hint);
    host.assign(ascii);
    idn2_free(ascii);
    if (!host.empty() && host.back() == '.') host.pop_back();
  }
  for (std::size_t start = 0; start < host.size();) {  // an A-label must decode: no made-up xn-- label
    auto end = std::min(host.find('.', start), host.size());
    if (host.compare(start, 4, "xn--") == 0) {
      auto label = host.substr(start, end - start);
      char* unicode = nullptr;
      char* again = nullptr;
      bool valid = idn2_to_unicode_8z8z(label.c_str(), &unicode, 0) == IDN2_OK &&
                   idn2_to_ascii_8z(unicode, &again, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) == IDN2_OK &&
                   label == again;  // a valid A-label decodes and encodes back to itself
      idn2_free(unicode);
      idn2_free(again);
      if (!valid) invalid(field, value, "has an xn-- label that is not a valid A-label", hint);
    }
    start = end + 1;
  }
  if (host.size() > 253) invalid(field, value, "is longer than 253 characters", hint);
  std::size_t labels = 0, start = 0;
  std::string_view last;
  while (start <= host.size()) {
    auto end = host.find('.', start);
    if (end == std::string::npos) end = host.size();
    std::string_view label(host.data() + start, end - start);
    if (auto why = label_problem(label); !why.empty()) invalid(field, value, why, hint);
    last = label;
    ++labels;
    start = end + 1;
  }
  if (labels < 2) invalid(field, value, "needs at least two labels", hint);
  if (std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; }))
    invalid(field, value, "has a numeric top-level label (IP addresses are not hostnames)", hint);
  return host;
}

bool is_reserved_subdomain(std::string_view label) {
  static constexpr std::array<std::string_view, 24> reserved = {
      "www",  "api",  "app",    "admin", "administrator", "root",     "mail",     "smtp",
      "imap", "pop",  "ftp",    "ns1",   "ns2",           "dns",      "status",   "support",
      "help", "docs", "static", "cdn",   "assets",        "webhooks", "platform", "billing"};
  return std::find(reserved.begin(), reserved.end(), label) != reserved.end();
}

std::string email_problem(std::string_view value) {
  std::string email = lower(value);
  auto at = email.rfind('@');
  if (at == std::string::npos || at == 0) return "is not an e-mail address";
  if (email.size() > 254) return "is longer than 254 characters";
  std::string_view local(email.data(), at);
  if (local.size() > 64) return "has a part before @ longer than 64 characters";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return "has a dot at the start or end of its name, or two in a row";
  static constexpr std::string_view specials = "!#$%&'*+/=?^_`{|}~-.";
  for (unsigned char c : local)  // RFC 5322 dot-atom; bytes above 0x7F are UTF-8 names (RFC 6531)
    if (!(std::isalnum(c) || c >= 0x80 || specials.find(char(c)) != std::string_view::npos))
      return "has a character an e-mail name cannot hold: '" + std::string(1, char(c)) + "'";
  std::string_view domain = std::string_view(email).substr(at + 1);
  auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || domain.size() - dot - 1 < 2)
    return "has a domain without a top-level name of two or more letters";
  try {
    check_hostname("domain", domain);
  } catch (const InvalidInputError&) {
    return "has a domain that is not a valid hostname (letters, digits and inner hyphens per label)";
  }
  return {};
}

std::string hostname_for_display(std::string_view hostname) {
  std::string host(hostname);
  if (host.find("xn--") == std::string::npos) return host;
  char* unicode = nullptr;
  if (idn2_to_unicode_8z8z(host.c_str(), &unicode, 0) != IDN2_OK) return host;
  std::string shown(unicode);
  idn2_free(unicode);
  return shown;
}

std::string check_email(std::string_view field, std::string_view value) {
  if (auto why = email_problem(value); !why.empty()) invalid(field, value, why, "write it as name@example.com");
  return lower(value);
}

std::string check_color(std::string_view field, std::string_view value) {
  bool ok = value.size() == 7 && value[0] == '#' && std::all_of(value.begin() + 1, value.end(), [](char c) {
              return std::isxdigit(static_cast<unsigned char>(c));
            });
  if (!ok) invalid(field, value, "is not a colour", "write it as #RRGGBB, e.g. #0B5FA5");
  std::string out(value);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

void check_choice(std::string_view field, std::string_view value, const Choices& allowed, std::string_view what) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
  std::string list;
  for (std::size_t i = 0; i < allowed.size(); ++i)
    list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
  throw UsageError(std::string(field) + " '" + std::string(value) + "' is not " + std::string(what), "use " + list);
}

bool is_uuid(std::string_view value) {
  if (value.size() != 36) return false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? value[i] != '-' : !std::isxdigit(static_cast<unsigned char>(value[i]))) return false;
  }
  return true;
}

std::string check_timestamp(std::string_view field, std::string_view value) {
  // Shape check only (YYYY-MM-DD[(T| )HH:MM[:SS[.f]][Z|±HH[:MM]]]); PostgreSQL checks the calendar.
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > value.size()) return false;
    for (std::size_t i = at; i < at + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(value[i]))) return false;
    return true;
  };
  std::size_t i = 10;
  bool ok = digits(0, 4) && value[4] == '-' && digits(5, 2) && value[7] == '-' && digits(8, 2);
  if (ok && i < value.size()) {
    ok = (value[i] == 'T' || value[i] == ' ') && digits(i + 1, 2) && i + 3 < value.size() && value[i + 3] == ':' &&
         digits(i + 4, 2);
    i += 6;
    if (ok && i < value.size() && value[i] == ':') {
      ok = digits(i + 1, 2);
      i += 3;
      if (ok && i < value.size() && value[i] == '.') {
        std::size_t start = ++i;
        while (i < value.size() && std::isdigit(static_cast<unsigned char>(value[i]))) ++i;
        ok = i > start;
      }
    }
    if (ok && i < value.size()) {
      if (value[i] == 'Z') {
        ok = i + 1 == value.size();
      } else {
        ok = (value[i] == '+' || value[i] == '-') && digits(i + 1, 2);
        std::size_t rest = value.size() - (i + 3);
        ok = ok &&
             (rest == 0 || (rest == 2 && digits(i + 3, 2)) || (rest == 3 && value[i + 3] == ':' && digits(i + 4, 2)));
      }
    }
  }
  if (!ok) invalid(field, value, "is not an ISO 8601 date or time", "write it as 2026-01-31 or 2026-01-31T12:00:00Z");
  // PostgreSQL would move these to another moment silently: 24:00 to the next day, a leap second to the next minute.
  auto number = [&](std::size_t at) { return (value[at] - '0') * 10 + (value[at + 1] - '0'); };
  if (value.size() > 10) {
    if (number(11) > 23)
      invalid(field, value, "has hour " + std::string(value.substr(11, 2)) + ", which no day has",
              "write 00:00 of the next day instead of 24:00");
    if (number(14) > 59) invalid(field, value, "has a minute over 59", "give minutes 00 to 59");
    if (value.size() > 17 && value[16] == ':' && number(17) > 59)
      invalid(field, value, "has second " + std::string(value.substr(17, 2)) + " (a leap second, or a typo)",
              "give seconds 00 to 59");
  }
  return std::string(value);
}

std::size_t control_at(std::string_view text, bool breaks) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (breaks && (c == '\t' || c == '\r' || c == '\n')) continue;
    if (c < 0x20 || c == 0x7F) return i;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9F)
      return i;
  }
  return std::string_view::npos;
}

std::string fold_breaks(std::string_view text) {
  std::string out;
  bool in_break = false;
  for (char c : text) {
    bool is_break = c == '\t' || c == '\r' || c == '\n';
    if (!is_break)
      out += c;
    else if (!in_break)
      out += ' ';
    in_break = is_break;
  }
  return out;
}

std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

void check_single_line(std::string_view field, std::string_view value, std::size_t max_chars) {
  if (control_at(value) != std::string_view::npos)
    throw InvalidInputError(std::string(field) + " contains a control character (a line break, tab or escape)",
                            "give it on one line, without control characters");
  if (value.size() > max_chars && code_points(value) > max_chars)
    throw InvalidInputError(std::string(field) + " is longer than " + std::to_string(max_chars) + " characters",
                            "shorten it");
}

std::string check_display_name(std::string_view field, std::string_view value, std::string_view hint) {
  if (value.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw InvalidInputError(std::string(field) + " is empty", std::string(hint));
  check_single_line(field, value);
  return std::string(value);
}

}  // namespace wfa
