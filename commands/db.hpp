#pragma once
/// `wfa db`: the embedded cluster's lifecycle, migrations, fixtures and a psql shell.
#include <string>
#include <vector>

#include "cli/output.hpp"

namespace wfa {

class Context;

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

Result run_db_init(Context& ctx);
Result run_db_start(Context& ctx);
Result run_db_stop(Context& ctx);
Result run_db_status(Context& ctx);
Result run_db_migrate(const DbMigrateOptions& options, Context& ctx);
Result run_db_reset(const DbResetOptions& options, Context& ctx);
Result run_db_seed(const DbSeedOptions& options, Context& ctx);
/// run_db_psql replaces the process with psql connected to the database; returns only on failure.
void run_db_psql(const DbPsqlOptions& options, Context& ctx);

}  // namespace wfa
