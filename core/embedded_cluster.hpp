#pragma once
/// EmbeddedCluster is wfa's own PostgreSQL server in DIR (default $WFA_DATA_DIR/pg):
/// initdb on first use, started on demand, reachable only through a Unix socket inside DIR.
#include <filesystem>
#include <optional>
#include <string>

#include "core/process.hpp"

namespace wfa {

struct ClusterSettings {
  std::filesystem::path dir;                  ///< PGDATA; the socket lives here too
  std::string bindir;                         ///< empty: search the usual places
  std::string service_user = "wfa-postgres";  ///< runs the server when wfa runs as root (scripts/install-deps.sh)
  bool throwaway = false;                     ///< fsync off: for test clusters only
};

/// ClusterStatus is a snapshot for `wfa db status`.
struct ClusterStatus {
  bool initialized = false;
  bool running = false;
  std::string server_version;  ///< from PG_VERSION
  std::string bindir;
};

class EmbeddedCluster {
 public:
  static constexpr const char* superuser = "wfa";
  static constexpr int port = 5432;

  explicit EmbeddedCluster(ClusterSettings settings);

  const std::filesystem::path& dir() const { return settings_.dir; }
  bool initialized() const;
  bool running() const;
  ClusterStatus status() const;

  /// ensure_running initialises and starts the cluster if needed and creates DBNAME; safe to
  /// call from several processes at once (a file lock serialises them). Returns true if it created DBNAME.
  bool ensure_running(const std::string& dbname);
  void start();
  /// stop returns false when the server was not running.
  bool stop();

  /// conninfo is a libpq connection string for DBNAME over the cluster's socket, as ROLE.
  std::string conninfo(const std::string& dbname, const std::string& role = superuser) const;

 private:
  void init();
  /// check_ownership refuses (exit 6) a data directory that is a symbolic link, belongs to another user or is
  /// writable by others, or an ancestor another user could change: wfa, as root, would hand it to the server.
  void check_ownership() const;
  /// set_up_by_wfa says whether DIR holds the marker init() writes last, once the configuration is complete.
  bool set_up_by_wfa() const;
  /// refuse_foreign throws the one-line refusal to use a data directory wfa did not set up.
  [[noreturn]] void refuse_foreign() const;
  void create_database(const std::string& dbname, bool& created);
  std::string bindir() const;
  ProcessOptions server_process() const;

  ClusterSettings settings_;
  mutable std::string bindir_;
};

/// conninfo_quote quotes a libpq connection-string value.
std::string conninfo_quote(const std::string& value);

}  // namespace wfa
