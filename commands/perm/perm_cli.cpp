// Flags of `wfa perm` and its `profile` and `set` groups.
#include "commands/perm/perm_cli.hpp"

#include "cli/command_cli.hpp"
#include "commands/perm/perm.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

namespace {

/// Holder is the run_* functions of one kind that holds permissions (profile or set).
struct HolderVerbs {
  const char* word;  ///< "profile" or "set"
  const char* noun;  ///< "profile" or "permission set"
  Result (*create)(const PermCreateOptions&, Session&);
  Result (*grant)(const PermGrantOptions&, Session&);
  Result (*revoke)(const PermGrantOptions&, Session&);
  Result (*list)(const PermShowOptions&, Session&);
  Result (*show)(const PermShowOptions&, Session&);
};

/// add_holder_verbs adds create, grant, revoke, list and show to GROUP.
void add_holder_verbs(CLI::App* group, Dispatch& dispatch, const HolderVerbs& v) {
  std::string noun = v.noun, target = v.word == std::string("set") ? "SET" : "PROFILE";
  auto create_o = std::make_shared<PermCreateOptions>();
  auto* create = group->add_subcommand("create", "Create a " + noun + " in a workspace");
  create->add_option("NAME", create_o->name, "Name, unique in the workspace")->required();
  create->add_option("--description", create_o->description, "What the " + noun + " is for");
  create->add_flag("--if-not-exists", create_o->if_not_exists, "Succeed without change when it exists");
  add_scope(create, *create_o, true);
  on_run(create, dispatch, [create_o, f = v.create](Session& session) { return f(*create_o, session); });

  for (bool grant : {true, false}) {
    auto o = std::make_shared<PermGrantOptions>();
    auto* verb =
        group->add_subcommand(grant ? "grant" : "revoke",
                              std::string(grant ? "Grant permissions to" : "Revoke permissions from") + " a " + noun);
    verb->add_option(target, o->target, "The " + noun + ": name or id")->required();
    verb->add_option("PERMISSION", o->permissions, "module:resource:action, * allowed in any part (one or more)")
        ->required();
    add_scope(verb, *o, true);
    on_run(verb, dispatch, [o, f = grant ? v.grant : v.revoke](Session& session) { return f(*o, session); });
  }

  auto list_o = std::make_shared<PermShowOptions>();
  auto* list = group->add_subcommand("list", "List the workspace's " + noun + "s with their permissions");
  add_workspace(list, list_o->workspace);
  add_paging(list, list_o->paging);
  on_run(list, dispatch, [list_o, f = v.list](Session& session) { return f(*list_o, session); });

  auto show_o = std::make_shared<PermShowOptions>();
  auto* show = group->add_subcommand("show", "Show a " + noun + ", its permissions and its users");
  show->add_option(target, show_o->target, "The " + noun + ": name or id")->required();
  add_workspace(show, show_o->workspace);
  on_run(show, dispatch, [show_o, f = v.show](Session& session) { return f(*show_o, session); });
}

/// add_assign adds `assign` (and `unassign`) of a profile or set to a user.
void add_assign(CLI::App* group, Dispatch& dispatch, bool is_set) {
  std::string target = is_set ? "SET" : "PROFILE", noun = is_set ? "permission set" : "profile";
  auto o = std::make_shared<PermAssignOptions>();
  auto* assign = group->add_subcommand("assign", is_set ? "Give a user a permission set, optionally until a time"
                                                        : "Give a user their profile (replaces the previous one)");
  assign->add_option(target, o->target, "The " + noun + ": name or id")->required();
  assign->add_option("USER", o->user, "The user: e-mail or id")->required();
  if (is_set) assign->add_option("--expires", o->expires, "ISO 8601 time after which the set no longer counts");
  add_scope(assign, *o, true);
  on_run(assign, dispatch, [o, is_set](Session& session) {
    return is_set ? run_perm_set_assign(*o, session) : run_perm_profile_assign(*o, session);
  });

  auto u = std::make_shared<PermAssignOptions>();
  auto* unassign = group->add_subcommand("unassign", "Take a " + noun + " away from a user");
  if (is_set) unassign->add_option(target, u->target, "The " + noun + ": name or id")->required();
  unassign->add_option("USER", u->user, "The user: e-mail or id")->required();
  add_scope(unassign, *u, true);
  on_run(unassign, dispatch, [u, is_set](Session& session) {
    return is_set ? run_perm_set_unassign(*u, session) : run_perm_profile_unassign(*u, session);
  });
}

}  // namespace

void add_workspace(CLI::App* command, std::string& workspace) {
  command->add_option("--workspace", workspace, "Workspace: id or PARTNER/SLUG, e.g. acme/main")->required();
}

void add_scope(CLI::App* command, PermScope& scope, bool mutation) {
  add_workspace(command, scope.workspace);
  if (mutation)
    command->add_flag("--dry-run", scope.dry_run, "Do the change inside a transaction, show it, then roll it back");
}

void register_perm(CLI::App& root, Dispatch& dispatch) {
  auto* perm = root.add_subcommand("perm", "Profiles, permission sets, teams, record shares and permission checks");
  perm->require_subcommand(1);

  auto* profile = perm->add_subcommand("profile", "Profiles: a workspace's named permission bundles, one per user");
  profile->require_subcommand(1);
  add_holder_verbs(profile, dispatch,
                   {"profile", "profile", run_perm_profile_create, run_perm_profile_grant, run_perm_profile_revoke,
                    run_perm_profile_list, run_perm_profile_show});
  add_assign(profile, dispatch, false);

  auto* set = perm->add_subcommand("set", "Permission sets: extra permissions for chosen users, optionally expiring");
  set->require_subcommand(1);
  add_holder_verbs(set, dispatch,
                   {"set", "permission set", run_perm_set_create, run_perm_set_grant, run_perm_set_revoke,
                    run_perm_set_list, run_perm_set_show});
  add_assign(set, dispatch, true);

  register_perm_access(*perm, dispatch);
}

}  // namespace wfa
