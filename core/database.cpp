#include "core/database.hpp"

#include <cstdlib>
#include <pqxx/connection>

#include "core/config.hpp"
#include "core/embedded_cluster.hpp"
#include "core/error.hpp"
#include "core/migrations.hpp"

namespace wfa {

DatabaseTarget DatabaseTarget::from_config(const Config& config) {
  DatabaseTarget t;
  t.url = config.value("database_url");
  t.cluster_dir = std::filesystem::path(config.value("data_dir")) / "pg";
  t.pg_bindir = config.value("pg_bindir");
  t.pg_user = config.value("pg_user");
  t.migrations_dir = config.value("migrations_dir");
  return t;
}

Database::Database(DatabaseTarget target) : target_(std::move(target)) {
  if (target_.embedded())
    cluster_ =
        std::make_unique<EmbeddedCluster>(ClusterSettings{target_.cluster_dir, target_.pg_bindir, target_.pg_user});
}

Database::~Database() = default;

EmbeddedCluster* Database::cluster() { return cluster_.get(); }

std::string Database::describe() const {
  if (target_.embedded()) return "embedded cluster in " + target_.cluster_dir.string();
  return mask_secret("database_url", target_.url);
}

pqxx::connection_base& Database::connect() {
  if (conn_ && conn_->is_open()) return *conn_;
  // Every session speaks UTC in ISO format, whatever the server's defaults (libpq reads these).
  setenv("PGTZ", "UTC", 1);
  setenv("PGDATESTYLE", "ISO", 1);
  if (target_.embedded()) {
    // The common case costs one connection: a running cluster with its database. Only a failure takes the
    // locked path that initialises, starts and creates.
    if (std::filesystem::exists(target_.cluster_dir / ".s.PGSQL.5432")) {
      try {
        conn_ = std::make_unique<pqxx::connection>(cluster_->conninfo(embedded_dbname));
        return *conn_;
      } catch (const pqxx::broken_connection&) {
      }
    }
    bool created = cluster_->ensure_running(embedded_dbname);
    conn_ = std::make_unique<pqxx::connection>(cluster_->conninfo(embedded_dbname));
    if (created) created_migrations_ = Migrator(*conn_, target_.migrations_dir).migrate(false).size();
    return *conn_;
  }
  try {
    conn_ = std::make_unique<pqxx::connection>(target_.url);
  } catch (const pqxx::broken_connection& e) {
    std::string reason = e.what();
    reason = reason.substr(0, reason.find('\n'));
    throw TemporaryError("cannot connect to " + describe() + ": " + reason,
                         "check WFA_DATABASE_URL and that the server is up, then retry");
  }
  return *conn_;
}

pqxx::connection_base& Database::ready() {
  auto& conn = connect();
  Migrator migrator(conn, target_.migrations_dir);
  if (migrator.current()) return conn;
  if (target_.embedded()) {
    migrator.migrate(false);
    return conn;
  }
  auto pending = migrator.pending_count();
  if (pending > 0)
    throw InvalidInputError("the database schema is behind: " + std::to_string(pending) + " pending migration(s)",
                            "run `wfa db migrate`");
  return conn;
}

void Database::reset_connection() { conn_.reset(); }

}  // namespace wfa
