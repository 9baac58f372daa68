#pragma once
/// Child processes (initdb, pg_ctl, psql) started without a shell, optionally as another account.
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wfa {

/// Account is an unprivileged user the embedded server runs as when wfa runs as root.
struct Account {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};
std::optional<Account> lookup_account(const std::string& name);

struct ProcessOptions {
  std::optional<Account> run_as;
  std::filesystem::path cwd;                   ///< empty: inherit
  std::map<std::string, std::string> set_env;  ///< added to (or replacing in) the inherited environment
  std::vector<std::string> unset_env;
  std::string stdin_data;
  bool die_with_parent = false;  ///< SIGKILL the child when wfa dies first, so nothing it writes outlives a kill
};

struct ProcessResult {
  int exit_code = -1;  ///< the child's exit status, or 128+signal
  std::string out;
  std::string err;
};

/// run_process runs argv[0] (searched in PATH when it has no '/') and captures stdout and stderr.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

/// find_executable searches PATH; empty when absent.
std::filesystem::path find_executable(const std::string& name);

}  // namespace wfa
