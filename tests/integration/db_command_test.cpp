// `wfa db ...` run as a real process against a real PostgreSQL.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/nontransaction>

#include "core/process.hpp"
#include "tests/support/integration_fixture.hpp"

namespace fs = std::filesystem;
using namespace wfa;
using nlohmann::json;

TEST(DbCommand, StatusOnEmptyDataDirCreatesStartsAndMigratesTheEmbeddedCluster) {
  test::TempDir data;
  test::TempDir work;
  auto migrations = work.path() / "migrations";
  test::copy_migrations(migrations);
  std::map<std::string, std::string> env = {{"WFA_DATA_DIR", data.path().string()},
                                            {"WFA_MIGRATIONS_DIR", migrations.string()}};

  auto status = test::run_wfa({"db", "status", "-o", "json"}, env);
  ASSERT_EQ(status.exit_code, 0) << status.err;
  auto doc = json::parse(status.out);
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["mode"], "embedded");
  EXPECT_EQ(doc["server"], "running");
  EXPECT_EQ(doc["schema"], "current");
  ASSERT_GE(doc["migrations"].size(), 3u);
  for (const auto& m : doc["migrations"]) {
    EXPECT_EQ(m["status"], "applied") << m;
    EXPECT_TRUE(m["applied_at"].is_string());
    EXPECT_EQ(m["checksum"].get<std::string>().size(), 64u);
  }
  EXPECT_TRUE(fs::exists(data.path() / "pg" / "PG_VERSION"));

  auto again = test::run_wfa({"db", "migrate", "-o", "json"}, env);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(json::parse(again.out)["migrations"].empty()) << again.out;
  EXPECT_NE(again.err.find("nothing to apply"), std::string::npos) << again.err;

  std::ofstream(migrations / "0002_tenancy.sql", std::ios::app) << "\n-- an edit after the fact\n";
  auto edited = test::run_wfa({"db", "migrate"}, env);
  EXPECT_EQ(edited.exit_code, 6);
  EXPECT_NE(edited.err.find("0002_tenancy.sql"), std::string::npos) << edited.err;
  EXPECT_EQ(test::lines(edited.err), 1u) << edited.err;
  auto shown = test::run_wfa({"db", "status", "-o", "json"}, env);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["schema"], "inconsistent");

  auto stop = test::run_wfa({"db", "stop"}, env);
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  auto plain = test::run_wfa({"db", "status", "-o", "plain"}, env);
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("server\trunning"), std::string::npos)
      << "status starts the cluster on demand: " << plain.out;
}

TEST(DbCommand, ExternalDatabaseStatusStartAndStop) {
  test::TestDatabase db;
  std::map<std::string, std::string> env = {{"WFA_DATABASE_URL", db.owner_url()}};
  auto status = test::run_wfa({"db", "status", "-o", "json"}, env);
  ASSERT_EQ(status.exit_code, 0) << status.err;
  auto doc = json::parse(status.out);
  EXPECT_EQ(doc["mode"], "external");
  EXPECT_EQ(doc["database"], db.name());
  EXPECT_EQ(doc["schema"], "current");
  for (const char* verb : {"start", "stop"}) {
    auto r = test::run_wfa({"db", verb}, env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("external"), std::string::npos) << r.err;
  }
}

TEST(DbCommand, UnreachableExternalDatabaseExitsSeven) {
  auto r = test::run_wfa({"db", "status"},
                         {{"WFA_DATABASE_URL", "postgresql://wfa:secret-pw@127.0.0.1:1/wfa?connect_timeout=2"}});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(test::lines(r.err), 1u) << r.err;
  EXPECT_EQ(r.err.find("secret-pw"), std::string::npos) << "the password is never printed: " << r.err;
  auto j = test::run_wfa({"db", "status", "-o", "json"}, {{"WFA_DATABASE_URL", "postgresql://wfa@127.0.0.1:1/wfa"}});
  EXPECT_EQ(j.exit_code, 7);
  auto err = json::parse(j.err);
  EXPECT_EQ(err["error"]["category"], "temporary");
  EXPECT_EQ(err["error"]["exit_code"], 7);
}

