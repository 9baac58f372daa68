// Flags of `wfa workspace`.
#include "cli/command_cli.hpp"
#include "commands/registry_cli.hpp"

namespace wfa {

void register_workspace(CLI::App& root, Dispatch& dispatch) {
  auto* workspace = root.add_subcommand("workspace", "Manage workspaces");
  workspace->require_subcommand(1);
  (void)dispatch;
}

}  // namespace wfa
