// Which subdomains and custom hostnames are free: syntax, reserved names, partners' domains, open requests.
#include <algorithm>
#include <pqxx/result>
#include <pqxx/transaction_base>

#include "core/session.hpp"
#include "commands/partner/partner_names.hpp"
#include "commands/partner/partner_rules.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

std::string normalise(std::string_view value) {
  std::string out(value);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

/// ends_with_domain: HOST is DOMAIN itself or a name under it.
bool under(const std::string& host, const std::string& domain) {
  return host == domain ||
         (host.size() > domain.size() && host.compare(host.size() - domain.size(), domain.size(), domain) == 0 &&
          host[host.size() - domain.size() - 1] == '.');
}

void taken(NameCheck& check, std::string reason, std::string hint) {
  check.available = false;
  check.reason = std::move(reason);
  check.hint = std::move(hint);
}

/// claim_by_domain marks CHECK taken when a partner already has HOSTNAME.
bool claim_by_domain(pqxx::transaction_base& tx, NameCheck& check, const std::string& hostname) {
  auto rows = tx.exec_params(
      "SELECT p.slug FROM partner_domains d JOIN partners p ON p.id = d.partner_id WHERE d.hostname = $1", hostname);
  if (rows.empty()) return false;
  taken(check, "hostname " + hostname + " is taken by partner " + rows[0][0].as<std::string>(),
        "choose another name, or remove the domain with `wfa domain remove`");
  return true;
}

/// claim_by_request marks CHECK taken when an open request wants the name in COLUMN (a constant).
bool claim_by_request(pqxx::transaction_base& tx, NameCheck& check, const char* column, const NameScope& scope) {
  if (!scope.requests) return false;
  auto rows =
      tx.exec_params(std::string("SELECT id, status FROM partner_requests WHERE ") + column + " = $1 AND status IN " +
                         open_request_states + " AND ($2::uuid IS NULL OR id <> $2::uuid) ORDER BY created_at LIMIT 1",
                     check.name, scope.except_request);
  if (rows.empty()) return false;
  auto id = rows[0][0].as<std::string>();
  taken(check,
        check.kind + " '" + check.name + "' is already requested by " + rows[0][1].as<std::string>() + " request " + id,
        "review it with `wfa partner request show " + id + "`, or choose another name");
  return true;
}

/// syntax_problem finds what check_hostname would refuse before a label check: scheme, path, port.
std::string syntax_problem(std::string_view field, std::string_view value) {
  std::string quoted = std::string(field) + " '" + std::string(value) + "'";
  if (value.find("://") != std::string_view::npos) return quoted + " must not include a scheme";
  if (value.find_first_of("/?#") != std::string_view::npos) return quoted + " must not include a path";
  if (value.find(':') != std::string_view::npos) return quoted + " must not include a port";
  return {};
}

}  // namespace

std::string platform_domain(const Session& session) {
  return check_hostname("setting platform_domain", session.settings().value("platform_domain"));
}

NameCheck check_subdomain_name(pqxx::transaction_base& tx, std::string_view field, std::string_view name,
                               const std::string& platform, const NameScope& scope) {
  NameCheck check{std::string(name), "subdomain", "", false, false, false, "", ""};
  std::string label = normalise(name);
  if (under(label, platform) && label != platform) label.resize(label.size() - platform.size() - 1);
  check.reason = syntax_problem(field, name);
  if (check.reason.empty() && label.find('.') != std::string::npos)
    check.reason = std::string(field) + " '" + std::string(name) + "' must be a single label";
  if (check.reason.empty() && label.size() + 1 + platform.size() > 253)
    check.reason = std::string(field) + " '" + std::string(name) + "' makes a hostname longer than 253 characters";
  if (check.reason.empty()) {
    try {
      check_slug(field, label);
    } catch (const Error& e) {
      check.reason = e.what();
      check.hint = e.hint();
    }
  }
  if (!check.reason.empty()) {
    if (check.hint.empty()) check.hint = "give one label such as acme: letters, digits and inner hyphens";
    return check;
  }
  check.valid = true;
  check.available = true;
  check.name = label;
  check.hostname = label + "." + platform;
  if (is_reserved_subdomain(label)) {
    check.reserved = true;
    taken(check, "subdomain '" + label + "' is reserved for the platform", "choose another subdomain");
    return check;
  }
  auto partner = tx.exec_params("SELECT slug FROM partners WHERE slug = $1", label);
  if (!partner.empty()) {
    taken(check, "subdomain '" + label + "' is taken by partner " + label, "choose another subdomain");
    return check;
  }
  if (claim_by_domain(tx, check, check.hostname)) return check;
  claim_by_request(tx, check, "desired_subdomain", scope);
  return check;
}

NameCheck check_custom_domain_name(pqxx::transaction_base& tx, std::string_view field, std::string_view name,
                                   const std::string& platform, const NameScope& scope) {
  NameCheck check{std::string(name), "custom", "", false, false, false, "", ""};
  try {
    check.name = check_hostname(field, name);
  } catch (const Error& e) {
    check.reason = e.what();
    check.hint = e.hint();
    return check;
  }
  check.valid = true;
  check.available = true;
  check.hostname = check.name;
  if (under(check.name, platform)) {
    check.reserved = true;
    taken(check, "custom domain " + check.name + " is inside the platform domain " + platform,
          "request the subdomain instead, or use a domain the partner owns");
    return check;
  }
  if (claim_by_domain(tx, check, check.name)) return check;
  claim_by_request(tx, check, "custom_domain", scope);
  return check;
}

std::string require_available(const NameCheck& check) {
  if (!check.valid) throw InvalidInputError(check.reason, check.hint);
  if (!check.available) throw ConflictError(check.reason, check.hint);
  return check.name;
}

void lock_names(pqxx::transaction_base& tx) { tx.exec("SELECT pg_advisory_xact_lock(hashtext('wfa.partner.names'))"); }

}  // namespace wfa
