#pragma once
// The job queue's tests: test mode (the test.effect kind), its effects table, and workers started, waited for and
// stopped as processes.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/integration_fixture.hpp"

namespace wfa::test {

/// effects_table_sql makes the table test.effect counts its runs in, writable by the verbs' role.
inline const char* effects_table_sql =
    "CREATE TABLE job_test_effects (job_id bigint PRIMARY KEY, runs integer NOT NULL, attempt integer NOT NULL);"
    " GRANT SELECT, INSERT, UPDATE ON job_test_effects TO wfa_app";

/// exited waits up to SECONDS for PID and returns its exit status (128+signal when killed), or -1 if it still runs.
inline int exited(pid_t pid, double seconds) {
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  do {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < until);
  return -1;
}

/// eventually polls CHECK every 20 ms for up to SECONDS.
inline bool eventually(const std::function<bool()>& check, double seconds) {
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  do {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < until);
  return check();
}

struct JobFixture : IntegrationFixture {
  std::vector<pid_t> workers;

  JobFixture() {
    env["WFA_TEST_MODE"] = "1";
    exec(effects_table_sql);
  }
  ~JobFixture() {
    for (auto pid : workers) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }

  /// payloads writes N lines of PAYLOAD (with "i": n added when it is {}) and returns the file.
  std::string payloads(int n, const std::string& payload = "{}") {
    std::string lines;
    for (int i = 1; i <= n; ++i) lines += (payload == "{}" ? "{\"i\": " + std::to_string(i) + "}" : payload) + "\n";
    return file("payloads-" + std::to_string(n) + ".ndjson", lines);
  }
  /// enqueue adds one KIND job with PAYLOAD and returns its id.
  std::string enqueue(const std::string& kind, const std::string& payload = "{}", std::vector<std::string> more = {}) {
    std::vector<std::string> args{"job", "enqueue", kind, "--payload", payload};
    args.insert(args.end(), more.begin(), more.end());
    auto r = run_json(args);
    return r["id"].dump();
  }
  /// worker starts `wfa worker ARGS`, its stderr appended to worker-N.log in the test's directory.
  pid_t worker(std::vector<std::string> args) {
    args.insert(args.begin(), "worker");
    auto log = (dir.path() / ("worker-" + std::to_string(workers.size()) + ".log")).string();
    workers.push_back(spawn_wfa(args, env, "", log));
    return workers.back();
  }
  /// stop sends SIGTERM to PID and returns its exit status (-1 when it did not exit within SECONDS).
  int stop(pid_t pid, double seconds = 30) {
    ::kill(pid, SIGTERM);
    int code = exited(pid, seconds);
    if (code != -1) workers.erase(std::find(workers.begin(), workers.end(), pid));
    return code;
  }
  /// log is worker N's standard error so far.
  std::string log(std::size_t n) {
    std::ifstream in(dir.path() / ("worker-" + std::to_string(n) + ".log"));
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  long jobs(const std::string& status) {
    return std::stol(value("SELECT count(*) FROM jobs WHERE status = '" + status + "'"));
  }
};

}  // namespace wfa::test
