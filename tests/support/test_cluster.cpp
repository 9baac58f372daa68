#include "tests/support/test_cluster.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <chrono>
#include <random>
#include <thread>

#include "core/database.hpp"
#include "core/migrations.hpp"

namespace fs = std::filesystem;

namespace wfa::test {

namespace {

fs::path cluster_dir() { return fs::path(WFA_TEST_CLUSTER_DIR) / "pg"; }

/// SetupLock serialises template creation between test processes.
class SetupLock {
 public:
  SetupLock() {
    fs::create_directories(WFA_TEST_CLUSTER_DIR);
    fd_ = ::open((fs::path(WFA_TEST_CLUSTER_DIR) / "setup.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    flock(fd_, LOCK_EX);
  }
  ~SetupLock() { ::close(fd_); }

 private:
  int fd_;
};

bool template_exists(pqxx::nontransaction& tx) {
  return !tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate", template_dbname).empty();
}

void build_template(EmbeddedCluster& cluster) {
  pqxx::connection admin(cluster.conninfo("postgres"));
  {
    pqxx::nontransaction tx(admin);
    if (!tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", template_dbname).empty()) {
      tx.exec(std::string("ALTER DATABASE ") + template_dbname + " WITH is_template false");
      tx.exec(std::string("DROP DATABASE ") + template_dbname + " WITH (FORCE)");
    }
    tx.exec(std::string("CREATE DATABASE ") + template_dbname);
  }
  {
    pqxx::connection conn(cluster.conninfo(template_dbname));
    Migrator(conn, source_dir() / "migrations").migrate(false);
  }
  pqxx::nontransaction tx(admin);
  tx.exec(std::string("ALTER DATABASE ") + template_dbname + " WITH is_template true ALLOW_CONNECTIONS false");
}

}  // namespace

fs::path source_dir() { return WFA_SOURCE_DIR; }

void copy_migrations(const fs::path& to) {
  fs::create_directories(to);
  for (const auto& e : fs::directory_iterator(source_dir() / "migrations"))
    fs::copy_file(e.path(), to / e.path().filename());
}

EmbeddedCluster& test_cluster() {
  static EmbeddedCluster cluster(ClusterSettings{cluster_dir(), "", "wfa-postgres", true});
  return cluster;
}

void ensure_template() {
  SetupLock lock;
  auto& cluster = test_cluster();
  cluster.ensure_running("postgres");
  pqxx::connection admin(cluster.conninfo("postgres"));
  pqxx::nontransaction tx(admin);
  if (template_exists(tx)) return;
  build_template(cluster);
}

void rebuild_template() {
  SetupLock lock;
  auto& cluster = test_cluster();
  cluster.ensure_running("postgres");
  build_template(cluster);
}

void destroy_cluster() {
  SetupLock lock;
  test_cluster().stop();
  std::error_code ec;
  fs::remove_all(cluster_dir(), ec);
}

TestDatabase::TestDatabase() {
  ensure_template();
  static std::atomic<int> counter{0};
  std::random_device rd;
  name_ = "t_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
  pqxx::connection admin(test_cluster().conninfo("postgres"));
  pqxx::nontransaction tx(admin);
  tx.exec("CREATE DATABASE " + tx.quote_name(name_) + " TEMPLATE " + template_dbname);
}

TestDatabase::~TestDatabase() {
  conn_.reset();
  try {
    pqxx::connection admin(test_cluster().conninfo("postgres"));
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (...) {
    // The cluster is thrown away at the end of the run anyway.
  }
}

std::string TestDatabase::url() const { return test_cluster().conninfo(name_, Database::verb_role); }

std::string TestDatabase::serve_url() const { return test_cluster().conninfo(name_, Database::serve_role); }

std::string TestDatabase::owner_url() const { return test_cluster().conninfo(name_); }

pqxx::connection_base& TestDatabase::conn() {
  if (!conn_) conn_ = std::make_unique<pqxx::connection>(owner_url());
  return *conn_;
}

long TestDatabase::count(const std::string& table) {
  pqxx::nontransaction tx(conn());
  return tx.exec("SELECT count(*) FROM " + tx.quote_name(table))[0][0].as<long>();
}

std::string TestDatabase::value(const std::string& sql) {
  pqxx::nontransaction tx(conn());
  auto r = tx.exec(sql);
  return r.empty() || r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
}

void TestDatabase::exec(const std::string& sql) {
  pqxx::nontransaction tx(conn());
  tx.exec(sql);
}

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "wfa-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
  fs::permissions(path_, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
}

TempDir::~TempDir() {
  // A cluster started inside must be stopped before its files go.
  EmbeddedCluster cluster(ClusterSettings{path_ / "pg", "", "wfa-postgres", true});
  try {
    cluster.stop();
  } catch (...) {
  }
  std::error_code ec;
  fs::remove_all(path_, ec);
}

ProcessResult run_wfa(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                      const std::string& stdin_data) {
  ProcessOptions options;
  options.unset_env = {"WFA_DATABASE_URL",
                       "DATABASE_URL",
                       "WFA_DATA_DIR",
                       "WFA_OUTPUT",
                       "WFA_QUIET",
                       "WFA_CONFIG",
                       "WFA_ACTOR",
                       "WFA_AS",
                       "WFA_MIGRATIONS_DIR",
                       "WFA_PG_BINDIR",
                       "NO_COLOR",
                       "WFA_DATABASE_OWNER_URL",
                       "WFA_DATABASE_REPLICA_URL",
                       "WFA_SERVE_DATABASE_URL",
                       "WFA_DEBUG"};
  options.set_env = env;
  options.stdin_data = stdin_data;
  std::vector<std::string> argv = {WFA_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, options);
}

void wait_for_lock_waiters(pqxx::connection_base& observer, int n) {
  for (int i = 0; i < 300; ++i) {
    pqxx::nontransaction q(observer);
    auto waiting =
        q.exec("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    if (waiting[0][0].as<int>() >= n) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::pair<ProcessResult, ProcessResult> race_to_commit(TestDatabase& db, const std::function<ProcessResult()>& a,
                                                       const std::function<ProcessResult()>& b) {
  pqxx::connection observer(db.url());
  pqxx::work hold(db.conn());
  hold.exec("LOCK TABLE audit_log IN EXCLUSIVE MODE");
  std::pair<ProcessResult, ProcessResult> results;
  std::thread ta([&] { results.first = a(); });
  std::thread tb([&] { results.second = b(); });
  wait_for_lock_waiters(observer, 2);
  hold.abort();
  ta.join();
  tb.join();
  return results;
}

}  // namespace wfa::test

extern char** environ;

namespace wfa::test {

pid_t spawn_wfa(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                const std::string& dir, const std::string& log) {
  std::vector<std::string> argv_text = {WFA_BINARY};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e)
    if (std::string(*e).rfind("WFA_", 0) != 0) env_text.emplace_back(*e);
  for (const auto& [name, value] : env) env_text.push_back(name + "=" + value);
  std::vector<char*> argv, envp;
  for (auto& a : argv_text) argv.push_back(a.data());
  for (auto& e : env_text) envp.push_back(e.data());
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const char* out = log.empty() ? "/dev/null" : log.c_str();
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out, O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, out, O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  pid_t pid = -1;
  int failed = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (failed != 0) throw std::runtime_error("cannot start " + argv_text[0]);
  return pid;
}

}  // namespace wfa::test
