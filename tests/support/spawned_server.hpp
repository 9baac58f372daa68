#pragma once
/// Starting a test's helper server (a Python script on loopback) that prints its port as its first line.
#include <string>
#include <sys/types.h>
#include <vector>

namespace wfa::test {

/// SpawnedServer is a started server's pid and the first line it printed.
struct SpawnedServer {
  pid_t pid = -1;
  std::string first_line;
};

/// spawn_server starts ARGS (argv[0] a full path) with stdout piped, reads its first line and leaves it running;
/// WHAT names it in the error thrown when it cannot start.
SpawnedServer spawn_server(std::vector<std::string> args, const std::string& what);

}  // namespace wfa::test
