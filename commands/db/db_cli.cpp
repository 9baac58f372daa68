// Flags of `wfa db`.
#include "cli/command_cli.hpp"
#include "commands/db/db.hpp"
#include "cli/command_tree.hpp"

namespace wfa {

void register_db(CLI::App& root, Dispatch& dispatch) {
  auto* db = root.add_subcommand("db", "Manage the database: embedded cluster, migrations, fixtures");
  db->require_subcommand(1);

  on_run(db->add_subcommand("init", "Create and start the embedded cluster and apply migrations"), dispatch,
         [](Session& session) { return run_db_init(session); });
  on_run(db->add_subcommand("start", "Start the embedded cluster"), dispatch,
         [](Session& session) { return run_db_start(session); });
  on_run(db->add_subcommand("stop", "Stop the embedded cluster"), dispatch,
         [](Session& session) { return run_db_stop(session); });
  on_run(db->add_subcommand("status", "Show the server and the applied and pending migrations"), dispatch,
         [](Session& session) { return run_db_status(session); });

  auto migrate_opts = std::make_shared<DbMigrateOptions>();
  auto* migrate = db->add_subcommand("migrate", "Apply pending migrations, one transaction per file");
  migrate->add_flag("--dry-run", migrate_opts->dry_run, "List the migrations that would be applied; change nothing");
  on_run(migrate, dispatch, [migrate_opts](Session& session) { return run_db_migrate(*migrate_opts, session); });

  auto reset_opts = std::make_shared<DbResetOptions>();
  auto* reset = db->add_subcommand("reset", "Drop every table and re-apply all migrations (destroys data)");
  reset->add_flag("-y,--yes", reset_opts->yes, "Do not ask for confirmation (required when not on a terminal)");
  on_run(reset, dispatch, [reset_opts](Session& session) { return run_db_reset(*reset_opts, session); });

  auto seed_opts = std::make_shared<DbSeedOptions>();
  auto* seed = db->add_subcommand("seed", "Load SQL fixture files in one transaction (default: the demo fixtures)");
  seed->add_option("files", seed_opts->files, "Fixture files (*.sql)");
  seed->add_flag("--dry-run", seed_opts->dry_run, "Load inside a transaction, then roll back");
  on_run(seed, dispatch, [seed_opts](Session& session) { return run_db_seed(*seed_opts, session); });

  auto psql_opts = std::make_shared<DbPsqlOptions>();
  auto* psql = db->add_subcommand("psql", "Open psql on the database (arguments after -- go to psql)");
  psql->add_option("args", psql_opts->args, "Arguments passed to psql");
  on_run(psql, dispatch, [psql_opts](Session& session) {
    run_db_psql(*psql_opts, session);
    return Result{};
  });
}

}  // namespace wfa
