// Flags of `wfa perm team|share|unshare|shares|owner|check`.
#include "cli/command_cli.hpp"
#include "commands/perm/perm.hpp"
#include "commands/perm/perm_cli.hpp"
#include "commands/perm/perm_rules.hpp"

namespace wfa {

namespace {

const char* const team_help = "The team: name or id";
const char* const user_help = "The user: e-mail or id";
const char* const record_help = "The record: TYPE:ID, e.g. lead:42";

void add_team(CLI::App& perm, Dispatch& dispatch) {
  auto* team = perm.add_subcommand("team", "Teams: a hierarchy whose leaders see the records of their teams' members");
  team->require_subcommand(1);

  auto create_o = std::make_shared<PermCreateOptions>();
  auto* create = team->add_subcommand("create", "Create a team, optionally under a parent team");
  create->add_option("NAME", create_o->name, "Name, unique in the workspace")->required();
  create->add_option("--parent", create_o->parent, "Parent team: name or id");
  create->add_flag("--if-not-exists", create_o->if_not_exists, "Succeed without change when it exists");
  add_scope(create, *create_o, true);
  on_run(create, dispatch, [create_o](Session& session) { return run_perm_team_create(*create_o, session); });

  auto move_o = std::make_shared<PermTeamMoveOptions>();
  auto* move = team->add_subcommand("move", "Put a team under another team, or at the root (no cycles)");
  move->add_option("TEAM", move_o->team, team_help)->required();
  move->add_option("--parent", move_o->parent, "New parent team: name or id");
  move->add_flag("--root", move_o->root, "Make it a root team");
  add_scope(move, *move_o, true);
  on_run(move, dispatch, [move_o](Session& session) { return run_perm_team_move(*move_o, session); });

  auto add_o = std::make_shared<PermAssignOptions>();
  auto* add = team->add_subcommand("add", "Add a user to a team as a member or leader (or change their role)");
  add->add_option("TEAM", add_o->target, team_help)->required();
  add->add_option("USER", add_o->user, user_help)->required();
  add->add_flag("--leader", add_o->leader, "As a leader: sees the records of the team's members and of teams below it");
  add_scope(add, *add_o, true);
  on_run(add, dispatch, [add_o](Session& session) { return run_perm_team_add(*add_o, session); });

  auto remove_o = std::make_shared<PermAssignOptions>();
  auto* remove = team->add_subcommand("remove", "Remove a user from a team");
  remove->add_option("TEAM", remove_o->target, team_help)->required();
  remove->add_option("USER", remove_o->user, user_help)->required();
  add_scope(remove, *remove_o, true);
  on_run(remove, dispatch, [remove_o](Session& session) { return run_perm_team_remove(*remove_o, session); });

  auto list_o = std::make_shared<PermShowOptions>();
  auto* list = team->add_subcommand("list", "List the workspace's teams as a tree (path, depth, counts)");
  add_workspace(list, list_o->workspace);
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o](Session& session) { return run_perm_team_list(*list_o, session); });

  auto show_o = std::make_shared<PermShowOptions>();
  auto* show = team->add_subcommand("show", "Show a team and its leaders and members");
  show->add_option("TEAM", show_o->target, team_help)->required();
  add_workspace(show, show_o->workspace);
  on_run(show, dispatch, [show_o](Session& session) { return run_perm_team_show(*show_o, session); });
}

void add_shares(CLI::App& perm, Dispatch& dispatch) {
  auto share_o = std::make_shared<PermShareOptions>();
  auto* share = perm.add_subcommand("share", "Share one record with a user or a team at an access level");
  share->add_option("RECORD", share_o->record, record_help)->required();
  share->add_option("--user", share_o->user, user_help);
  share->add_option("--team", share_o->team, "The team (its leaders and members): name or id");
  share->add_option("--level", share_o->level, "read, read_write or full")
      ->required()
      ->check(CLI::IsMember(access_levels));
  share->add_option("--expires", share_o->expires, "ISO 8601 time after which the share no longer counts");
  add_scope(share, *share_o, true);
  on_run(share, dispatch, [share_o](Session& session) { return run_perm_share(*share_o, session); });

  auto unshare_o = std::make_shared<PermShareOptions>();
  auto* unshare = perm.add_subcommand("unshare", "Stop sharing a record with a user or a team");
  unshare->add_option("RECORD", unshare_o->record, record_help)->required();
  unshare->add_option("--user", unshare_o->user, user_help);
  unshare->add_option("--team", unshare_o->team, team_help);
  add_scope(unshare, *unshare_o, true);
  on_run(unshare, dispatch, [unshare_o](Session& session) { return run_perm_unshare(*unshare_o, session); });

  auto shares_o = std::make_shared<PermShareOptions>();
  auto* shares = perm.add_subcommand("shares", "List a record's shares, expired ones included");
  shares->add_option("RECORD", shares_o->record, record_help)->required();
  add_workspace(shares, shares_o->workspace);
  on_run(shares, dispatch, [shares_o](Session& session) { return run_perm_shares(*shares_o, session); });

  auto* owner = perm.add_subcommand("owner", "Record owners: the anchor of record-level access");
  owner->require_subcommand(1);
  auto set_o = std::make_shared<PermOwnerOptions>();
  auto* set = owner->add_subcommand("set", "Set (or change) the owner of a record");
  set->add_option("RECORD", set_o->record, record_help)->required();
  set->add_option("--user", set_o->user, user_help)->required();
  add_scope(set, *set_o, true);
  on_run(set, dispatch, [set_o](Session& session) { return run_perm_owner_set(*set_o, session); });
  auto show_o = std::make_shared<PermOwnerOptions>();
  auto* show = owner->add_subcommand("show", "Show the owner of a record");
  show->add_option("RECORD", show_o->record, record_help)->required();
  add_workspace(show, show_o->workspace);
  on_run(show, dispatch, [show_o](Session& session) { return run_perm_owner_show(*show_o, session); });
}

void add_check(CLI::App& perm, Dispatch& dispatch) {
  auto o = std::make_shared<PermCheckOptions>();
  auto* check = perm.add_subcommand("check", "Is a user allowed a permission (on a record)? Exit 0 allowed, 5 denied");
  check->add_option("USER", o->user, user_help);
  check->add_option("PERMISSION", o->permission, "A concrete module:resource:action (no wildcards)");
  check->add_option("--record", o->record, "Also consider access to this record: TYPE:ID");
  check->add_option("--batch", o->batch,
                    "Answer every \"USER PERMISSION [TYPE:ID]\" line of this file (/dev/stdin for a pipe)");
  check->add_flag("--explain", o->explain, "Add which grant decided it: role, profile, set, team leadership or share");
  add_workspace(check, o->workspace);
  on_run(check, dispatch, [o](Session& session) { return run_perm_check(*o, session); });
}

}  // namespace

void register_perm_access(CLI::App& perm, Dispatch& dispatch) {
  add_team(perm, dispatch);
  add_shares(perm, dispatch);
  add_check(perm, dispatch);
}

}  // namespace wfa
