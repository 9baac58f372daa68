// The migration runner against a real PostgreSQL: order, checksums, atomicity, the lock.
#include <gtest/gtest.h>

#include <fstream>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <thread>

#include "core/error.hpp"
#include "core/migrations.hpp"
#include "tests/support/test_cluster.hpp"

namespace fs = std::filesystem;
using namespace wfa;

namespace {

/// EmptyDatabase is a database without any migration applied.
struct EmptyDatabase {
  std::string name;
  std::unique_ptr<pqxx::connection> conn;
  EmptyDatabase() {
    test::ensure_template();
    static int counter = 0;
    name = "m_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    pqxx::connection admin(test::test_cluster().conninfo("postgres"));
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS " + name);
    tx.exec("CREATE DATABASE " + name);
    conn = std::make_unique<pqxx::connection>(url());
  }
  ~EmptyDatabase() {
    conn.reset();
    pqxx::connection admin(test::test_cluster().conninfo("postgres"));
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
  std::string url() const { return test::test_cluster().conninfo(name); }
  long scalar(const std::string& sql) {
    pqxx::nontransaction tx(*conn);
    return tx.exec(sql)[0][0].as<long>();
  }
};

void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string error_message(const std::function<void()>& f, ErrorCategory expected) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

}  // namespace

TEST(Migrator, AppliesInOrderOnceAndRecordsChecksums) {
  test::TempDir dir;
  write(dir.path() / "0001_a.sql", "CREATE TABLE a (id int);");
  write(dir.path() / "0002_b.sql", "CREATE TABLE b (id int); INSERT INTO b VALUES (1), (2);");
  EmptyDatabase db;
  Migrator m(*db.conn, dir.path());
  EXPECT_EQ(m.pending_count(), 2u);
  auto applied = m.migrate(false);
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(applied[0].name, "0001_a.sql");
  EXPECT_EQ(db.scalar("SELECT count(*) FROM b"), 2);
  EXPECT_TRUE(m.migrate(false).empty()) << "a second run applies nothing";
  EXPECT_EQ(db.scalar("SELECT count(*) FROM b"), 2);
  auto states = m.status();
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[1].status, "applied");
  EXPECT_EQ(states[1].checksum, sha256_hex("CREATE TABLE b (id int); INSERT INTO b VALUES (1), (2);"));
  EXPECT_TRUE(states[1].applied_at.has_value());
}

TEST(Migrator, DryRunChangesNothing) {
  test::TempDir dir;
  write(dir.path() / "0001_a.sql", "CREATE TABLE a (id int);");
  EmptyDatabase db;
  auto planned = Migrator(*db.conn, dir.path()).migrate(true);
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'a'"), 0);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM schema_migrations"), 0);
}

TEST(Migrator, EditedMigrationIsAnErrorNamingTheFile) {
  test::TempDir dir;
  write(dir.path() / "0001_a.sql", "CREATE TABLE a (id int);");
  EmptyDatabase db;
  Migrator m(*db.conn, dir.path());
  m.migrate(false);
  write(dir.path() / "0001_a.sql", "CREATE TABLE a (id bigint);");
  auto msg = error_message([&] { m.migrate(false); }, ErrorCategory::invalid_input);
  EXPECT_NE(msg.find("0001_a.sql"), std::string::npos) << msg;
  EXPECT_EQ(m.status()[0].status, "modified");
}

TEST(Migrator, MissingAndOutOfOrderFilesAreErrors) {
  test::TempDir dir;
  write(dir.path() / "0002_b.sql", "SELECT 1;");
  EmptyDatabase db;
  Migrator m(*db.conn, dir.path());
  m.migrate(false);
  write(dir.path() / "0001_a.sql", "SELECT 1;");
  auto msg = error_message([&] { m.migrate(false); }, ErrorCategory::invalid_input);
  EXPECT_NE(msg.find("0001_a.sql"), std::string::npos) << msg;
  fs::remove(dir.path() / "0001_a.sql");
  fs::remove(dir.path() / "0002_b.sql");
  msg = error_message([&] { m.migrate(false); }, ErrorCategory::invalid_input);
  EXPECT_NE(msg.find("0002_b.sql"), std::string::npos) << msg;
  EXPECT_NE(msg.find("missing"), std::string::npos) << msg;
}

