#pragma once
/// `wfa config show`: the effective settings and, with --sources, where each came from.
#include "core/result.hpp"

namespace wfa {

class Session;

struct ConfigShowOptions {
  bool sources = false;
};

Result run_config_show(const ConfigShowOptions& options, Session& session);

}  // namespace wfa
