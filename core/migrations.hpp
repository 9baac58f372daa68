#pragma once
/// Schema migrations: migrations/NNNN_name.sql applied in order, one transaction per file,
/// recorded with a SHA-256 checksum in schema_migrations, serialised by an advisory lock.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "core/digest.hpp"

namespace wfa {

/// MigrationFile is one file of the migrations directory.
struct MigrationFile {
  int version = 0;
  std::string name;  ///< file name, e.g. 0001_tenancy.sql
  std::filesystem::path path;
  std::string checksum;  ///< hex SHA-256 of the bytes
  std::string sql;
};

/// MigrationState is one row of `wfa db status`: applied, pending, modified (file edited after
/// it was applied) or missing (applied, file gone).
struct MigrationState {
  int version = 0;
  std::string name;
  std::string status;
  std::string checksum;
  std::optional<std::string> applied_at;  ///< RFC 3339 UTC
  std::optional<long> duration_ms;
};

/// load_migration_files reads and validates the directory; bad names and duplicate versions are errors.
std::vector<MigrationFile> load_migration_files(const std::filesystem::path& dir);

class Migrator {
 public:
  Migrator(pqxx::connection_base& conn, std::filesystem::path dir);

  /// status compares files with schema_migrations; changes nothing.
  std::vector<MigrationState> status();
  std::size_t pending_count();
  /// current is the per-command fast check (one query, no file contents): every file is applied and nothing else.
  /// Checksums, missing and out-of-order files are checked by status() and migrate().
  bool current();
  /// migrate applies the pending files (or, with dry_run, only lists them) and returns them;
  /// a modified, missing or out-of-order migration is an error naming the file.
  std::vector<MigrationState> migrate(bool dry_run);

 private:
  void verify(const std::vector<MigrationState>& states) const;
  pqxx::connection_base& conn_;
  std::filesystem::path dir_;
};

}  // namespace wfa
