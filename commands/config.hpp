#pragma once
/// `wfa config show`: the effective settings and, with --sources, where each came from.
#include "cli/output.hpp"

namespace wfa {

class Context;

struct ConfigShowOptions {
  bool sources = false;
};

Result run_config_show(const ConfigShowOptions& options, Context& ctx);

}  // namespace wfa
