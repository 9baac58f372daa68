#pragma once
/// What a parsed command line resolves to: an action that main runs with the Context's Session.
#include <functional>

#include "core/result.hpp"

namespace wfa {

class Session;

/// Action runs the chosen verb; its Result carries the data and the exit category.
using Action = std::function<Result(Session&)>;

/// Dispatch records the action chosen while parsing; main runs it once the Context exists,
/// so every failure flows through one handler.
struct Dispatch {
  Action action;
};

}  // namespace wfa
