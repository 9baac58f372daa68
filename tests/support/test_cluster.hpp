#pragma once
#include <sys/types.h>
/// The integration-test database: one throwaway cluster per ctest run (in the build tree),
/// a template database migrated once, and a fresh clone of it per test.
#include <filesystem>
#include <functional>
#include <utility>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/embedded_cluster.hpp"
#include "core/process.hpp"

#include "core/pqxx_fwd.hpp"

namespace wfa::test {

inline constexpr const char* template_dbname = "wfa_template";

/// test_cluster is the shared cluster; ensure_template() starts it and builds the template if needed.
EmbeddedCluster& test_cluster();
void ensure_template();
/// rebuild_template drops and re-creates the template from the current migrations (ctest setup).
void rebuild_template();
/// destroy_cluster stops the cluster and deletes its directory (ctest cleanup).
void destroy_cluster();

/// TestDatabase is a fresh database cloned from the template, dropped on destruction.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  /// url is a libpq connection string as the verb role; pass it as WFA_DATABASE_URL to the binary.
  std::string url() const;
  /// serve_url connects as `wfa serve`'s role, which row-level security binds; the binary gets it as
  /// WFA_SERVE_DATABASE_URL.
  std::string serve_url() const;
  /// owner_url connects as the schema's owner (the cluster's superuser); conn() uses it, and the binary gets it
  /// as WFA_DATABASE_OWNER_URL.
  std::string owner_url() const;
  pqxx::connection_base& conn();
  /// count runs SELECT count(*) FROM TABLE.
  long count(const std::string& table);
  /// value runs a one-value query (test SQL, never user input) and returns it as text; "" for NULL or no row.
  std::string value(const std::string& sql);
  /// exec runs test SQL in its own transaction.
  void exec(const std::string& sql);

 private:
  std::string name_;
  std::unique_ptr<pqxx::connection> conn_;
};

/// wait_for_lock_waiters polls (up to 15 s) until N sessions of DATABASE_NAME wait on a lock:
/// concurrency tests hold a lock, start N processes, and release it once all of them are queued.
void wait_for_lock_waiters(pqxx::connection_base& observer, int n);

/// race_to_commit runs A and B at once while the audit log is locked, so both stop after their checks just before
/// commit, and releases it once both wait on some lock: a missing row lock lets both through.
std::pair<ProcessResult, ProcessResult> race_to_commit(TestDatabase& db, const std::function<ProcessResult()>& a,
                                                       const std::function<ProcessResult()>& b);

/// TempDir is a private directory removed on destruction (search permission for the server account).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// run_wfa runs the built binary with ARGS and extra environment; WFA_* of the caller are cleared.
ProcessResult run_wfa(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                      const std::string& stdin_data = "");

/// spawn_wfa starts the built binary with ARGS and ENV (the caller's WFA_* cleared) in DIR (default: this one), its
/// output discarded or appended to the file LOG, without waiting: for kill -9, concurrency and server tests. Returns
/// the pid for waitpid.
pid_t spawn_wfa(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                const std::string& dir = "", const std::string& log = "");

std::filesystem::path source_dir();
/// copy_migrations copies the source tree's migrations into TO (made if missing), for tests that edit them.
void copy_migrations(const std::filesystem::path& to);

}  // namespace wfa::test
