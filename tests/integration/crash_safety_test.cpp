// A set-up of the embedded cluster that is killed at any point leaves nothing a later run could start with
// initdb's defaults: nothing listens outside the data directory, and the next command works or says the fix.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/nontransaction>

#include "core/embedded_cluster.hpp"
#include "tests/support/integration_fixture.hpp"

namespace fs = std::filesystem;
using namespace wfa;

namespace {

/// tcp_listeners are the local addresses of the machine's listening TCP sockets on PostgreSQL's port, 5432 (other
/// tests running beside this one open listeners of their own on other ports).
std::set<std::string> tcp_listeners() {
  std::set<std::string> found;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      if (state == "0A" && local.size() > 5 && local.substr(local.size() - 5) == ":1538") found.insert(local);
    }
  }
  return found;
}

/// shared_sockets are the PostgreSQL sockets in the directories Debian's defaults would use.
std::set<std::string> shared_sockets() {
  std::set<std::string> found;
  for (const char* dir : {"/tmp", "/var/run/postgresql", "/run/postgresql"}) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().filename().string().rfind(".s.PGSQL.", 0) == 0) found.insert(it->path().string());
  }
  return found;
}

/// killed_init starts `wfa db init` in DATA, sends SIG after DELAY and reaps it.
void killed_init(const fs::path& data, int sig, std::chrono::milliseconds delay) {
  std::vector<std::string> args = {WFA_BINARY, "db", "init"};
  std::vector<std::string> env = {"WFA_DATA_DIR=" + data.string(),
                                  "WFA_MIGRATIONS_DIR=" + (test::source_dir() / "migrations").string(),
                                  "PATH=/usr/bin:/bin"};
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t quiet;
  posix_spawn_file_actions_init(&quiet);
  posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, WFA_BINARY, &quiet, nullptr, argv.data(), envp.data()), 0);
  posix_spawn_file_actions_destroy(&quiet);
  std::this_thread::sleep_for(delay);
  kill(pid, sig);
  waitpid(pid, nullptr, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // children that die with it are gone by now
}

}  // namespace

TEST(CrashSafety, AKilledDbInitNeverListensOutsideItsSocketAndTheNextRunWorks) {
  auto listeners = tcp_listeners();
  auto sockets = shared_sockets();
  std::map<std::string, std::string> base = {{"WFA_MIGRATIONS_DIR", (test::source_dir() / "migrations").string()}};
  for (int sig : {SIGKILL, SIGTERM}) {
    for (int ms : {40, 300, 900, 2000}) {
      SCOPED_TRACE(std::string(sig == SIGKILL ? "SIGKILL" : "SIGTERM") + " after " + std::to_string(ms) + " ms");
      test::TempDir data;
      killed_init(data.path(), sig, std::chrono::milliseconds(ms));
      EXPECT_EQ(tcp_listeners(), listeners) << "a killed set-up must never leave a TCP listener";
      EXPECT_EQ(shared_sockets(), sockets) << "nor a socket in a shared directory";
      auto pg = data.path() / "pg";
      EXPECT_TRUE(!fs::exists(pg) || fs::exists(pg / "wfa-cluster")) << "DIR is there only complete";

      auto env = base;
      env["WFA_DATA_DIR"] = data.path().string();
      auto next = test::run_wfa({"db", "status", "-o", "json"}, env);
      ASSERT_EQ(next.exit_code, 0) << next.err;
      EXPECT_EQ(nlohmann::json::parse(next.out)["schema"], "current");
      EXPECT_EQ(tcp_listeners(), listeners);
      for (const auto& e : fs::directory_iterator(data.path()))
        EXPECT_EQ(e.path().filename().string().find("pg.init-"), std::string::npos) << "leftover " << e.path();
      std::ifstream hba(pg / "pg_hba.conf");
      std::string line;
      while (std::getline(hba, line))
        EXPECT_TRUE(line.empty() || line[0] == '#' || line.rfind("local", 0) == 0) << "pg_hba.conf: " << line;
      EmbeddedCluster cluster(ClusterSettings{pg, "", "wfa-postgres", true});
      pqxx::connection conn(cluster.conninfo("wfa"));
      pqxx::nontransaction q(conn);
      EXPECT_EQ(q.exec("SHOW listen_addresses")[0][0].as<std::string>(), "");
      EXPECT_EQ(q.exec("SHOW unix_socket_directories")[0][0].as<std::string>(), pg.string());
    }
  }
}

