// The wfa binary: everything else lives in the wfa_cli and wfa_core libraries.
#include <csignal>
#include <iostream>

#include "cli/entry_cli.hpp"

int main(int argc, char** argv) {
  // A closed pipe must surface as an error, not kill the process (libpqxx asks for the same).
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  return wfa::wfa_main(argc, argv, std::cout, std::cerr, std::cin);
}
