#pragma once
/// What the invite verbs share: durations, invitation rows and finding an invitation (with its
/// scope locked) by token hash or id. Internal to commands/invite*.cpp.
#include <optional>
#include <string>

#include "core/listing.hpp"
#include "core/pqxx_fwd.hpp"
#include "core/validation.hpp"
#include "commands/member/member_scope.hpp"

namespace wfa {

inline const Choices invitation_statuses = {"pending", "accepted", "expired", "revoked"};

class Session;

/// parse_expires_in turns N[m|h|d|w] (1 minute to 365 days) into a PostgreSQL interval; else exit 6.
std::string parse_expires_in(const std::string& value, const Session& session);

/// invitation_query lists the scope's invitations, newest first, pending ones past expires_at shown
/// as expired; ONLY_ID narrows to one, STATUS filters on the shown status.
ListQuery invitation_query(const Scope& scope, const std::optional<std::string>& only_id,
                           const std::optional<std::string>& status);
/// all_invitations_query lists the invitations of every partner and workspace, newest first, with each one's scope
/// and reference; STATUS as for invitation_query (default: pending only, past-expiry ones excluded).
ListQuery all_invitations_query(const std::optional<std::string>& status);
/// invitation_rows runs invitation_query whole.
Table invitation_rows(pqxx::transaction_base& tx, const Scope& scope, const std::optional<std::string>& only_id,
                      const std::optional<std::string>& status);

/// LockedInvitation is an invitation row held FOR UPDATE, with its scope row locked first.
struct LockedInvitation {
  Scope scope;
  std::string id, email, role, status, invited_by, expires_at;
  bool past_expiry = false;
  std::string accepted_at;  ///< empty unless accepted
};

/// lock_invitation_by_token finds the invitation whose token_hash is HASH (exit 3 if none).
LockedInvitation lock_invitation_by_token(pqxx::transaction_base& tx, const std::string& hash);
/// lock_invitation_by_id finds the invitation ID in either scope (exit 3 if none).
LockedInvitation lock_invitation_by_id(pqxx::transaction_base& tx, const std::string& id);

/// invitation_audit_json is the invitation row as JSON without its token_hash.
std::string invitation_audit_json(pqxx::transaction_base& tx, const Scope& scope, const std::string& id);

}  // namespace wfa
