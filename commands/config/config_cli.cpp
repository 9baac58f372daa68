// Flags of `wfa config`.
#include "cli/command_cli.hpp"
#include "commands/config/config.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

void register_config(CLI::App& root, Dispatch& dispatch) {
  auto* config = root.add_subcommand("config", "Show wfa's settings and where they come from");
  config->require_subcommand(1);
  auto opts = std::make_shared<ConfigShowOptions>();
  auto* show = config->add_subcommand("show", "Print the effective settings (secrets masked)");
  show->add_flag("--sources", opts->sources, "Add the origin of each value: flag, env, file:line or default");
  on_run(show, dispatch, [opts](Session& session) { return run_config_show(*opts, session); });
}

}  // namespace wfa
