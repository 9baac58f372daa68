// ctest fixture: `setup` starts the throwaway cluster and (re)builds the template database;
// `cleanup` stops it and deletes its files.
#include <iostream>
#include <string_view>

#include "core/error.hpp"
#include "tests/support/test_cluster.hpp"

int main(int argc, char** argv) {
  std::string_view verb = argc > 1 ? argv[1] : "";
  try {
    if (verb == "setup") {
      wfa::test::rebuild_template();
    } else if (verb == "cleanup") {
      wfa::test::destroy_cluster();
    } else {
      std::cerr << "usage: wfa_test_cluster setup|cleanup\n";
      return 2;
    }
  } catch (...) {
    auto failure = wfa::classify(std::current_exception());
    std::cerr << "wfa_test_cluster " << verb << ": " << failure.message << " " << failure.hint << '\n';
    return 1;
  }
  return 0;
}
