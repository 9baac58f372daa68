#pragma once
/// Database is the handle every command uses: the embedded cluster (default) or an external
/// PostgreSQL named by WFA_DATABASE_URL. One connection per process, opened on first use.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/pqxx_fwd.hpp"

namespace wfa {

class Config;
class EmbeddedCluster;

/// DatabaseTarget is where the database is; derived from settings, no I/O.
struct DatabaseTarget {
  std::string url;                    ///< external URL/conninfo; empty for the embedded cluster
  std::string owner_url;              ///< external only: the schema owner's URL; empty means url
  std::filesystem::path cluster_dir;  ///< embedded only: $WFA_DATA_DIR/pg
  std::string pg_bindir;
  std::string pg_user;
  std::filesystem::path migrations_dir;
  std::string role;  ///< embedded only: the role connections log in as; empty means Database::verb_role
  bool embedded() const { return url.empty(); }
  static DatabaseTarget from_config(const Config& config);
};

class Database {
 public:
  static constexpr const char* embedded_dbname = "wfa";
  /// The embedded cluster's role for verbs: it owns nothing (migrations/0012_roles.sql).
  static constexpr const char* verb_role = "wfa_app";
  /// The embedded cluster's role for `wfa serve`: subject to row-level security
  /// (migrations/0025_row_level_security.sql).
  static constexpr const char* serve_role = "wfa_serve";

  explicit Database(DatabaseTarget target);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const DatabaseTarget& target() const { return target_; }
  bool embedded() const { return target_.embedded(); }
  /// cluster is the embedded cluster (nullptr for an external database).
  EmbeddedCluster* cluster();
  /// describe is a printable location: the socket directory, or the URL with its password masked.
  std::string describe() const;

  /// connect opens the verbs' connection (the embedded cluster: the target's role, wfa_app by default); for the
  /// embedded cluster it first creates/starts it and migrates a database it has just created or whose verb role is
  /// missing.
  pqxx::connection_base& connect();
  /// owner opens the schema owner's connection, for migrations and maintenance that change the schema
  /// (the embedded cluster: its superuser; external: owner_url, else url).
  pqxx::connection_base& owner();
  /// ready is connect() plus a current schema: the embedded database gets pending migrations
  /// applied; an external one with pending migrations is an error that says to run `wfa db migrate`.
  pqxx::connection_base& ready();
  /// created_migrations counts the migrations connect() applied to a database it had just created.
  std::size_t created_migrations() const { return created_migrations_; }
  /// open_another opens one more verbs' connection, for a worker thread that must commit on its own (call connect()
  /// first); the caller owns it.
  std::unique_ptr<pqxx::connection> open_another();
  /// reset_connection drops the connection (after `db reset`, or a broken connection).
  void reset_connection();

 private:
  DatabaseTarget target_;
  std::unique_ptr<EmbeddedCluster> cluster_;
  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::connection> owner_;
  std::size_t created_migrations_ = 0;
  /// role is the embedded cluster's login role for connect() and open_another().
  const char* role() const { return target_.role.empty() ? verb_role : target_.role.c_str(); }
};

}  // namespace wfa
