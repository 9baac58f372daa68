// `wfa invite create|list`.
#include "commands/member/member_rules.hpp"
#include "commands/invite/invite.hpp"

#include <map>

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/invite/invite_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/mail_outbox.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/tokens.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

/// existing_invitee is the conflict (exit 4) when EMAIL already has a live membership or a pending, unexpired
/// invitation in the scope: one of each per e-mail and scope.
std::optional<ConflictError> existing_invitee(pqxx::transaction_base& tx, const Scope& scope,
                                              const std::string& email) {
  auto member = tx.exec_params(std::string("SELECT m.role FROM ") + scope.members_table() +
                                   " m JOIN users u ON u.id = m.user_id WHERE m." + scope.key_column() +
                                   " = $1::uuid AND u.email = $2 AND m.removed_at IS NULL",
                               scope.id, email);
  if (!member.empty())
    return ConflictError(
        email + " is already a member of " + scope.describe() + " (role " + member[0][0].as<std::string>() + ")",
        "change the role with: wfa member role " + email + " " + scope.flag() + " ROLE");
  auto pending =
      tx.exec_params(std::string("SELECT id FROM ") + scope.invitations_table() + " WHERE " + scope.key_column() +
                         " = $1::uuid AND email = $2 AND status = 'pending' AND expires_at > now()",
                     scope.id, email);
  if (!pending.empty())
    return ConflictError(email + " already has a pending invitation to " + scope.describe() + " (" +
                             pending[0][0].as<std::string>() + ")",
                         "send it again with a new token: wfa invite resend " + pending[0][0].as<std::string>());
  return std::nullopt;
}

/// inviter_name is "First Last <email>" when the actor is a user with a name, their e-mail without one, else (the
/// operator: cli:root means nothing to a customer) "The BRAND team", BRAND being the partner's name.
std::string inviter_name(pqxx::transaction_base& tx, const std::string& actor, const std::string& brand) {
  auto rows = tx.exec_params(
      "SELECT trim(concat_ws(' ', first_name, last_name)), email FROM users WHERE email = lower($1) AND deleted_at IS "
      "NULL",
      actor);
  if (rows.empty()) return "The " + brand + " team";
  if (rows[0][0].as<std::string>().empty()) return rows[0][1].as<std::string>();
  return rows[0][0].as<std::string>() + " <" + rows[0][1].as<std::string>() + ">";
}

/// accept_url is https://HOST/invite/TOKEN on the partner's primary (else first verified) domain, or "".
std::string accept_url(pqxx::transaction_base& tx, const Scope& scope, const std::string& token) {
  auto rows = tx.exec_params(
      "SELECT hostname FROM partner_domains WHERE partner_id = $1::uuid AND (verified_at IS NOT NULL OR "
      "is_platform_subdomain)"
      " ORDER BY is_primary DESC, is_platform_subdomain, created_at LIMIT 1",
      scope.partner_id);
  return rows.empty() ? std::string() : "https://" + rows[0][0].as<std::string>() + "/invite/" + token;
}

/// issue stores a new invitation of EMAIL to SCOPE as ROLE with a fresh token and returns it (or, with RENDER, the
/// e-mail), committed unless DRY_RUN; DONE and WOULD begin the summary.
Result issue(pqxx::work& tx, const Scope& scope, const std::string& email, const std::string& role,
             const std::optional<std::string>& message, const std::string& interval, const MailOptions& mail,
             bool dry_run, Session& session, const std::string& done, const std::string& would) {
  auto token = random_token(24);
  auto id = tx.exec_params(std::string("INSERT INTO ") + scope.invitations_table() + " (" + scope.key_column() +
                               ", email, role, token_hash, message, invited_by, expires_at)"
                               " VALUES ($1::uuid, $2, $3, $4, $5, $6, now() + $7::interval) RETURNING id",
                           scope.id, email, role, token_hash(token), message, session.actor(), interval)[0][0]
                .as<std::string>();
  auto noun = std::string(scope_name(scope.kind)) + "_invitation";
  record_audit(tx, {session.actor(), noun + ".create", noun, id, scope.partner_id, scope.workspace_id, "",
                    invitation_audit_json(tx, scope, id), ""});
  auto table = invitation_rows(tx, scope, id, std::nullopt);
  // A dry run's token was never stored, so it is not shown.
  std::string shown = dry_run ? "DRY-RUN-TOKEN" : token;
  Result r;
  r.fields = to_fields(table);
  r.fields.emplace_back("token", dry_run ? Cell::null() : Cell(token));
  r.fields.emplace_back("accept_command", Cell("wfa invite accept " + shown));
  auto expires =
      tx.exec_params("SELECT " + utc_sql("expires_at") + " FROM " + scope.invitations_table() + " WHERE id = $1::uuid",
                     id)[0][0]
          .as<std::string>();
  auto brand = partner_brand(tx, scope.partner_id);
  Mail invitation{"invitation",
                  {{"inviter", inviter_name(tx, session.actor(), brand.name)},
                   {"email", email},
                   {"organization", scope.name},
                   {"scope", std::string(scope_name(scope.kind))},
                   {"reference", scope.reference},
                   {"role", role},
                   {"message", message.value_or("")},
                   {"accept_command", "wfa invite accept " + shown},
                   {"accept_url", accept_url(tx, scope, shown)},
                   {"expires_at", expires},
                   {"token", shown}},
                  {email},
                  brand,
                  scope.partner_id,
                  id};
  queue_mail(tx, session, invitation);
  if (mail.wanted())
    attach_mail(r, invitation, mail, session,
                {{"invitation_id", Cell(id)}, {"token", dry_run ? Cell::null() : Cell(token)}});
  auto what = email + " to " + scope.describe() + " as " + role;
  return commit_or_roll_back(tx, std::move(r), dry_run,
                             done + what + "; give them the token now: it is not shown again", would + what);
}

}  // namespace

