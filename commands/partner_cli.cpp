// Flags of `wfa partner`.
#include "cli/command_cli.hpp"
#include "commands/registry_cli.hpp"

namespace wfa {

void register_partner(CLI::App& root, Dispatch& dispatch) {
  auto* partner = root.add_subcommand("partner", "Manage partners");
  partner->require_subcommand(1);
  (void)dispatch;
}

}  // namespace wfa
