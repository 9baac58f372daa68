#include "core/rows.hpp"
#include "core/migrations.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/file_io.hpp"

namespace fs = std::filesystem;

namespace wfa {

namespace {

/// Any constant unique to wfa works; it only has to match between migrators.
constexpr long long migrate_lock_key = 0x77666131;  // "wfa1"

constexpr const char* create_table_sql =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now(), duration_ms integer NOT NULL DEFAULT 0)";

/// AdvisoryLock holds the session-level migration lock for its lifetime.
class AdvisoryLock {
 public:
  explicit AdvisoryLock(pqxx::connection_base& conn) : conn_(conn) {
    pqxx::nontransaction tx(conn_);
    tx.exec_params("SELECT pg_advisory_lock($1)", migrate_lock_key);
  }
  ~AdvisoryLock() {
    try {
      pqxx::nontransaction tx(conn_);
      tx.exec_params("SELECT pg_advisory_unlock($1)", migrate_lock_key);
    } catch (...) {
      // The lock dies with the session anyway.
    }
  }
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

 private:
  pqxx::connection_base& conn_;
};

struct AppliedRow {
  std::string name, checksum, applied_at;
  long duration_ms;
};

std::map<int, AppliedRow> read_applied(pqxx::connection_base& conn) {
  pqxx::nontransaction tx(conn);
  std::map<int, AppliedRow> applied;
  auto exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists[0][0].as<bool>()) return applied;
  auto rows = tx.exec("SELECT version, name, checksum, " + utc_sql("applied_at") +
                      ", duration_ms"
                      " FROM schema_migrations ORDER BY version");
  for (const auto& r : rows)
    applied[r[0].as<int>()] = {r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<long>()};
  return applied;
}

/// grant_roles gives the verb roles their rights on whatever the migrations made (migrations/0012_roles.sql) and
/// serve's role its row-level security on every workspace-scoped table (migrations/0025_row_level_security.sql).
void grant_roles(pqxx::connection_base& conn) {
  pqxx::work tx(conn);
  for (const char* function : {"wfa_grant_roles()", "wfa_tenant_policies()"})
    if (tx.exec_params("SELECT to_regprocedure($1) IS NOT NULL", function)[0][0].as<bool>())
      tx.exec(std::string("SELECT ") + function);
  tx.commit();
}

}  // namespace

std::vector<MigrationFile> load_migration_files(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw InvalidInputError("migrations directory " + dir.string() + " not found",
                            "set WFA_MIGRATIONS_DIR or reinstall wfa");
  refuse_others_writable(dir, "migrations directory");
  std::vector<MigrationFile> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    auto name = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    refuse_others_writable(entry.path(), "migration");
    auto underscore = name.find('_');
    bool digits =
        underscore == 4 && std::all_of(name.begin(), name.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || name.size() <= 9)
      throw InvalidInputError("migration file " + entry.path().string() + " is not named NNNN_name.sql",
                              "rename it, e.g. 0007_add_leads.sql");
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    MigrationFile file{std::stoi(name.substr(0, 4)), name, entry.path(), {}, buffer.str()};
    file.checksum = sha256_hex(file.sql);
    files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < files.size(); ++i)
    if (files[i].version == files[i - 1].version)
      throw InvalidInputError("migrations " + files[i - 1].name + " and " + files[i].name + " share version " +
                                  std::to_string(files[i].version),
                              "renumber one of them");
  return files;
}

Migrator::Migrator(pqxx::connection_base& conn, fs::path dir) : conn_(conn), dir_(std::move(dir)) {}

bool Migrator::current() {
  std::error_code ec;
  std::set<std::string> names;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".sql") names.insert(it->path().filename().string());
  if (ec || names.empty()) return false;
  try {
    pqxx::nontransaction tx(conn_);
    auto rows = tx.exec("SELECT name FROM schema_migrations");
    if (rows.size() != names.size()) return false;
    for (const auto& row : rows)
      if (!names.count(row[0].c_str())) return false;
    return true;
  } catch (const pqxx::sql_error&) {
    return false;
  }
}

