// `wfa db migrate|reset|seed`: what is in the database.
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <sstream>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/migrations.hpp"
#include "core/paths.hpp"
#include "core/audited_mutation.hpp"
#include "commands/db/db.hpp"
#include "commands/tenancy/actor.hpp"

namespace fs = std::filesystem;

namespace wfa {

namespace {

Table applied_table(const std::vector<MigrationState>& states) {
  Table t{"migrations", {"version", "name", "status"}, {}};
  for (const auto& s : states)
    t.rows.push_back({Cell(static_cast<std::int64_t>(s.version)), Cell(s.name), Cell(s.status)});
  return t;
}

std::vector<fs::path> seed_files(const DbSeedOptions& options) {
  std::vector<fs::path> files;
  if (!options.files.empty()) {
    for (const auto& f : options.files) files.emplace_back(f);
    return files;
  }
  auto dir = resource_dir("fixtures") / "demo";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  if (ec) throw NotFoundError("fixtures directory " + dir.string() + " not found", "pass fixture files explicitly");
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result run_db_migrate(const DbMigrateOptions& options, Session& session) {
  operator_only(session, "wfa db migrate");
  auto& db = session.database();
  auto done = Migrator(db.owner(), db.target().migrations_dir).migrate(options.dry_run);
  Result r;
  if (options.dry_run)
    for (auto& s : done) s.status = "would apply";
  r.tables.push_back(applied_table(done));
  r.message = done.empty() ? "schema is up to date; nothing to apply"
              : options.dry_run
                  ? std::to_string(done.size()) + " migration(s) would be applied (dry run; nothing changed)"
                  : "applied " + std::to_string(done.size()) + " migration(s)";
  return r;
}

Result run_db_reset(const DbResetOptions& options, Session& session) {
  operator_only(session, "wfa db reset");
  auto& db = session.database();
  session.confirm(options.yes, "reset " + db.describe() + ", deleting all its data");
  auto& conn = db.owner();
  {
    pqxx::work tx(conn);
    tx.exec("DROP SCHEMA public CASCADE");
    tx.exec("CREATE SCHEMA public");
    tx.exec("DROP TABLE IF EXISTS schema_migrations");
    tx.commit();
  }
  auto applied = Migrator(conn, db.target().migrations_dir).migrate(false);
  Result r;
  r.tables.push_back(applied_table(applied));
  r.message = "reset " + db.describe() + "; applied " + std::to_string(applied.size()) + " migration(s)";
  return r;
}

Result run_db_seed(const DbSeedOptions& options, Session& session) {
  operator_only(session, "wfa db seed");
  auto files = seed_files(options);
  std::vector<std::pair<fs::path, std::string>> scripts;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InvalidInputError("fixture file " + path.string() + " not found or unreadable", "check the path");
    std::stringstream buffer;
    buffer << in.rdbuf();
    scripts.emplace_back(path, buffer.str());
  }
  session.database().ready();
  pqxx::work tx(session.database().owner());
  Table t{"files", {"file", "status"}, {}};
  for (const auto& [path, sql] : scripts) {
    try {
      tx.exec(sql);
    } catch (const pqxx::sql_error& e) {
      std::string what = e.what();
      throw InvalidInputError("fixture " + path.string() + " failed: " + what.substr(0, what.find('\n')),
                              "fix the file; nothing was loaded");
    }
    t.rows.push_back({Cell(path.string()), Cell(options.dry_run ? "would load" : "loaded")});
  }
  nlohmann::json metadata = {{"files", nlohmann::json::array()}};
  for (const auto& script : scripts) metadata["files"].push_back(script.first.filename().string());
  record_audit(tx, {session.actor(), "db.seed", "fixture", "", std::nullopt, std::nullopt, "", "", metadata.dump()});
  Result r;
  r.tables.push_back(std::move(t));
  if (options.dry_run) {
    tx.abort();
    r.message = "dry run: " + std::to_string(scripts.size()) + " fixture file(s) checked; nothing changed";
  } else {
    tx.commit();
    r.message = "loaded " + std::to_string(scripts.size()) + " fixture file(s)";
  }
  return r;
}

}  // namespace wfa
