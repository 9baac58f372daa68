#pragma once
/// `wfa invite`: partner and workspace invitations. Only a token's SHA-256 is stored; the token
/// is shown once. Accepting creates the membership exactly once.
#include <cstdint>
#include <optional>
#include <string>

#include "core/listing.hpp"
#include "commands/member/member_scope.hpp"
#include "commands/tenancy/mail.hpp"

namespace wfa {

class Session;

struct InviteCreateOptions {
  std::string email;
  ScopeFlags scope;
  std::string role;
  std::string expires_in = "7d";       ///< N followed by m, h, d or w
  std::optional<std::string> message;  ///< a personal note for the e-mail
  MailOptions mail;                    ///< --render / --email FILE: the invitation e-mail
  bool if_not_exists = false;          ///< a live membership or pending invitation is success, unchanged
  bool dry_run = false;
};

/// InviteResendOptions: a pending (or expired) invitation sent again with a fresh token; the old one is revoked.
struct InviteResendOptions {
  std::string id;
  std::string expires_in = "7d";
  MailOptions mail;
  bool dry_run = false;
};

struct InviteListOptions {
  ScopeFlags scope;
  std::optional<std::string> status;  ///< pending | accepted | expired | revoked
  Paging paging;
  bool all_scopes = false;  ///< every scope the actor may read, instead of one --partner/--workspace
};

/// InviteAcceptOptions names the token in exactly one of two ways: token or token_file.
struct InviteAcceptOptions {
  std::optional<std::string> token;  ///< the token itself; on a command line other users see it (ps)
  bool create_user = false;          ///< create the invited user when no user has the e-mail
  bool dry_run = false;
  /// A file whose first line is the token; "-" is standard input.
  std::optional<std::string> token_file = std::nullopt;
  /// serve: the Telegram account that opened the invitation's link, linked to the invited user (who must have none).
  std::optional<std::int64_t> telegram_id = std::nullopt;
  /// serve: the host's partner; an invitation of another partner is not found.
  std::optional<std::string> partner_id = std::nullopt;
};

struct InviteRevokeOptions {
  std::string id;
  bool dry_run = false;
};

Result run_invite_create(const InviteCreateOptions& options, Session& session);
Result run_invite_resend(const InviteResendOptions& options, Session& session);
Result run_invite_list(const InviteListOptions& options, Session& session);
Result run_invite_accept(const InviteAcceptOptions& options, Session& session);
Result run_invite_revoke(const InviteRevokeOptions& options, Session& session);

}  // namespace wfa
