// Flags of `wfa user` and `wfa super-admin`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/user/user.hpp"

namespace wfa {

void register_user(CLI::App& root, Dispatch& dispatch) {
  auto* user = root.add_subcommand("user", "People: names, e-mail and Telegram ids, and their memberships");
  user->require_subcommand(1);

  auto list_o = std::make_shared<UserListOptions>();
  auto* list = user->add_subcommand("list", "List users (super admins)");
  list->add_option("--search", list_o->search, "Part of the e-mail or name, any case");
  list->add_flag("--include-deleted", list_o->include_deleted, "Also list deleted users");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_user_list(*list_o, session); });

  auto show_o = std::make_shared<UserShowOptions>();
  auto* show = user->add_subcommand("show", "Show a user and their memberships across partners and workspaces");
  show->add_option("USER", show_o->user, "E-mail or id")->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_user_show(*show_o, session); });

  auto update_o = std::make_shared<UserUpdateOptions>();
  auto* update = user->add_subcommand("update", "Change a user's names or e-mail address");
  update->add_option("USER", update_o->user, "E-mail or id")->required();
  update->add_option("--first-name", update_o->first_name, "First name (one line, up to 100 characters)");
  update->add_option("--last-name", update_o->last_name, "Last name (one line, up to 100 characters)");
  update->add_option("--email", update_o->email, "A new e-mail address (super admins only)");
  update->add_flag("--dry-run", update_o->dry_run, "Show the user as it would be; change nothing");
  on_run(update, dispatch, [update_o](Session& session) { return run_user_update(*update_o, session); });

  auto tg_o = std::make_shared<UserSetTelegramOptions>();
  auto* tg = user->add_subcommand("set-telegram", "Link a user to their Telegram account, for Telegram admin sync");
  tg->add_option("USER", tg_o->user, "E-mail or id")->required();
  tg->add_option("TELEGRAM_ID", tg_o->telegram_id, "Numeric Telegram user id");
  tg->add_flag("--clear", tg_o->clear, "Unlink the user's Telegram account");
  tg->add_flag("--dry-run", tg_o->dry_run, "Show the result; change nothing");
  on_run(tg, dispatch, [tg_o](Session& session) { return run_user_set_telegram(*tg_o, session); });
}

void register_super_admin(CLI::App& root, Dispatch& dispatch) {
  auto* super_admin = root.add_subcommand("super-admin", "Users with platform-wide rights, like the operator's");
  super_admin->require_subcommand(1);

  auto add_o = std::make_shared<SuperAdminChangeOptions>();
  auto* add = super_admin->add_subcommand("add", "Make a user a super admin");
  add->add_option("EMAIL", add_o->email, "The user's e-mail")->required();
  add->add_flag("--create-user", add_o->create_user, "Create the user when there is none");
  add->add_flag("--dry-run", add_o->dry_run, "Show the result; change nothing");
  on_run(add, dispatch, [add_o](Session& session) { return run_super_admin_add(*add_o, session); });

  auto remove_o = std::make_shared<SuperAdminChangeOptions>();
  auto* remove = super_admin->add_subcommand("remove", "Take a user's super admin rights away");
  remove->add_option("EMAIL", remove_o->email, "The user's e-mail")->required();
  remove->add_flag("-y,--yes", remove_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  remove->add_flag("--dry-run", remove_o->dry_run, "Show the result; change nothing");
  on_run(remove, dispatch, [remove_o](Session& session) { return run_super_admin_remove(*remove_o, session); });

  auto list_o = std::make_shared<SuperAdminListOptions>();
  auto* list = super_admin->add_subcommand("list", "List super admins");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_super_admin_list(*list_o, session); });
}

}  // namespace wfa
