// Flags of `wfa invite`.
#include "cli/command_cli.hpp"
#include "commands/invite/invite.hpp"
#include "commands/invite/invite_rules.hpp"
#include "commands/member/member_cli.hpp"
#include "commands/tenancy/mail_cli.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

void register_invite(CLI::App& root, Dispatch& dispatch) {
  auto* invite = root.add_subcommand("invite", "Invite people to a partner or workspace by e-mail and token");
  invite->require_subcommand(1);

  auto create_o = std::make_shared<InviteCreateOptions>();
  auto* create = invite->add_subcommand("create", "Create an invitation and print its token once");
  create->add_option("EMAIL", create_o->email, "The invitee's e-mail address")->required();
  add_scope_flags(create, create_o->scope);
  create->add_option("--role", create_o->role, "Role the invitee gets on accepting")->required();
  create->add_option("--expires-in", create_o->expires_in, "Validity: N followed by m, h, d or w (default 7d)");
  create->add_option("--message", create_o->message, "A personal note for the invitation e-mail");
  add_mail_flags(create, create_o->mail, "the invitation e-mail");
  create->add_flag("--if-not-exists", create_o->if_not_exists,
                   "A member or a pending invitation of this e-mail is success, unchanged");
  create->add_flag("--dry-run", create_o->dry_run, "Show the invitation that would be created; change nothing");
  on_run(create, dispatch, [create_o](Session& session) { return run_invite_create(*create_o, session); });

  auto resend_o = std::make_shared<InviteResendOptions>();
  auto* resend = invite->add_subcommand("resend", "Send a pending or expired invitation again with a new token");
  resend->add_option("ID", resend_o->id, "The invitation's id")->required();
  resend->add_option("--expires-in", resend_o->expires_in, "Validity: N followed by m, h, d or w (default 7d)");
  add_mail_flags(resend, resend_o->mail, "the invitation e-mail");
  resend->add_flag("--dry-run", resend_o->dry_run, "Show the new invitation; change nothing");
  on_run(resend, dispatch, [resend_o](Session& session) { return run_invite_resend(*resend_o, session); });

  auto list_o = std::make_shared<InviteListOptions>();
  auto* list = invite->add_subcommand("list", "List a partner's or workspace's invitations, newest first");
  add_scope_flags(list, list_o->scope);
  list->add_flag("--all-scopes", list_o->all_scopes,
                 "Invitations of every partner and workspace you may read (default: pending)");
  list->add_option("--status", list_o->status, "Only pending, accepted, expired or revoked invitations")
      ->check(CLI::IsMember(invitation_statuses));
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_invite_list(*list_o, session); });

  auto accept_o = std::make_shared<InviteAcceptOptions>();
  auto* accept = invite->add_subcommand("accept", "Accept an invitation: its user becomes a member (once)");
  accept->add_option("TOKEN", accept_o->token,
                     "The invitation token (visible to other users in ps; prefer --token-file)");
  accept->add_option("--token-file", accept_o->token_file,
                     "Read the token from the first line of this file; - is stdin");
  accept->add_flag("--create-user", accept_o->create_user, "Create the invited user when no user has the e-mail");
  accept->add_flag("--dry-run", accept_o->dry_run, "Show the membership that would be created; change nothing");
  on_run(accept, dispatch, [accept_o](Session& session) { return run_invite_accept(*accept_o, session); });

  auto revoke_o = std::make_shared<InviteRevokeOptions>();
  auto* revoke = invite->add_subcommand("revoke", "Revoke a pending invitation");
  revoke->add_option("ID", revoke_o->id, "The invitation id")->required();
  revoke->add_flag("--dry-run", revoke_o->dry_run, "Show the revoked invitation; change nothing");
  on_run(revoke, dispatch, [revoke_o](Session& session) { return run_invite_revoke(*revoke_o, session); });
}

}  // namespace wfa
