// Flags of `wfa member`.
#include "commands/member/member_cli.hpp"

#include "cli/command_cli.hpp"
#include "commands/member/member.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

void register_member(CLI::App& root, Dispatch& dispatch) {
  auto* member = root.add_subcommand("member", "Manage partner and workspace members and their roles");
  member->require_subcommand(1);
  const char* email_help = "The member's e-mail address";

  auto add_o = std::make_shared<MemberAddOptions>();
  auto* add = member->add_subcommand("add", "Add a user to a partner or workspace with a role");
  add->add_option("EMAIL", add_o->email, email_help)->required();
  add_scope_flags(add, add_o->scope);
  add->add_option("--role", add_o->role, "Role: owner, admin, member (or viewer in a workspace)")->required();
  add->add_flag("--create-user", add_o->create_user, "Create the user when no user has this e-mail");
  add->add_flag("--if-not-exists", add_o->if_not_exists, "An existing membership is success, unchanged");
  add->add_flag("--dry-run", add_o->dry_run, "Show the membership that would be added; change nothing");
  on_run(add, dispatch, [add_o](Session& session) { return run_member_add(*add_o, session); });

  auto list_o = std::make_shared<MemberListOptions>();
  auto* list = member->add_subcommand("list", "List the members of a partner or workspace, highest role first");
  add_scope_flags(list, list_o->scope);
  list->add_flag("--include-removed", list_o->include_removed, "Also list removed memberships");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_member_list(*list_o, session); });

  auto role_o = std::make_shared<MemberRoleOptions>();
  auto* role = member->add_subcommand("role", "Change a member's role (the last owner cannot be demoted)");
  role->add_option("EMAIL", role_o->email, email_help)->required();
  role->add_option("ROLE", role_o->role, "The new role")->required();
  add_scope_flags(role, role_o->scope);
  role->add_flag("--dry-run", role_o->dry_run, "Show the changed membership; change nothing");
  on_run(role, dispatch, [role_o](Session& session) { return run_member_role(*role_o, session); });

  auto remove_o = std::make_shared<MemberRemoveOptions>();
  auto* remove = member->add_subcommand("remove", "Remove a member (soft; the last owner cannot be removed)");
  remove->add_option("EMAIL", remove_o->email, email_help)->required();
  add_scope_flags(remove, remove_o->scope);
  remove->add_flag("-y,--yes", remove_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  remove->add_flag("--dry-run", remove_o->dry_run, "Show the membership that would be removed; change nothing");
  on_run(remove, dispatch, [remove_o](Session& session) { return run_member_remove(*remove_o, session); });
}

}  // namespace wfa
