// `wfa domain verify`: the TXT record `_wfa-verify.HOSTNAME` must hold the domain's token.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/domain/dns.hpp"
#include "commands/domain/domain.hpp"
#include "commands/domain/domain_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/tokens.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

/// trimmed drops the blanks DNS consoles tend to keep around a pasted value.
std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// matches compares every record in constant time, so timing says nothing about the token.
bool matches(const std::vector<std::string>& records, const std::string& token) {
  bool found = false;
  for (const auto& record : records) found = constant_time_equal(trimmed(record), token) || found;
  return found;
}

}  // namespace

Result run_domain_verify(const DomainVerifyOptions& options, Session& session) {
  auto resolver = make_txt_resolver(session.settings());
  return run_domain_verify(options, session, *resolver);
}

Result run_domain_verify(const DomainVerifyOptions& options, Session& session, TxtResolver& resolver) {
  auto& conn = session.database().ready();
  DomainRow domain;
  {
    pqxx::read_transaction tx(conn);
    domain = find_domain(tx, options.hostname, false);
    require_partner(tx, actor_of(tx, session), domain.partner_id, domain.partner_slug, "partner:domains:verify");
  }
  Result r;
  if (domain.verified) {
    pqxx::read_transaction tx(conn);
    r.fields = domain_fields(tx, domain.id);
    r.message = "domain " + domain.hostname + " is already verified; nothing changed";
    return r;
  }
  // DNS can take seconds: look up outside any transaction, then apply the result atomically.
  auto record = verification_record_name(domain.hostname);
  auto records = resolver.lookup_txt(record);
  if (!matches(records, domain.verification_token)) {
    std::string found =
        records.empty() ? "no TXT record" : std::to_string(records.size()) + " TXT record(s), none matching";
    throw InvalidInputError("domain " + domain.hostname + " is not verified: " + found + " at " + record,
                            "create a TXT record " + record + " with the value " + domain.verification_token +
                                ", wait for DNS to update, then retry");
  }
  pqxx::work tx(conn);
  auto before = row_json(tx, "partner_domains", domain.id);
  // The token condition keeps a concurrent remove-and-re-add from being verified by the old record.
  auto updated = tx.exec_params(
      "UPDATE partner_domains SET verified_at = now() WHERE id = $1::uuid AND verified_at IS NULL AND "
      "verification_token = $2"
      " RETURNING id",
      domain.id, domain.verification_token);
  if (updated.empty()) {
    auto now = find_domain(tx, domain.hostname, false);
    if (!now.verified)
      throw ConflictError("domain " + domain.hostname + " was removed and added again while it was verified",
                          "run `wfa domain verify " + domain.hostname + "` again");
    r.fields = domain_fields(tx, now.id);
    r.message = "domain " + domain.hostname + " was verified by another run; nothing changed";
    return r;
  }
  nlohmann::json metadata = {{"txt_record", record}, {"resolver", resolver.source()}};
  record_audit(tx, {session.actor(), "domain.verify", "partner_domain", domain.id, domain.partner_id, std::nullopt,
                    before, row_json(tx, "partner_domains", domain.id), metadata.dump()});
  r.fields = domain_fields(tx, domain.id);
  if (options.dry_run) {
    tx.abort();
    r.message = "dry run: the TXT record " + record + " matches; domain " + domain.hostname +
                " would be verified; nothing changed";
    return r;
  }
  tx.commit();
  r.message = "verified domain " + domain.hostname + " of partner " + domain.partner_slug;
  return r;
}

}  // namespace wfa
