// `wfa db init|start|stop|status|psql`: the server side of the database.
#include <cstdio>
#include <iostream>
#include <unistd.h>

#include <libpq-fe.h>

#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/nontransaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/embedded_cluster.hpp"
#include "core/migrations.hpp"
#include "core/process.hpp"
#include "commands/db/db.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace {

std::string server_state(Database& db) {
  if (!db.embedded()) return "external";
  auto s = db.cluster()->status();
  return !s.initialized ? "not initialized" : s.running ? "running" : "stopped";
}

Table migration_table(const std::vector<MigrationState>& states) {
  Table t{"migrations", {"version", "name", "status", "applied_at", "duration_ms", "checksum"}, {}};
  for (const auto& s : states) {
    t.rows.push_back({Cell(static_cast<std::int64_t>(s.version)), Cell(s.name), Cell(s.status),
                      s.applied_at ? Cell::time(*s.applied_at) : Cell::null(),
                      s.duration_ms ? Cell(static_cast<std::int64_t>(*s.duration_ms)) : Cell::null(),
                      Cell(s.checksum)});
  }
  return t;
}

std::string external_note(Database& db) {
  return "the database is external (" + db.describe() + "): wfa does not start or stop its server";
}

/// export_connection sets the PG* variable of every parameter in CONNINFO (a URL or key=value string).
void export_connection(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* given = PQconninfoParse(conninfo.c_str(), &error);
  if (given == nullptr) {
    PQfreemem(error);
    throw InvalidInputError("the database URL cannot be parsed", "check WFA_DATABASE_URL / WFA_DATABASE_OWNER_URL");
  }
  PQconninfoOption* defaults = PQconndefaults();
  for (auto* o = given; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    for (auto* d = defaults; d != nullptr && d->keyword != nullptr; ++d)
      if (std::string_view(d->keyword) == o->keyword && d->envvar != nullptr) setenv(d->envvar, o->val, 1);
  }
  PQconninfoFree(defaults);
  PQconninfoFree(given);
}

}  // namespace

Result run_db_init(Session& session) {
  operator_only(session, "wfa db init");
  auto& db = session.database();
  bool was_initialized = db.embedded() && db.cluster()->initialized();
  auto& conn = db.owner();
  auto applied = Migrator(conn, db.target().migrations_dir).migrate(false).size() + db.created_migrations();
  Result r;
  r.fields = {{"mode", Cell(db.embedded() ? "embedded" : "external")},
              {"location", Cell(db.describe())},
              {"created", Cell(db.embedded() && !was_initialized)},
              {"migrations_applied", Cell(static_cast<std::int64_t>(applied))}};
  r.message = db.embedded() ? (was_initialized ? "embedded cluster already initialised; "
                                               : "initialised the embedded cluster; ") +
                                  std::to_string(applied) + " migration(s) applied"
                            : external_note(db) + "; " + std::to_string(applied) + " migration(s) applied";
  return r;
}

Result run_db_start(Session& session) {
  operator_only(session, "wfa db start");
  auto& db = session.database();
  Result r;
  if (!db.embedded()) {
    db.owner();
    r.fields = {{"mode", Cell("external")}, {"location", Cell(db.describe())}, {"server", Cell("external")}};
    r.message = external_note(db);
    return r;
  }
  bool was_running = db.cluster()->running();
  db.owner();
  r.fields = {{"mode", Cell("embedded")}, {"location", Cell(db.describe())}, {"server", Cell("running")}};
  r.message = was_running ? "embedded cluster already running" : "embedded cluster started";
  return r;
}

Result run_db_stop(Session& session) {
  operator_only(session, "wfa db stop");
  auto& db = session.database();
  Result r;
  if (!db.embedded()) {
    r.fields = {{"mode", Cell("external")}, {"location", Cell(db.describe())}, {"server", Cell("external")}};
    r.message = external_note(db);
    return r;
  }
  bool stopped = db.cluster()->stop();
  r.fields = {{"mode", Cell("embedded")}, {"location", Cell(db.describe())}, {"server", Cell("stopped")}};
  r.message = stopped ? "embedded cluster stopped" : "embedded cluster was not running";
  return r;
}

Result run_db_status(Session& session) {
  operator_only(session, "wfa db status");
  auto& db = session.database();
  auto& conn = db.owner();
  Migrator migrator(conn, db.target().migrations_dir);
  if (db.embedded()) {
    try {
      migrator.migrate(false);
    } catch (const Error& e) {
      if (e.category() != ErrorCategory::invalid_input) throw;
      // An inconsistent history is exactly what status must show, not hide behind an error.
    }
  }
  auto states = migrator.status();
  pqxx::nontransaction tx(conn);
  auto server = tx.exec("SELECT current_setting('server_version'), current_database()");
  std::size_t pending = 0, problems = 0;
  for (const auto& s : states) {
    pending += s.status == "pending";
    problems += s.status == "modified" || s.status == "missing";
  }
  Result r;
  r.fields = {{"mode", Cell(db.embedded() ? "embedded" : "external")},
              {"location", Cell(db.describe())},
              {"server", Cell(server_state(db))},
              {"server_version", Cell(server[0][0].as<std::string>())},
              {"database", Cell(server[0][1].as<std::string>())},
              {"migrations_dir", Cell(db.target().migrations_dir.string())},
              {"pending", Cell(static_cast<std::int64_t>(pending))},
              {"schema", Cell(problems  ? "inconsistent"
                              : pending ? "behind"
                                        : "current")}};
  r.tables.push_back(migration_table(states));
  if (problems) r.message = "warning: applied migrations differ from their files; `wfa db migrate` names them";
  return r;
}

void run_db_psql(const DbPsqlOptions& options, Session& session) {
  operator_only(session, "wfa db psql");
  auto& db = session.database();
  db.owner();
  const auto& external = db.target().owner_url.empty() ? db.target().url : db.target().owner_url;
  std::string target = db.embedded() ? db.cluster()->conninfo(Database::embedded_dbname) : external;
  auto psql = find_executable("psql");
  if (psql.empty()) throw TemporaryError("psql not found", "install it: apt-get install postgresql-client-15");
  // The connection goes to psql through libpq's environment variables, never its argv: /proc/PID/cmdline is
  // readable by every user, /proc/PID/environ only by its owner.
  export_connection(target);
  std::vector<std::string> args = {"psql"};
  args.insert(args.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();  // exec replaces the process: nothing buffered may be lost
  std::fflush(nullptr);
  execv(psql.c_str(), argv.data());
  throw Error(ErrorCategory::unexpected, "cannot run " + psql.string());
}

}  // namespace wfa