Result run_invite_create(const InviteCreateOptions& o, Session& session) {
  auto email = check_email("EMAIL", o.email);
  auto interval = parse_expires_in(o.expires_in, session);
  pqxx::work tx(session.database().ready());
  auto scope = resolve_scope(tx, o.scope, session);
  auto roles = RoleHierarchy::load(tx, scope.kind);
  authorize_granting(tx, scope, roles, session, "members:invite", o.role);
  if (auto existing = existing_invitee(tx, scope, email)) {
    if (!o.if_not_exists) throw *existing;
    Result r;
    r.message = std::string(existing->what()) + "; nothing changed";
    return r;
  }
  require_member_room(tx, scope, email);
  return issue(tx, scope, email, o.role, o.message, interval, o.mail, o.dry_run, session, "invited ", "would invite ");
}

Result run_invite_resend(const InviteResendOptions& o, Session& session) {
  auto interval = parse_expires_in(o.expires_in, session);
  pqxx::work tx(session.database().ready());
  auto old = lock_invitation_by_id(tx, o.id);
  const auto& scope = old.scope;
  authorize(tx, scope, RoleHierarchy::load(tx, scope.kind), session, "members:invite", old.role);
  if (old.status == "accepted")
    throw ConflictError("invitation " + old.id + " was accepted at " + old.accepted_at + "; there is nothing to resend",
                        "list the members: wfa member list " + scope.flag());
  if (old.status == "revoked")
    throw ConflictError("invitation " + old.id + " was revoked", "invite them again: wfa invite create " + old.email +
                                                                     " " + scope.flag() + " --role " + old.role);
  auto message = tx.exec_params(
      std::string("SELECT message FROM ") + scope.invitations_table() + " WHERE id = $1::uuid", old.id)[0][0];
  std::optional<std::string> note;
  if (!message.is_null()) note = message.as<std::string>();
  // The old token stops working in the same transaction that makes the new one.
  auto before = invitation_audit_json(tx, scope, old.id);
  tx.exec_params(std::string("UPDATE ") + scope.invitations_table() + " SET status = 'revoked' WHERE id = $1::uuid",
                 old.id);
  auto noun = std::string(scope_name(scope.kind)) + "_invitation";
  record_audit(tx, {session.actor(), noun + ".revoke", noun, old.id, scope.partner_id, scope.workspace_id, before,
                    invitation_audit_json(tx, scope, old.id), R"({"reason": "resent"})"});
  require_member_room(tx, scope, old.email);
  return issue(tx, scope, old.email, old.role, note, interval, o.mail, o.dry_run, session, "resent the invitation of ",
               "would resend the invitation of ");
}

Result run_invite_list(const InviteListOptions& o, Session& session) {
  if (o.status) check_choice(session.option("status"), *o.status, invitation_statuses, "an invitation status");
  auto tx = list_transaction(session);
  if (o.all_scopes) {
    if (o.scope.partner || o.scope.workspace)
      throw UsageError(session.option("all-scopes") + " lists every scope; leave out --partner and --workspace");
    auto query = all_invitations_query(o.status);
    auto actor = actor_of(*tx, session);
    if (!actor.super_admin)  // a user sees the invitations of the scopes whose members they manage or read
      query.where("((x.workspace_id IS NULL AND " + visible_partners_sql("x.partner_id", "?") +
                      ") OR (x.workspace_id IS NOT NULL AND " + visible_workspaces_sql("x.workspace_id", "?") + "))",
                  actor.user_id);
    return list_rows(tx, query, o.paging, session);
  }
  auto scope = resolve_scope(*tx, o.scope, session, false);
  authorize(*tx, scope, RoleHierarchy::load(*tx, scope.kind), session, "invitations:read");
  return list_rows(tx, invitation_query(scope, std::nullopt, o.status), o.paging, session);
}

}  // namespace wfa
