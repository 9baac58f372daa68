#include "commands/domain/domain_rules.hpp"

#include <pqxx/result>
#include <pqxx/transaction_base>

#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/validation.hpp"

namespace wfa {

DomainRow find_domain(pqxx::transaction_base& tx, std::string_view hostname, bool lock) {
  auto host = check_hostname("hostname", hostname);
  auto rows = tx.exec_params(
      std::string("SELECT d.id, d.partner_id, p.slug, d.hostname, d.verification_token, d.is_primary,"
                  " d.is_platform_subdomain, d.verified_at IS NOT NULL, p.deleted_at IS NOT NULL"
                  " FROM partner_domains d JOIN partners p ON p.id = d.partner_id WHERE d.hostname = $1") +
          (lock ? " FOR UPDATE OF d" : ""),
      host);
  if (rows.empty())
    throw NotFoundError("domain " + host + " not found",
                        "list domains with `wfa domain list`, or add it with `wfa domain add`");
  const auto& r = rows[0];
  DomainRow d;
  d.id = r[0].as<std::string>();
  d.partner_id = r[1].as<std::string>();
  d.partner_slug = r[2].as<std::string>();
  d.hostname = r[3].as<std::string>();
  d.verification_token = r[4].as<std::string>();
  d.is_primary = r[5].as<bool>();
  d.is_platform_subdomain = r[6].as<bool>();
  d.verified = r[7].as<bool>();
  d.partner_deleted = r[8].as<bool>();
  return d;
}

std::vector<std::pair<std::string, Cell>> domain_fields(pqxx::transaction_base& tx, const std::string& id) {
  return to_fields(
      tx.exec_params(std::string("SELECT ") + domain_columns + " FROM " + domain_from + " WHERE d.id = $1::uuid", id));
}

std::string platform_domain_setting(const std::string& value) {
  return check_hostname("setting platform_domain", value);
}

bool is_under(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  return host.size() > domain.size() && host.substr(host.size() - domain.size()) == domain &&
         host[host.size() - domain.size() - 1] == '.';
}

}  // namespace wfa
