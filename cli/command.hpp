#pragma once
/// What a parsed command line resolves to: an action that main runs with a Context.
#include <functional>
#include <optional>

#include "cli/error.hpp"
#include "cli/output.hpp"

namespace wfa {

class Context;

/// Outcome is a command's answer to main: data to render (if any) and the exit category.
struct Outcome {
  std::optional<Result> result;
  ErrorCategory category = ErrorCategory::ok;
};

using Action = std::function<Outcome(Context&)>;

/// Dispatch records the action chosen while parsing; main runs it once the Context exists,
/// so every failure flows through one handler.
struct Dispatch {
  Action action;
};

}  // namespace wfa
