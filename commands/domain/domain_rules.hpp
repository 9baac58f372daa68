#pragma once
/// What the domain verbs share: finding a domain by hostname and its output fields.
/// Internal to commands/domain*.cpp.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace pqxx {
class transaction_base;
}

namespace wfa {

/// DomainRow is what the verbs need of one partner_domains row and its partner.
struct DomainRow {
  std::string id, partner_id, partner_slug, hostname, verification_token;
  bool is_primary = false;
  bool is_platform_subdomain = false;
  bool verified = false;
  bool partner_deleted = false;
};

/// find_domain normalises HOSTNAME (check_hostname: exit 6) and finds it (unknown: exit 3);
/// LOCK takes the domain row FOR UPDATE.
DomainRow find_domain(pqxx::transaction_base& tx, std::string_view hostname, bool lock);

/// The output columns of a domain, in order; they are the JSON field names.
/// txt_record_name/txt_record_value are the record to create, null once verified.
inline constexpr const char* domain_columns =
    "d.hostname, COALESCE(d.display_hostname, d.hostname) AS hostname_unicode, p.slug AS partner, d.is_primary, "
    "d.is_platform_subdomain, d.verified_at IS NOT NULL AS verified,"
    " d.verified_at,"
    " CASE WHEN d.verified_at IS NULL THEN '_wfa-verify.' || d.hostname END AS txt_record_name,"
    " CASE WHEN d.verified_at IS NULL THEN d.verification_token END AS txt_record_value,"
    " d.id, d.partner_id, d.created_at";
inline constexpr const char* domain_from = "partner_domains d JOIN partners p ON p.id = d.partner_id";

/// domain_fields is one domain (by id) as the fields of a Result.
std::vector<std::pair<std::string, Cell>> domain_fields(pqxx::transaction_base& tx, const std::string& id);

/// platform_domain_setting is the configured platform domain, normalised (a bad value is exit 6).
std::string platform_domain_setting(const std::string& value);
/// is_under: HOST is DOMAIN itself or a name below it.
bool is_under(std::string_view host, std::string_view domain);

}  // namespace wfa