TEST(Migrator, FailingFileLeavesNothingBehind) {
  test::TempDir dir;
  write(dir.path() / "0001_a.sql", "CREATE TABLE a (id int);");
  write(dir.path() / "0002_b.sql", "CREATE TABLE b (id int);\nINSERT INTO nowhere VALUES (1);");
  EmptyDatabase db;
  Migrator m(*db.conn, dir.path());
  auto msg = error_message([&] { m.migrate(false); }, ErrorCategory::invalid_input);
  EXPECT_NE(msg.find("0002_b.sql"), std::string::npos) << msg;
  EXPECT_NE(msg.find("nowhere"), std::string::npos) << msg;
  EXPECT_EQ(db.scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'a'"), 1) << "0001 committed on its own";
  EXPECT_EQ(db.scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'b'"), 0) << "0002 rolled back entirely";
  EXPECT_EQ(db.scalar("SELECT count(*) FROM schema_migrations"), 1);
}

TEST(Migrator, TransactionControlInsideAFileIsRefused) {
  test::TempDir dir;
  write(dir.path() / "0001_a.sql", "CREATE TABLE a (id int); COMMIT; BEGIN; CREATE TABLE c (id int);");
  EmptyDatabase db;
  auto msg = error_message([&] { Migrator(*db.conn, dir.path()).migrate(false); }, ErrorCategory::invalid_input);
  EXPECT_NE(msg.find("0001_a.sql"), std::string::npos) << msg;
  EXPECT_EQ(db.scalar("SELECT count(*) FROM schema_migrations"), 0);
}

TEST(Migrator, BadFileNamesAndDuplicateVersionsAreRejected) {
  test::TempDir dir;
  write(dir.path() / "1_a.sql", "SELECT 1;");
  auto msg = error_message([&] { load_migration_files(dir.path()); }, ErrorCategory::invalid_input);
  EXPECT_NE(msg.find("1_a.sql"), std::string::npos);
  fs::remove(dir.path() / "1_a.sql");
  write(dir.path() / "0001_a.sql", "SELECT 1;");
  write(dir.path() / "0001_b.sql", "SELECT 1;");
  msg = error_message([&] { load_migration_files(dir.path()); }, ErrorCategory::invalid_input);
  EXPECT_NE(msg.find("0001_b.sql"), std::string::npos);
}

TEST(Migrator, ConcurrentMigratorsAreSerialised) {
  test::TempDir dir;
  write(dir.path() / "0001_a.sql", "CREATE TABLE a (id int); SELECT pg_sleep(0.3);");
  write(dir.path() / "0002_b.sql", "CREATE TABLE b (id int);");
  EmptyDatabase db;
  std::vector<std::size_t> applied(2);
  std::vector<std::string> errors(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      try {
        pqxx::connection conn(db.url());
        applied[i] = Migrator(conn, dir.path()).migrate(false).size();
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors[0] + errors[1], "");
  EXPECT_EQ(applied[0] + applied[1], 2u) << "each file applied exactly once";
  EXPECT_EQ(db.scalar("SELECT count(*) FROM schema_migrations"), 2);
}

TEST(Migrator, ProjectMigrationsApplyToAnEmptyDatabase) {
  EmptyDatabase db;
  Migrator m(*db.conn, test::source_dir() / "migrations");
  auto applied = m.migrate(false);
  EXPECT_GE(applied.size(), 3u);
  EXPECT_EQ(m.pending_count(), 0u);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM plan_tiers"), 3);
}
