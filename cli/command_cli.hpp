#pragma once
/// Glue between CLI11 and the command framework; included only by *_cli.cpp files.
#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "core/session.hpp"

namespace wfa {

/// on_run makes COMMAND, when selected, hand ACTION to main through DISPATCH.
inline void on_run(CLI::App* command, Dispatch& dispatch, Action action) {
  command->callback([&dispatch, action = std::move(action)] { dispatch.action = action; });
}

}  // namespace wfa
