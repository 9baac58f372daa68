// `wfa invite accept|revoke`: both lock the scope row, then the invitation row, so a token
// creates its membership exactly once however many processes accept it at the same time.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/member/member_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/invite/invite.hpp"
#include "commands/invite/invite_rules.hpp"
#include "core/input_file.hpp"
#include "core/tokens.hpp"

namespace wfa {

namespace {

/// set_status moves the invitation to STATUS (with accepted_* for "accepted") and audits ACTION.
void set_status(pqxx::dbtransaction& tx, const LockedInvitation& inv, const std::string& status,
                const std::string& action, const std::string& actor, const std::optional<std::string>& accepted_by) {
  auto before = invitation_audit_json(tx, inv.scope, inv.id);
  tx.exec_params(std::string("UPDATE ") + inv.scope.invitations_table() +
                     " SET status = $2, accepted_at = CASE WHEN $2 = 'accepted' THEN now() END, accepted_by = $3::uuid"
                     " WHERE id = $1::uuid",
                 inv.id, status, accepted_by);
  auto noun = std::string(scope_name(inv.scope.kind)) + "_invitation";
  record_audit(tx, {actor, noun + "." + action, noun, inv.id, inv.scope.partner_id, inv.scope.workspace_id, before,
                    invitation_audit_json(tx, inv.scope, inv.id), ""});
}

std::string ask_again(const LockedInvitation& inv) { return "ask " + inv.invited_by + " for a new invitation"; }

/// max_token_file_bytes bounds a token file: one line holding a token of a few dozen characters.
constexpr std::size_t max_token_file_bytes = 4u << 10;

/// accepted_token is the token O names: TOKEN, or the first line of the token file without its line ending.
std::string accepted_token(const InviteAcceptOptions& o, const Session& session) {
  auto flag = session.option("token-file");
  if (o.token.has_value() == o.token_file.has_value())
    throw UsageError("give exactly one of TOKEN and " + flag,
                     "prefer " + flag + " FILE (or - for stdin): a TOKEN argument is visible to other users");
  if (o.token) {
    if (o.token->empty()) throw UsageError("TOKEN is empty", "pass the token printed by `wfa invite create`");
    return *o.token;
  }
  auto text = read_input_file(*o.token_file, flag, max_token_file_bytes);
  auto token = text.substr(0, text.find('\n'));
  if (!token.empty() && token.back() == '\r') token.pop_back();
  if (token.empty())
    throw InvalidInputError(flag + " " + *o.token_file + " holds no token on its first line",
                            "write the token printed by `wfa invite create` on the first line");
  return token;
}

/// link_telegram makes TELEGRAM_ID the invited user's, who has none; another user's id is a conflict.
void link_telegram(pqxx::work& tx, const std::string& user_id, const std::string& email, std::int64_t telegram_id) {
  auto owner = tx.exec_params("SELECT id::text, telegram_id FROM users WHERE telegram_id = $1 OR id = $2::uuid",
                              telegram_id, user_id);
  for (const auto& row : owner) {
    bool same_user = row[0].as<std::string>() == user_id;
    if (!same_user) throw ConflictError("this Telegram account belongs to another user", "sign in as that user");
    if (!row[1].is_null() && row[1].as<std::int64_t>() != telegram_id)
      throw ConflictError(
          email + " is linked to another Telegram account",
          "open the invitation from that account, or ask an admin to change it (wfa user set-telegram)");
  }
  tx.exec_params("UPDATE users SET telegram_id = $1 WHERE id = $2::uuid AND telegram_id IS NULL", telegram_id, user_id);
}

}  // namespace

Result run_invite_accept(const InviteAcceptOptions& o, Session& session) {
  auto token = accepted_token(o, session);
  pqxx::work tx(session.database().ready());
  auto inv = lock_invitation_by_token(tx, token_hash(token));
  const auto& scope = inv.scope;
  if (o.partner_id && scope.partner_id != *o.partner_id) throw NotFoundError("no such invitation");
  if (auto actor = actor_of(tx, session); !actor.is_operator() && actor.name != inv.email)
    throw PermissionError(actor.name + " may not accept an invitation sent to " + inv.email,
                          "the invitee accepts it (--as " + inv.email + "), or the operator on their behalf");
  if (inv.status == "accepted")
    throw ConflictError("invitation " + inv.id + " was already accepted at " + inv.accepted_at,
                        "list the members: wfa member list " + scope.flag());
  if (inv.status == "revoked") throw InvalidInputError("invitation " + inv.id + " was revoked", ask_again(inv));
  if (inv.status == "expired" || inv.past_expiry) {
    if (inv.status == "pending" && !o.dry_run) {
      set_status(tx, inv, "expired", "expire", session.actor(), std::nullopt);
      tx.commit();
    }
    throw InvalidInputError("invitation " + inv.id + " expired at " + inv.expires_at, ask_again(inv));
  }
  auto roles = RoleHierarchy::load(tx, scope.kind);
  require_role(roles, scope, inv.role);
  auto user = find_user(tx, scope, inv.email, o.create_user, session.actor(),
                        "add --create-user to create the user " + inv.email + " while accepting");
  if (auto existing = live_membership(tx, scope, user.id))
    throw ConflictError(inv.email + " is already a member of " + scope.describe() + " (role " + existing->role + ")",
                        "revoke the invitation: wfa invite revoke " + inv.id);
  require_member_room(tx, scope, inv.email);
  auto metadata = nlohmann::json{{"invitation_id", inv.id}}.dump();
  auto member_id = add_membership(tx, scope, user.id, inv.role, inv.invited_by, session.actor(), metadata);
  set_status(tx, inv, "accepted", "accept", session.actor(), user.id);
  if (o.telegram_id) link_telegram(tx, user.id, inv.email, *o.telegram_id);
  Result r;
  r.fields = member_fields(tx, scope, member_id);
  r.fields.emplace_back("invitation_id", Cell(inv.id));
  auto what = inv.email + " joined " + scope.describe() + " as " + inv.role;
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "invitation accepted: " + what,
                             "invitation would be accepted: " + what);
}

Result run_invite_revoke(const InviteRevokeOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto inv = lock_invitation_by_id(tx, o.id);
  const auto& scope = inv.scope;
  authorize(tx, scope, RoleHierarchy::load(tx, scope.kind), session, "invitations:revoke", inv.role);
  Result r;
  if (inv.status == "revoked") {
    r.fields = to_fields(invitation_rows(tx, scope, inv.id, std::nullopt));
    r.message = "invitation " + inv.id + " is already revoked; nothing to do";
    return r;
  }
  if (inv.status == "accepted")
    throw ConflictError("invitation " + inv.id + " was accepted at " + inv.accepted_at + "; it cannot be revoked",
                        "remove the member instead: wfa member remove " + inv.email + " " + scope.flag());
  set_status(tx, inv, "revoked", "revoke", session.actor(), std::nullopt);
  r.fields = to_fields(invitation_rows(tx, scope, inv.id, std::nullopt));
  auto what = "the invitation of " + inv.email + " to " + scope.describe();
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "revoked " + what, "would revoke " + what);
}

}  // namespace wfa
