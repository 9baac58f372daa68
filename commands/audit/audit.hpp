#pragma once
/// `wfa audit list`: read the append-only audit log, newest first.
#include <optional>
#include <string>

#include "core/result.hpp"

namespace wfa {

class Session;

struct AuditListOptions {
  std::optional<std::string> partner;    ///< id or slug (deleted partners included)
  std::optional<std::string> workspace;  ///< id or PARTNER/SLUG
  std::optional<std::string> action;     ///< exact, or a prefix ending in ".*" (e.g. partner.*)
  std::optional<std::string> actor;
  std::optional<std::string> entity;  ///< TYPE or TYPE:ID
  std::optional<std::string> since;   ///< ISO 8601, inclusive
  std::optional<std::string> until;   ///< ISO 8601, exclusive
  long limit = 100;                   ///< 0 = no limit
};

Result run_audit_list(const AuditListOptions& options, Session& session);

}  // namespace wfa
