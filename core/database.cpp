#include "core/database.hpp"

#include <cstdlib>
#include <mutex>
#include <set>
#include <utility>

#include <pqxx/connection>

#include "core/config.hpp"
#include "core/embedded_cluster.hpp"
#include "core/error.hpp"
#include "core/migrations.hpp"

namespace wfa {

DatabaseTarget DatabaseTarget::from_config(const Config& config) {
  DatabaseTarget t;
  t.url = config.value("database_url");
  t.owner_url = config.value("database_owner_url");
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

namespace {

/// connect_refusal says in wfa's words why libpq could not connect (its own text is several lines and version-bound).
std::string connect_refusal(std::string_view libpq) {
  auto has = [&](std::string_view part) { return libpq.find(part) != std::string_view::npos; };
  if (has("password authentication failed") || has("no password supplied")) return "the password was refused";
  if (has("role") && has("does not exist")) return "the role does not exist";
  if (has("database") && has("does not exist")) return "the database does not exist";
  if (has("timeout expired")) return "the connection timed out";
  if (has("Connection refused") || has("No such file or directory")) return "no server answers there";
  if (has("could not translate host name")) return "the host name does not resolve";
  if (has("no pg_hba.conf entry") || has("not permitted")) return "the server does not accept this client";
  return "the server did not accept the connection";
}

/// open_external connects to URL; a refusal is a TemporaryError naming WHERE (the URL, its password masked).
std::unique_ptr<pqxx::connection> open_external(const std::string& url, const std::string& where) {
  try {
    return std::make_unique<pqxx::connection>(url);
  } catch (const pqxx::broken_connection& e) {
    throw TemporaryError("cannot connect to " + where + ": " + connect_refusal(e.what()),
                         "check WFA_DATABASE_URL and that the server is up, then retry");
  }
}

/// speak_utc makes every session speak UTC in ISO format, whatever the server's defaults (libpq reads these).
void speak_utc() {
  setenv("PGTZ", "UTC", 1);
  setenv("PGDATESTYLE", "ISO", 1);
}

}  // namespace

pqxx::connection_base& Database::connect() {
  if (conn_ && conn_->is_open()) return *conn_;
  speak_utc();
  if (!target_.embedded()) {
    conn_ = open_external(target_.url, describe());
    return *conn_;
  }
  // The common case costs one connection: a running cluster with its database and roles. Only a failure takes
  // the owner's path that initialises, starts, creates and migrates.
  if (std::filesystem::exists(target_.cluster_dir / ".s.PGSQL.5432")) {
    try {
      conn_ = std::make_unique<pqxx::connection>(cluster_->conninfo(embedded_dbname, role()));
      return *conn_;
    } catch (const pqxx::broken_connection&) {
    }
  }
  auto& admin = owner();
  Migrator migrator(admin, target_.migrations_dir);
  if (!migrator.current()) migrator.migrate(false);
  conn_ = std::make_unique<pqxx::connection>(cluster_->conninfo(embedded_dbname, role()));
  return *conn_;
}

std::unique_ptr<pqxx::connection> Database::open_another() {
  connect();
  if (!target_.embedded()) return open_external(target_.url, describe());
  return std::make_unique<pqxx::connection>(cluster_->conninfo(embedded_dbname, role()));
}

pqxx::connection_base& Database::owner() {
  if (owner_ && owner_->is_open()) return *owner_;
  speak_utc();
  if (!target_.embedded()) {
    const auto& url = target_.owner_url.empty() ? target_.url : target_.owner_url;
    owner_ = open_external(url, mask_secret("database_owner_url", url));
    return *owner_;
  }
  if (std::filesystem::exists(target_.cluster_dir / ".s.PGSQL.5432")) {
    try {
      owner_ = std::make_unique<pqxx::connection>(cluster_->conninfo(embedded_dbname));
      return *owner_;
    } catch (const pqxx::broken_connection&) {
    }
  }
  bool created = cluster_->ensure_running(embedded_dbname);
  owner_ = std::make_unique<pqxx::connection>(cluster_->conninfo(embedded_dbname));
  if (created) created_migrations_ = Migrator(*owner_, target_.migrations_dir).migrate(false).size();
  return *owner_;
}

namespace {

/// Connections found with a current schema, by address and server process: checked once each, since a connection's
/// transactions come one after another and every verb opens them through ready().
std::mutex current_mutex;
std::set<std::pair<const void*, int>> current_connections;

bool known_current(const pqxx::connection_base& conn) {
  std::lock_guard lock(current_mutex);
  return current_connections.count({&conn, conn.backendpid()}) > 0;
}

void remember_current(const pqxx::connection_base& conn) {
  std::lock_guard lock(current_mutex);
  if (current_connections.size() > 4096) current_connections.clear();
  current_connections.insert({&conn, conn.backendpid()});
}

}  // namespace

pqxx::connection_base& Database::ready() {
  auto& conn = connect();
  if (known_current(conn)) return conn;
  Migrator migrator(conn, target_.migrations_dir);
  if (migrator.current()) {
    remember_current(conn);
    return conn;
  }
  if (target_.embedded()) {
    Migrator(owner(), target_.migrations_dir).migrate(false);
    return conn;
  }
  auto pending = migrator.pending_count();
  if (pending > 0)
    throw InvalidInputError("the database schema is behind: " + std::to_string(pending) + " pending migration(s)",
                            "run `wfa db migrate`");
  return conn;
}

void Database::reset_connection() {
  conn_.reset();
  owner_.reset();
}

}  // namespace wfa