TEST(DbCommand, SeedLoadsFixturesIdempotentlyAndDryRunChangesNothing) {
  test::TestDatabase db;
  std::map<std::string, std::string> env = {{"WFA_DATABASE_URL", db.owner_url()}};
  auto dry = test::run_wfa({"db", "seed", "--dry-run"}, env);
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(db.count("partners"), 0);
  EXPECT_EQ(db.count("audit_log"), 0);
  auto first = test::run_wfa({"db", "seed"}, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto partners = db.count("partners");
  EXPECT_EQ(partners, 2);
  env["WFA_ACTOR"] = "ops@wfa.example";
  auto second = test::run_wfa({"db", "seed"}, env);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(db.count("partners"), partners);
  EXPECT_EQ(db.count("workspace_members"), 1);
  pqxx::nontransaction tx(db.conn());
  auto actors = tx.exec("SELECT actor FROM audit_log WHERE action = 'db.seed' ORDER BY id");
  ASSERT_EQ(actors.size(), 2u);
  EXPECT_EQ(actors[1][0].as<std::string>(), "ops@wfa.example");
}

TEST(DbCommand, SeedWithABrokenFileLoadsNothing) {
  test::TestDatabase db;
  test::TempDir dir;
  auto bad = dir.path() / "bad.sql";
  std::ofstream(bad) << "INSERT INTO users (email) VALUES ('a@b.example');\nINSERT INTO no_such_table VALUES (1);\n";
  auto r = test::run_wfa({"db", "seed", bad.string()}, {{"WFA_DATABASE_URL", db.owner_url()}});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("bad.sql"), std::string::npos) << r.err;
  EXPECT_EQ(db.count("users"), 0);
  auto missing =
      test::run_wfa({"db", "seed", (dir.path() / "nope.sql").string()}, {{"WFA_DATABASE_URL", db.owner_url()}});
  EXPECT_EQ(missing.exit_code, 6);
  EXPECT_NE(missing.err.find("nope.sql"), std::string::npos) << missing.err;
}

TEST(DbCommand, ResetRequiresYesOffTerminalAndRebuildsTheSchema) {
  test::TestDatabase db;
  std::map<std::string, std::string> env = {{"WFA_DATABASE_URL", db.owner_url()}};
  ASSERT_EQ(test::run_wfa({"db", "seed"}, env).exit_code, 0);
  auto refused = test::run_wfa({"db", "reset"}, env);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--yes"), std::string::npos) << refused.err;
  EXPECT_EQ(db.count("partners"), 2) << "nothing was touched";
  auto reset = test::run_wfa({"db", "reset", "--yes"}, env);
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_EQ(db.count("partners"), 0);
  EXPECT_EQ(db.count("plan_tiers"), 3);
}

TEST(DbPsql, TheDatabasePasswordNeverReachesPsqlsCommandLine) {
  test::IntegrationFixture f;
  if (find_executable("psql").empty()) GTEST_SKIP() << "psql not installed";
  // Trust authentication ignores the password, so the URL works and the secret is only there to be looked for.
  auto url = f.db.owner_url() + " password=hunter2-secret";
  ProcessOptions options;
  options.set_env = f.env;
  options.set_env["WFA_DATABASE_OWNER_URL"] = url;
  auto r = run_process(
      {"sh", "-c",
       std::string("'") + WFA_BINARY +
           "' db psql -- -Atc 'SELECT pg_sleep(1.5)' & pid=$!; sleep 0.7; tr '\\0' ' ' < /proc/$pid/cmdline;"
           " echo; wait $pid; echo status=$?"},
      options);
  EXPECT_NE(r.out.find("psql"), std::string::npos) << "the process became psql: " << r.out << r.err;
  EXPECT_EQ(r.out.find("hunter2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("status=0"), std::string::npos) << r.out << r.err;
}
