// Starting a test's helper server (see spawned_server.hpp).
#include "tests/support/spawned_server.hpp"

#include <spawn.h>
#include <unistd.h>

#include <stdexcept>

extern char** environ;

namespace wfa::test {

SpawnedServer spawn_server(std::vector<std::string> args, const std::string& what) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  SpawnedServer server;
  int rc = posix_spawn(&server.pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) throw std::runtime_error("could not start " + what);
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') server.first_line += c;
  ::close(out[0]);
  return server;
}

}  // namespace wfa::test
