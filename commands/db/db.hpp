#pragma once
/// `wfa db`: the embedded cluster's lifecycle, migrations, fixtures and a psql shell.
#include <string>
#include <vector>

#include "core/result.hpp"

namespace wfa {

class Session;

struct DbMigrateOptions {
  bool dry_run = false;
};

struct DbResetOptions {
  bool yes = false;
};

struct DbSeedOptions {
  std::vector<std::string> files;  ///< empty: every *.sql of fixtures/demo
  bool dry_run = false;
};

struct DbPsqlOptions {
  std::vector<std::string> args;  ///< passed to psql after the connection
};

Result run_db_init(Session& session);
Result run_db_start(Session& session);
Result run_db_stop(Session& session);
Result run_db_status(Session& session);
Result run_db_migrate(const DbMigrateOptions& options, Session& session);
Result run_db_reset(const DbResetOptions& options, Session& session);
Result run_db_seed(const DbSeedOptions& options, Session& session);
/// run_db_psql replaces the process with psql connected to the database; returns only on failure.
void run_db_psql(const DbPsqlOptions& options, Session& session);

}  // namespace wfa
