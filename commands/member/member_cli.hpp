#pragma once
/// CLI11 helpers the access nouns (member, invite) share.
#include <CLI/CLI.hpp>

#include "commands/member/member_scope.hpp"

namespace wfa {

/// add_scope_flags adds --partner P and --workspace W (mutually exclusive, one required at run time).
inline void add_scope_flags(CLI::App* command, ScopeFlags& flags) {
  auto* partner = command->add_option("--partner", flags.partner, "Partner: id or slug");
  auto* workspace =
      command->add_option("--workspace", flags.workspace, "Workspace: id or PARTNER/SLUG, e.g. acme/main");
  partner->excludes(workspace);
}

}  // namespace wfa
