// `wfa partner resolve HOSTNAME`: white-label resolution, the rule the web front ends follow.
#include <algorithm>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "commands/partner/partner.hpp"

namespace wfa {

namespace {

/// normalise_host turns a Host header value into a lookup key: lowercase, no ":port", no trailing dot.
std::string normalise_host(const std::string& input) {
  std::string host = input;
  if (!host.empty() && host.back() == '.') host.pop_back();
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto colon = host.rfind(':');
  if (colon != std::string::npos && colon + 1 < host.size() && host.size() - colon - 1 <= 5 &&
      std::all_of(host.begin() + static_cast<std::ptrdiff_t>(colon) + 1, host.end(),
                  [](char c) { return c >= '0' && c <= '9'; }))
    host.resize(colon);
  if (!host.empty() && host.back() == '.') host.pop_back();
  bool ok = !host.empty() && host.size() <= 253 && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
  if (!ok)
    throw InvalidInputError("hostname '" + input + "' is not a host name",
                            "give a host as in a Host header, e.g. app.example.com or app.example.com:8443");
  return host;
}

constexpr const char* partner_columns =
    " p.id AS partner_id, p.slug, p.name, p.plan_tier, p.branding, p.features, p.resource_limits";

}  // namespace

Result run_partner_resolve(const PartnerResolveOptions& options, Session& session) {
  auto host = normalise_host(options.hostname);
  pqxx::read_transaction tx(session.read_database().ready());
  // Rule 1: a verified domain of a live partner, exactly (hostnames are stored lowercase).
  auto rows = tx.exec_params(std::string("SELECT $1::text AS hostname, 'domain' AS matched_by, d.hostname AS domain,") +
                                 partner_columns +
                                 " FROM partner_domains d JOIN partners p ON p.id = d.partner_id"
                                 " WHERE d.hostname = $1 AND d.verified_at IS NOT NULL AND p.deleted_at IS NULL",
                             host);
  // Rule 2: the platform partner, unless it is deleted too.
  if (rows.empty())
    rows = tx.exec_params(std::string("SELECT $1::text AS hostname, 'platform' AS matched_by, NULL::text AS domain,") +
                              partner_columns + " FROM partners p WHERE p.is_platform_partner AND p.deleted_at IS NULL",
                          host);
  if (rows.empty())
    throw NotFoundError("no partner serves " + host + ": no verified domain matches and there is no platform partner",
                        "create one with `wfa partner create SLUG --name NAME --platform`");
  Result r;
  r.fields = to_fields(rows);
  r.message = host + " resolves to partner " + rows[0]["slug"].as<std::string>() + " (by " +
              rows[0]["matched_by"].as<std::string>() + ")";
  return r;
}

}  // namespace wfa
