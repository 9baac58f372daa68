// The audit log's monthly partitions: made ahead, a DEFAULT that takes any insert, append-only throughout, and
// closed months archived to verified files before they are dropped, by the owner only.
#include <gtest/gtest.h>

#include <fstream>

#include "core/digest.hpp"
#include "tests/support/integration_fixture.hpp"

using namespace wfa;

namespace {

struct ArchiveFixture : test::IntegrationFixture {
  ArchiveFixture() {
    exec(
        "INSERT INTO audit_log (created_at, actor, action, entity_type, entity_id)"
        " SELECT '2025-05-31T23:00:00Z'::timestamptz + g * interval '1 hour', 'ops@wfa', 'usage.reset', 'period',"
        " g::text FROM generate_series(1, 1500) g");
  }
  long month_rows(const std::string& month) {
    return std::stol(value(
        "SELECT count(*) FROM audit_log WHERE to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') = '" + month + "'"));
  }
};

long lines_of(const std::string& path) {
  std::ifstream in(path);
  long n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

}  // namespace

TEST(AuditArchive, WritesVerifiesRecordsThenDropsEachClosedMonthOnce) {
  ArchiveFixture f;
  long june = f.month_rows("2025-06"), july = f.month_rows("2025-07");
  ASSERT_EQ(f.month_rows("2025-05"), 0);
  ASSERT_GT(june, 0);
  ASSERT_GT(july, 0);
  auto out = (f.dir.path() / "archive" / "audit-{month}.csv").string();
  auto dry = f.run_json({"audit", "archive", "--before", "2025-08", "--out", out, "--dry-run"});
  ASSERT_EQ(dry["archives"].size(), 2u);
  EXPECT_EQ(f.month_rows("2025-06"), june) << "a dry run drops nothing";

  auto done = f.run_json({"audit", "archive", "--before", "2025-08", "--out", out});
  ASSERT_EQ(done["archives"].size(), 2u);
  for (const auto& [month, rows] : std::vector<std::pair<std::string, long>>{{"2025-06", june}, {"2025-07", july}}) {
    auto file = (f.dir.path() / "archive" / ("audit-" + month + ".csv")).string();
    EXPECT_EQ(lines_of(file), rows + 1) << "header and every row of " << month;
    EXPECT_EQ(f.value("SELECT sha256 FROM audit_archives WHERE month = '" + month + "-01'"), sha256_file(file));
    EXPECT_EQ(f.value("SELECT row_count FROM audit_archives WHERE month = '" + month + "-01'"), std::to_string(rows));
    EXPECT_EQ(f.month_rows(month), 0) << month << " left the audit log";
    EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action = 'audit.archive' AND entity_id = '" + month + "'"),
              "1");
  }
  EXPECT_GT(f.month_rows("2025-08"), 0) << "an open month stays";
  auto again = f.run({"audit", "archive", "--before", "2025-08", "--out", out});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("nothing to do"), std::string::npos) << again.err;
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_archives"), "2");
}

TEST(AuditArchive, RefusesAnyoneButTheOwnerAndBadMonths) {
  ArchiveFixture f;
  f.exec("CREATE ROLE archive_reader LOGIN");
  f.exec("GRANT SELECT ON ALL TABLES IN SCHEMA public TO archive_reader");
  auto env = f.env;
  env["WFA_DATABASE_URL"] = env["WFA_DATABASE_OWNER_URL"] = f.db.url() + " user=archive_reader";
  auto out = (f.dir.path() / "a.csv").string();
  auto refused = test::run_wfa({"audit", "archive", "--before", "2025-08", "--out", out}, env);
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  EXPECT_NE(refused.err.find("owner"), std::string::npos) << refused.err;
  EXPECT_GT(f.month_rows("2025-06"), 0);
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_archives"), "0");
  for (const char* month : {"2025-13", "25-06", "June", "2999-01"}) {
    auto bad = f.run({"audit", "archive", "--before", month, "--out", out});
    EXPECT_EQ(bad.exit_code, 6) << month;
    EXPECT_NE(bad.err.find("--before"), std::string::npos) << bad.err;
  }
  auto partitions = f.run({"audit", "partitions"});
  EXPECT_EQ(partitions.exit_code, 0) << "the verb role makes partitions through the owner's function: "
                                     << partitions.err;
  EXPECT_EQ(f.value("SELECT count(*) FROM pg_class WHERE relname LIKE 'audit_log_%' AND relkind = 'r' AND relowner <>"
                    " (SELECT relowner FROM pg_class WHERE oid = 'audit_log'::regclass)"),
            "0")
      << "the owner owns every partition";
  for (const char* ahead : {"-1", "121"}) {
    auto bad = f.run({"audit", "partitions", "--ahead", ahead});
    EXPECT_EQ(bad.exit_code, 6) << ahead;
    EXPECT_NE(bad.err.find("--ahead"), std::string::npos) << bad.err;
  }
}

TEST(AuditArchive, PartitionsAreAheadDefaultTakesAnyInsertAndEveryPartIsAppendOnly) {
  ArchiveFixture f;
  EXPECT_EQ(f.run({"audit", "partitions", "--ahead", "6"}).exit_code, 0);
  EXPECT_EQ(
      f.value("SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit_log'::regclass AND"
              " inhrelid::regclass::text = 'audit_log_' || to_char(now() AT TIME ZONE 'UTC' + interval '6 months',"
              " 'YYYY_MM')"),
      "1");
  f.exec("INSERT INTO audit_log (created_at, actor, action, entity_type) VALUES ('2199-01-01', 'x', 'a.b', 'c')");
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log_default WHERE created_at >= '2199-01-01'"), "1");
  f.exec("INSERT INTO audit_log (actor, action, entity_type) VALUES ('x', 'a.b', 'c')");
  auto month = f.value("SELECT 'audit_log_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')");
  for (const std::string& sql :
       std::vector<std::string>{"DELETE FROM audit_log", "DELETE FROM " + month, "DELETE FROM audit_log_default",
                                "UPDATE audit_log SET actor = 'y'", "TRUNCATE audit_log", "TRUNCATE " + month,
                                "TRUNCATE audit_log_default"}) {
    EXPECT_THROW(f.exec(sql), std::exception) << sql;
  }
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log"), "1502");
}