std::vector<MigrationState> Migrator::status() {
  auto files = load_migration_files(dir_);
  auto applied = read_applied(conn_);
  std::vector<MigrationState> states;
  for (const auto& f : files) {
    MigrationState s{f.version, f.name, "pending", f.checksum, std::nullopt, std::nullopt};
    if (auto it = applied.find(f.version); it != applied.end()) {
      s.status = it->second.checksum == f.checksum && it->second.name == f.name ? "applied" : "modified";
      s.applied_at = it->second.applied_at;
      s.duration_ms = it->second.duration_ms;
      applied.erase(it);
    }
    states.push_back(std::move(s));
  }
  for (const auto& [version, row] : applied)
    states.push_back({version, row.name, "missing", row.checksum, row.applied_at, row.duration_ms});
  std::sort(states.begin(), states.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  return states;
}

std::size_t Migrator::pending_count() {
  auto states = status();
  return static_cast<std::size_t>(
      std::count_if(states.begin(), states.end(), [](const auto& s) { return s.status == "pending"; }));
}

void Migrator::verify(const std::vector<MigrationState>& states) const {
  int last_applied = 0;
  for (const auto& s : states)
    if (s.status != "pending") last_applied = std::max(last_applied, s.version);
  for (const auto& s : states) {
    auto path = (dir_ / s.name).string();
    if (s.status == "modified")
      throw InvalidInputError("migration " + path + " was changed after it was applied (checksum differs)",
                              "restore the file and put the change in a new migration");
    if (s.status == "missing")
      throw InvalidInputError("migration " + path + " was applied but the file is missing", "restore the file");
    if (s.status == "pending" && s.version < last_applied)
      throw InvalidInputError("migration " + path + " is older than the newest applied migration",
                              "renumber it after " + std::to_string(last_applied));
  }
}

std::vector<MigrationState> Migrator::migrate(bool dry_run) {
  AdvisoryLock lock(conn_);
  {
    pqxx::nontransaction tx(conn_);
    tx.exec(create_table_sql);
  }
  auto states = status();
  verify(states);
  std::vector<MigrationState> done;
  if (std::none_of(states.begin(), states.end(), [](const auto& s) { return s.status == "pending"; })) {
    if (!dry_run) grant_roles(conn_);
    return done;
  }
  auto files = load_migration_files(dir_);
  for (const auto& s : states) {
    if (s.status != "pending") continue;
    auto file = std::find_if(files.begin(), files.end(), [&](const auto& f) { return f.version == s.version; });
    if (dry_run) {
      done.push_back(s);
      continue;
    }
    auto started = std::chrono::steady_clock::now();
    pqxx::work tx(conn_);
    auto txid_before = tx.exec("SELECT txid_current()")[0][0].as<long long>();
    try {
      tx.exec(file->sql);
    } catch (const pqxx::sql_error& e) {
      std::string what = e.what();
      throw InvalidInputError("migration " + file->path.string() + " failed: " + what.substr(0, what.find('\n')),
                              "fix the SQL; nothing of this file was applied");
    }
    auto txid_after = tx.exec("SELECT txid_current()")[0][0].as<long long>();
    if (txid_after != txid_before)
      throw InvalidInputError(
          "migration " + file->path.string() + " ends the transaction wfa runs it in (COMMIT/BEGIN)",
          "remove transaction control statements; wfa wraps each file in one transaction");
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    tx.exec_params("INSERT INTO schema_migrations (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)",
                   file->version, file->name, file->checksum, static_cast<int>(ms));
    tx.commit();
    MigrationState applied = s;
    applied.status = "applied";
    applied.duration_ms = ms;
    done.push_back(applied);
  }
  if (!dry_run) grant_roles(conn_);
  return done;
}

}  // namespace wfa
