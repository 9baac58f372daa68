// The verbs' database role owns nothing: it cannot switch off the audit log's protection, change the schema or
// act as a superuser, and the embedded cluster's verbs really connect as it.
#include <gtest/gtest.h>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "core/embedded_cluster.hpp"
#include "tests/support/integration_fixture.hpp"

using namespace wfa;

namespace {

/// refused says whether SQL fails when run as the verb role (in its own transaction).
bool refused(test::IntegrationFixture& f, const std::string& sql) {
  pqxx::connection conn(f.db.url());
  try {
    pqxx::work tx(conn);
    tx.exec(sql);
    tx.commit();
    return false;
  } catch (const pqxx::sql_error&) {
    return true;
  }
}

}  // namespace

TEST(LeastPrivilege, TheVerbRoleCannotDisableTheAuditLogsProtectionOrChangeTheSchema) {
  test::IntegrationFixture f;
  f.exec("INSERT INTO audit_log (actor, action, entity_type) VALUES ('t', 'test.row', 'x')");
  EXPECT_TRUE(refused(f, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update"));
  EXPECT_TRUE(refused(f, "ALTER TABLE audit_log DISABLE TRIGGER ALL"));
  EXPECT_TRUE(refused(f, "SET session_replication_role = replica"));
  EXPECT_TRUE(refused(f, "UPDATE audit_log SET actor = 'someone else'"));
  EXPECT_TRUE(refused(f, "DELETE FROM audit_log"));
  EXPECT_TRUE(refused(f, "TRUNCATE audit_log"));
  EXPECT_TRUE(refused(f, "DROP TABLE audit_log_default"));
  EXPECT_TRUE(refused(f, "CREATE TABLE mine (a int)"));
  EXPECT_TRUE(refused(f, "CREATE FUNCTION mine() RETURNS int LANGUAGE sql AS 'SELECT 1'"));
  EXPECT_TRUE(refused(f, "DELETE FROM schema_migrations"));
  EXPECT_TRUE(refused(f, "SELECT wfa_grant_roles()"));
  EXPECT_FALSE(refused(f, "INSERT INTO audit_log (actor, action, entity_type) VALUES ('t', 'test.row', 'x')"));
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE actor = 't'"), "2");

  for (const char* role : {"wfa_app", "wfa_serve"}) {
    EXPECT_EQ(f.value(std::string("SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication"
                                  " FROM pg_roles WHERE rolname = '") +
                      role + "'"),
              "f")
        << role;
    EXPECT_EQ(f.value(std::string("SELECT count(*) FROM pg_class WHERE relowner = '") + role + "'::regrole"), "0")
        << role << " owns nothing";
  }
  EXPECT_EQ(f.value("SELECT current_user FROM (SELECT 1) x"), std::string(EmbeddedCluster::superuser))
      << "fixtures set up as the owner";
}

TEST(LeastPrivilege, TheEmbeddedClustersVerbsConnectAsTheVerbRole) {
  test::TempDir data;
  std::map<std::string, std::string> env = {{"WFA_DATA_DIR", data.path().string()},
                                            {"WFA_MIGRATIONS_DIR", (test::source_dir() / "migrations").string()}};
  auto listed = test::run_wfa({"partner", "list"}, env);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EmbeddedCluster cluster(ClusterSettings{data.path() / "pg", "", "wfa-postgres", true});
  {
    pqxx::connection owner(cluster.conninfo("wfa"));
    pqxx::nontransaction tx(owner);
    tx.exec("REVOKE SELECT ON partners FROM wfa_app");
  }
  auto denied = test::run_wfa({"partner", "list"}, env);
  EXPECT_EQ(denied.exit_code, 5) << "a verb that lost its grant is refused, so it runs as wfa_app: " << denied.err;
  EXPECT_EQ(test::lines(denied.err), 1u) << denied.err;
  EXPECT_EQ(denied.err.find("permission denied for"), std::string::npos) << "no raw server text: " << denied.err;
  auto migrated = test::run_wfa({"db", "migrate"}, env);
  EXPECT_EQ(migrated.exit_code, 0) << migrated.err;
  EXPECT_EQ(test::run_wfa({"partner", "list"}, env).exit_code, 0) << "db migrate grants the verb role again";
}