TEST(CrashSafety, ADataDirectoryWfaDidNotSetUpIsRefusedWithTheFix) {
  auto listeners = tcp_listeners();
  test::TempDir data;
  auto pg = data.path() / "pg";
  fs::create_directories(pg);
  std::ofstream(pg / "PG_VERSION") << "15\n";
  std::ofstream(pg / "postgresql.conf") << "listen_addresses = '*'\n";
  std::map<std::string, std::string> env = {{"WFA_DATA_DIR", data.path().string()},
                                            {"WFA_MIGRATIONS_DIR", (test::source_dir() / "migrations").string()}};
  auto refused = test::run_wfa({"partner", "list"}, env);
  EXPECT_EQ(refused.exit_code, 6) << refused.err;
  EXPECT_EQ(test::lines(refused.err), 1u) << refused.err;
  EXPECT_NE(refused.err.find("was not set up by wfa"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("mv " + pg.string()), std::string::npos) << refused.err;
  EXPECT_EQ(tcp_listeners(), listeners);

  fs::remove(pg / "PG_VERSION");
  auto half = test::run_wfa({"db", "status"}, env);
  EXPECT_EQ(half.exit_code, 6) << "a non-empty directory without a cluster is not wfa's either: " << half.err;
  EXPECT_EQ(test::lines(half.err), 1u) << half.err;
}

TEST(CrashSafety, AClusterOfAnEarlierWfaIsAdoptedWithALocalOnlyPgHba) {
  test::TempDir data;
  std::map<std::string, std::string> env = {{"WFA_DATA_DIR", data.path().string()},
                                            {"WFA_MIGRATIONS_DIR", (test::source_dir() / "migrations").string()}};
  ASSERT_EQ(test::run_wfa({"db", "init"}, env).exit_code, 0);
  ASSERT_EQ(test::run_wfa({"db", "stop"}, env).exit_code, 0);
  auto pg = data.path() / "pg";
  fs::remove(pg / "wfa-cluster");  // as an earlier wfa left it: wfa's block in postgresql.conf, Debian's pg_hba
  std::ofstream(pg / "pg_hba.conf", std::ios::app) << "host all all 127.0.0.1/32 trust\n";
  auto r = test::run_wfa({"partner", "list"}, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(pg / "wfa-cluster"));
  std::ifstream hba(pg / "pg_hba.conf");
  std::string line;
  while (std::getline(hba, line))
    EXPECT_TRUE(line.empty() || line[0] == '#' || line.rfind("local", 0) == 0) << "pg_hba.conf: " << line;
}

TEST(CrashSafety, ADataDirectoryThatIsNotReallyOursIsRefusedAndItsTargetUntouched) {
  if (geteuid() != 0) GTEST_SKIP() << "the hand-over to the server account happens only as root";
  test::TempDir root;
  auto victim = root.path() / "victim";
  fs::create_directories(victim);
  fs::permissions(victim, fs::perms::owner_all);
  std::ofstream(victim / "secret") << "root only\n";
  auto env_for = [](const fs::path& data) {
    return std::map<std::string, std::string>{{"WFA_DATA_DIR", data.string()},
                                              {"WFA_MIGRATIONS_DIR", (test::source_dir() / "migrations").string()}};
  };
  auto expect_refused = [&](const fs::path& data, const std::string& why) {
    auto r = test::run_wfa({"partner", "list"}, env_for(data));
    EXPECT_EQ(r.exit_code, 6) << why << ": " << r.err;
    EXPECT_EQ(test::lines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find(why), std::string::npos) << r.err;
    struct stat st {};
    ASSERT_EQ(::stat(victim.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 0u) << "the victim keeps its owner";
    EXPECT_EQ(st.st_mode & 07777, 0700u);
    EXPECT_FALSE(fs::exists(victim / "PG_VERSION"));
  };
  auto link = root.path() / "link";
  fs::create_directory_symlink(victim, link);
  expect_refused(link, "is a symbolic link");

  auto data = root.path() / "data";
  fs::create_directories(data);
  fs::create_directory_symlink(victim, data / "pg");
  expect_refused(data, "is a symbolic link");
  fs::remove(data / "pg");

  fs::permissions(data, fs::perms::all);
  expect_refused(data, "is writable by other users");
  fs::permissions(data, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  if (const passwd* nobody = getpwnam("nobody")) {
    ASSERT_EQ(::chown(data.c_str(), nobody->pw_uid, nobody->pw_gid), 0);
    expect_refused(data, "belongs to another user");
    ASSERT_EQ(::chown(data.c_str(), 0, 0), 0);
  }
  auto fine = test::run_wfa({"db", "init"}, env_for(data));
  ASSERT_EQ(fine.exit_code, 0) << fine.err;
  struct stat st {};
  ASSERT_EQ(::stat((data / "pg").c_str(), &st), 0);
  const passwd* server = getpwnam("wfa-postgres");
  ASSERT_NE(server, nullptr) << "scripts/install-deps.sh makes the account";
  EXPECT_EQ(st.st_uid, server->pw_uid) << "the server runs as wfa's own account, not Debian's shared postgres";
}
