#pragma once
/// Glue between CLI11 and the command framework; included only by *_cli.cpp files.
#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace wfa {

/// on_run makes COMMAND, when selected, hand ACTION to main through DISPATCH.
inline void on_run(CLI::App* command, Dispatch& dispatch, Action action) {
  command->callback([&dispatch, action = std::move(action)] { dispatch.action = action; });
}

/// returning wraps a run_* that yields a Result into an Action.
template <class F>
Action returning(F f) {
  return [f = std::move(f)](Context& ctx) { return Outcome{f(ctx)}; };
}

}  // namespace wfa
