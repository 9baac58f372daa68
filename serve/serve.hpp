#pragma once
/// `wfa serve`: the HTTP front end. run_serve listens, answers until SIGTERM or SIGINT, drains, and returns.
#include <optional>
#include <string>

#include "core/result.hpp"

namespace wfa {

class Session;

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";  ///< ADDRESS:PORT; port 0 picks a free one (printed on the first line)
  unsigned threads = 0;                   ///< 0: one per core
};

Result run_serve(const ServeOptions& options, Session& session);

}  // namespace wfa
