// Flags of `wfa workspace`.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "commands/workspace/workspace.hpp"
#include "commands/workspace/workspace_rules.hpp"

namespace wfa {

void register_workspace(CLI::App& root, Dispatch& dispatch) {
  auto* workspace = root.add_subcommand("workspace", "Manage partners' client workspaces");
  workspace->require_subcommand(1);
  const char* ref_help = "Workspace: id or PARTNER/SLUG, e.g. acme/main";

  auto create_o = std::make_shared<WorkspaceCreateOptions>();
  auto* create = workspace->add_subcommand("create", "Create a workspace; limits are inherited from the partner");
  create->add_option("SLUG", create_o->slug, "Slug, unique per partner: lowercase letters, digits, hyphens")
      ->required();
  create->add_option("--partner", create_o->partner, "Partner (id or slug)")->required();
  create->add_option("--name", create_o->name, "Display name")->required();
  create->add_option("--limit", create_o->limits, "Override a partner limit: KEY=N (repeatable)")
      ->allow_extra_args(false);
  create->add_option("--per-minute-rate-cents", create_o->per_minute_rate_cents,
                     "Price per call minute in cents (default 0)");
  create->add_flag("--billing-exempt", create_o->billing_exempt, "Do not bill this workspace's usage");
  create->add_flag("--if-not-exists", create_o->if_not_exists, "Succeed without change when the workspace exists");
  create->add_flag("--dry-run", create_o->dry_run, "Show the workspace that would be created; change nothing");
  on_run(create, dispatch, [create_o](Session& session) { return run_workspace_create(*create_o, session); });

  auto list_o = std::make_shared<WorkspaceListOptions>();
  auto* list = workspace->add_subcommand("list", "List workspaces");
  list->add_option("--partner", list_o->partner, "Only workspaces of this partner (id or slug)");
  list->add_flag("--include-deleted", list_o->include_deleted, "Also list deleted workspaces");
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_workspace_list(*list_o, session); });

  auto show_o = std::make_shared<WorkspaceShowOptions>();
  auto* show = workspace->add_subcommand("show", "Show a workspace with its limits and current month usage");
  show->add_option("WORKSPACE", show_o->workspace, ref_help)->required();
  on_run(show, dispatch, [show_o](Session& session) { return run_workspace_show(*show_o, session); });

  auto update_o = std::make_shared<WorkspaceUpdateOptions>();
  auto* update = workspace->add_subcommand("update", "Change name, status, limits, rate or billing exemption");
  update->add_option("WORKSPACE", update_o->workspace, ref_help)->required();
  update->add_option("--name", update_o->name, "New display name");
  update->add_option("--status", update_o->status, "active or suspended")->check(CLI::IsMember(workspace_statuses));
  update->add_option("--limit", update_o->limits, "Override a partner limit: KEY=N (repeatable)")
      ->allow_extra_args(false);
  update->add_option("--clear-limit", update_o->clear_limits, "Drop the override of KEY (repeatable)")
      ->allow_extra_args(false);
  update->add_option("--per-minute-rate-cents", update_o->per_minute_rate_cents, "Price per call minute in cents");
  update->add_option("--billing-exempt", update_o->billing_exempt, "true or false")->check(CLI::IsMember(booleans));
  update->add_flag("--dry-run", update_o->dry_run, "Show the changed workspace; change nothing");
  on_run(update, dispatch, [update_o](Session& session) { return run_workspace_update(*update_o, session); });

  auto delete_o = std::make_shared<WorkspaceDeleteOptions>();
  auto* remove = workspace->add_subcommand("delete", "Soft-delete a workspace (restore brings it back)");
  remove->add_option("WORKSPACE", delete_o->workspace, ref_help)->required();
  remove->add_flag("-y,--yes", delete_o->yes, "Do not ask for confirmation (required when not on a terminal)");
  remove->add_flag("--dry-run", delete_o->dry_run, "Show the workspace that would be deleted; change nothing");
  on_run(remove, dispatch, [delete_o](Session& session) { return run_workspace_delete(*delete_o, session); });

  auto restore_o = std::make_shared<WorkspaceRestoreOptions>();
  auto* restore = workspace->add_subcommand("restore", "Undo a delete, if the partner's max_workspaces allows");
  restore->add_option("WORKSPACE", restore_o->workspace, ref_help)->required();
  restore->add_flag("--dry-run", restore_o->dry_run, "Check the restore; change nothing");
  on_run(restore, dispatch, [restore_o](Session& session) { return run_workspace_restore(*restore_o, session); });
}

}  // namespace wfa
