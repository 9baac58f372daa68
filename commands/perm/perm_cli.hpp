#pragma once
/// The `wfa perm` groups, registered by register_perm; included only by *_cli.cpp files.
#include <string>

namespace CLI {
class App;
}

namespace wfa {

struct Dispatch;

struct PermScope;

/// add_scope binds the --workspace (required) and, for a mutation, --dry-run flags of every perm verb.
void add_scope(CLI::App* command, PermScope& scope, bool mutation);
/// add_workspace binds a required --workspace to WORKSPACE.
void add_workspace(CLI::App* command, std::string& workspace);

/// register_perm_access adds `team`, `share`, `unshare`, `shares`, `owner` and `check` under PERM.
void register_perm_access(CLI::App& perm, Dispatch& dispatch);

}  // namespace wfa
