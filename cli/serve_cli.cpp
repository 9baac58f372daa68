// Flags of `wfa serve`: the HTTP front end (serve/) started from the command line.
#include "cli/command_cli.hpp"
#include "cli/command_tree.hpp"
#include "serve/serve.hpp"

namespace wfa {

void register_serve(CLI::App& root, Dispatch& dispatch) {
  auto options = std::make_shared<ServeOptions>();
  auto* serve = root.add_subcommand("serve", "Serve the Mini App, its API and the health and metrics routes");
  serve->add_option("--listen", options->listen, "ADDRESS:PORT to listen on (default 127.0.0.1:8080; port 0: any)");
  serve->add_option("--threads", options->threads, "I/O threads (default: one per core)")->check(CLI::Range(0u, 256u));
  on_run(serve, dispatch, [options](Session& session) { return run_serve(*options, session); });
}

}  // namespace wfa
