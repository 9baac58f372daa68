// Files whose contents wfa acts on (its config, its migrations) must be its own: another local user who could
// write them could run SQL as the database owner or change where root's cron job writes.
#include <gtest/gtest.h>

#include <pwd.h>
#include <unistd.h>

#include <fstream>

#include "tests/support/integration_fixture.hpp"

namespace fs = std::filesystem;
using namespace wfa;

TEST(TrustedFiles, AConfigFileOthersCanWriteIsRefused) {
  test::TempDir dir;
  auto config = dir.path() / "config.toml";
  std::ofstream(config) << "output = \"json\"\n";
  fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_write);
  auto r = test::run_wfa({"config", "show"}, {{"WFA_CONFIG", config.string()}});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(test::lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("writable by other users (mode 0602)"), std::string::npos) << r.err;
  fs::permissions(config, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(test::run_wfa({"config", "show"}, {{"WFA_CONFIG", config.string()}}).exit_code, 0);
}

TEST(TrustedFiles, MigrationsOthersCanWriteOrOwnAreRefusedAndNothingIsApplied) {
  test::TestDatabase db;
  test::TempDir dir;
  auto migrations = dir.path() / "migrations";
  test::copy_migrations(migrations);
  std::ofstream(migrations / "0999_planted.sql") << "CREATE TABLE planted (a int);\n";
  std::map<std::string, std::string> env = {{"WFA_DATABASE_URL", db.owner_url()},
                                            {"WFA_MIGRATIONS_DIR", migrations.string()}};
  fs::permissions(migrations, fs::perms::all);
  auto open_dir = test::run_wfa({"db", "migrate"}, env);
  EXPECT_EQ(open_dir.exit_code, 6) << open_dir.err;
  EXPECT_NE(open_dir.err.find("migrations directory"), std::string::npos) << open_dir.err;
  fs::permissions(migrations, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  if (const passwd* nobody = getpwnam("nobody"); nobody && geteuid() == 0) {
    ASSERT_EQ(::chown((migrations / "0999_planted.sql").c_str(), nobody->pw_uid, nobody->pw_gid), 0);
    auto foreign = test::run_wfa({"db", "migrate"}, env);
    EXPECT_EQ(foreign.exit_code, 6) << foreign.err;
    EXPECT_NE(foreign.err.find("0999_planted.sql belongs to another user"), std::string::npos) << foreign.err;
  }
  EXPECT_EQ(db.value("SELECT to_regclass('planted') IS NULL"), "t") << "nothing of the planted file ran";
}

TEST(TrustedFiles, ACopyOfTheBinaryOutsideItsBuildTreeNeverUsesTheSourceTreesMigrations) {
  test::TestDatabase db;
  test::TempDir dir;
  auto bin = dir.path() / "bin";
  fs::create_directories(bin);
  fs::copy_file(WFA_BINARY, bin / "wfa");
  ProcessOptions options;
  options.unset_env = {"WFA_MIGRATIONS_DIR", "WFA_CONFIG"};
  options.set_env = {{"WFA_DATABASE_URL", db.owner_url()}};
  auto r = run_process({(bin / "wfa").string(), "db", "migrate"}, options);
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(r.err.find(test::source_dir().string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("share/wfa/migrations"), std::string::npos) << r.err;
}
