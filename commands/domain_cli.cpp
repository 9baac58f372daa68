// Flags of `wfa domain`.
#include "cli/command_cli.hpp"
#include "commands/registry_cli.hpp"

namespace wfa {

void register_domain(CLI::App& root, Dispatch& dispatch) {
  auto* domain = root.add_subcommand("domain", "Manage domains");
  domain->require_subcommand(1);
  (void)dispatch;
}

}  // namespace wfa
