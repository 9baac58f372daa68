#pragma once
/// `wfa domain`: a partner's hostnames, their DNS verification and the one primary domain.
#include <optional>
#include <string>

#include "core/listing.hpp"

namespace wfa {

class Session;
class TxtResolver;

struct DomainAddOptions {
  std::string hostname;
  std::string partner;         ///< id or slug
  bool primary = false;        ///< refused: a new domain is unverified and only verified domains can be primary
  bool if_not_exists = false;  ///< the domain already being this partner's is success, unchanged
  bool dry_run = false;
};

struct DomainListOptions {
  std::optional<std::string> partner;  ///< id or slug
  bool verified = false;               ///< only verified domains
  bool unverified = false;             ///< only unverified domains
  Paging paging;
};

struct DomainVerifyOptions {
  std::string hostname;
  bool dry_run = false;
};

struct DomainSetPrimaryOptions {
  std::string hostname;
  bool dry_run = false;
};

struct DomainRemoveOptions {
  std::string hostname;
  bool yes = false;
  bool dry_run = false;
};

Result run_domain_add(const DomainAddOptions& options, Session& session);
Result run_domain_list(const DomainListOptions& options, Session& session);
/// run_domain_verify looks up TXT `_wfa-verify.HOSTNAME` with the resolver the settings choose.
Result run_domain_verify(const DomainVerifyOptions& options, Session& session);
/// The same with an injected RESOLVER (tests).
Result run_domain_verify(const DomainVerifyOptions& options, Session& session, TxtResolver& resolver);
Result run_domain_set_primary(const DomainSetPrimaryOptions& options, Session& session);
Result run_domain_remove(const DomainRemoveOptions& options, Session& session);

}  // namespace wfa
