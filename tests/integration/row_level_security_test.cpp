// Row-level security (migrations/0025_row_level_security.sql): serve's role sees only its request's workspaces, even
// in a query that forgets its workspace filter; the verbs' role sees everything; every workspace-scoped table is
// covered; a pooled connection's scope ends with its lease.
#include <gtest/gtest.h>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "core/config.hpp"
#include "core/database.hpp"
#include "serve/database_pool.hpp"
#include "tests/support/integration_fixture.hpp"

using namespace wfa;

namespace {

/// Tenants: partners acme and zeta, each with workspace main, a member, an agent and a call.
struct Tenants : test::IntegrationFixture {
  Tenants() {
    for (const std::string p : {"acme", "zeta"}) {
      add_partner(p, p);
      add_workspace(p, "main", "Main");
      add_user(p + "@x.test");
      add_workspace_member(p + "/main", p + "@x.test", "member");
      exec("INSERT INTO ai_agents (workspace_id, name, provider, config) VALUES ('" + workspace_id(p + "/main") +
           "', 'Agent', 'vapi', '{}')");
      exec(
          "INSERT INTO conversations (workspace_id, agent_id, provider, external_call_id, status) SELECT workspace_id,"
          " id, 'vapi', 'call-' || id, 'completed' FROM ai_agents WHERE workspace_id = '" +
          workspace_id(p + "/main") + "'");
    }
  }

  /// scope sets the tenant set of CONN as serve does: the workspaces USER may see in PARTNER.
  void scope(pqxx::connection& conn, const std::string& user, const std::string& partner) {
    pqxx::nontransaction tx(conn);
    tx.exec_params(
        "SELECT set_config('wfa.workspace_ids', array_to_string(wfa_caller_workspaces($1::uuid,"
        " $2::uuid), ','), false)",
        user_id(user), partner_id(partner));
  }
};

std::string one(pqxx::connection_base& conn, const std::string& sql) {
  pqxx::nontransaction tx(conn);
  auto r = tx.exec(sql);
  return r.empty() || r[0][0].is_null() ? "" : r[0][0].c_str();
}

/// affected runs SQL in its own transaction: the rows it changed, or -1 when it was refused.
long affected(pqxx::connection_base& conn, const std::string& sql) {
  try {
    pqxx::work tx(conn);
    auto r = tx.exec(sql);
    tx.commit();
    return static_cast<long>(r.affected_rows());
  } catch (const pqxx::sql_error&) {
    return -1;
  }
}

}  // namespace

TEST(RowLevelSecurity, AnUnfilteredQueryOfServeSeesOnlyItsTenantAndCannotWriteAnothers) {
  Tenants f;
  pqxx::connection serve(f.db.serve_url());
  for (const char* table : {"workspaces", "workspace_members", "ai_agents", "conversations", "audit_log"})
    EXPECT_EQ(one(serve, std::string("SELECT count(*) FROM ") + table), "0") << table << ": no scope, no rows";

  f.scope(serve, "acme@x.test", "acme");
  auto acme = f.workspace_id("acme/main");
  auto zeta = f.workspace_id("zeta/main");
  for (const char* table : {"workspace_members", "ai_agents", "conversations"}) {
    EXPECT_EQ(one(serve, std::string("SELECT count(*) FROM ") + table), "1") << table;
    EXPECT_EQ(one(serve, std::string("SELECT string_agg(DISTINCT workspace_id::text, ',') FROM ") + table), acme)
        << table;
  }
  EXPECT_EQ(one(serve, "SELECT string_agg(id::text, ',') FROM workspaces"), acme);
  EXPECT_EQ(one(serve, "SELECT count(*) FROM workspace_members m JOIN users u ON u.id = m.user_id"), "1");

  EXPECT_EQ(affected(serve, "UPDATE ai_agents SET name = 'Taken' WHERE workspace_id = '" + zeta + "'"), 0);
  EXPECT_EQ(affected(serve, "UPDATE ai_agents SET name = 'Mine'"), 1) << "only acme's agent";
  EXPECT_EQ(affected(serve, "UPDATE ai_agents SET workspace_id = '" + zeta + "'"), -1) << "no moving rows out";
  EXPECT_EQ(affected(serve, "DELETE FROM conversations WHERE workspace_id = '" + zeta + "'"), 0);
  EXPECT_EQ(affected(serve, "INSERT INTO ai_agents (workspace_id, name, provider, config) VALUES ('" + zeta +
                                "', 'Planted', 'vapi', '{}')"),
            -1);
  EXPECT_EQ(affected(serve, "INSERT INTO ai_agents (workspace_id, name, provider, config) VALUES ('" + acme +
                                "', 'Second', 'vapi', '{}')"),
            1);
  EXPECT_EQ(affected(serve, "INSERT INTO audit_log (actor, partner_id, action, entity_type) VALUES ('t', '" +
                                f.partner_id("acme") + "', 'partner.test', 'partner')"),
            1)
      << "a partner's audit row (no workspace) may be written";
  EXPECT_EQ(f.value("SELECT name FROM ai_agents WHERE workspace_id = '" + zeta + "'"), "Agent");
  EXPECT_EQ(f.value("SELECT count(*) FROM conversations"), "2");

  pqxx::connection app(f.db.url());
  EXPECT_EQ(one(app, "SELECT count(*) FROM workspace_members"), "2") << "wfa_app sees every tenant";
  EXPECT_EQ(one(app, "SELECT count(*) FROM ai_agents"), "3");
  EXPECT_EQ(one(app, "SELECT count(*) FROM conversations"), "2");
  EXPECT_EQ(affected(app, "UPDATE ai_agents SET updated_at = now()"), 3);
  EXPECT_EQ(one(app, "SELECT count(*) FROM workspaces"), "2");
}

TEST(RowLevelSecurity, TheCallersWorkspacesAreTheirLiveOnesInTheHostsPartnerAndServeMayAskNothingElse) {
  Tenants f;
  f.add_workspace("acme", "other", "Other");
  f.add_workspace("acme", "gone", "Gone");
  f.add_workspace_member("acme/gone", "acme@x.test", "member");
  f.exec("UPDATE workspaces SET deleted_at = now() WHERE slug = 'gone'");
  f.add_user("boss@x.test");
  f.add_partner_member("acme", "boss@x.test", "admin");
  auto caller = [&](const std::string& user, const std::string& partner) {
    return f.value("SELECT array_to_string(wfa_caller_workspaces('" + f.user_id(user) + "', '" + f.partner_id(partner) +
                   "'), ',')");
  };
  EXPECT_EQ(caller("acme@x.test", "acme"), f.workspace_id("acme/main")) << "not other, not the deleted one";
  EXPECT_EQ(caller("acme@x.test", "zeta"), "") << "another partner's host gives none";
  EXPECT_EQ(caller("boss@x.test", "acme").size(), 2 * 36 + 1) << "a partner's admin sees its live workspaces";
  f.exec("UPDATE workspace_members SET removed_at = now() WHERE user_id = '" + f.user_id("acme@x.test") + "'");
  EXPECT_EQ(caller("acme@x.test", "acme"), "") << "a removed member has none";

  pqxx::connection serve(f.db.serve_url());
  EXPECT_EQ(affected(serve, "SELECT wfa_grant_roles()"), -1);
  EXPECT_EQ(affected(serve, "SELECT wfa_tenant_policies()"), -1);
  EXPECT_EQ(affected(serve, "ALTER TABLE ai_agents DISABLE ROW LEVEL SECURITY"), -1);
  EXPECT_EQ(affected(serve, "DROP POLICY wfa_tenant ON ai_agents"), -1);
  pqxx::connection app(f.db.url());
  EXPECT_EQ(affected(app, "SELECT wfa_caller_workspaces(NULL, NULL)"), -1) << "for serve only";
}

TEST(RowLevelSecurity, EveryWorkspaceScopedTableHasItAndAPolicyForServe) {
  test::IntegrationFixture f;
  // A table that a later migration adds is covered by the next migration run (the migrator calls the function).
  f.exec("CREATE TABLE later_things (workspace_id uuid NOT NULL, id uuid PRIMARY KEY)");
  EXPECT_EQ(f.run({"db", "migrate"}).exit_code, 0);
  auto uncovered = f.value(
      "SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid"
      " AND a.attname = CASE c.relname WHEN 'workspaces' THEN 'id' ELSE 'workspace_id' END AND NOT a.attisdropped"
      " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')"
      " AND c.relname <> 'telegram_chat_routes'"  // exempt: routes a chat before any tenant is known
      " AND c.relname <> 'campaign_recipients'"   // exempt: filled by COPY FROM; wfa_serve may not touch it at all
      " AND NOT (c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname ="
      " 'wfa_tenant' AND NOT p.polpermissive AND p.polroles = ARRAY['wfa_serve'::regrole::oid]))");
  EXPECT_EQ(uncovered, "") << "tables without row-level security for wfa_serve";
  EXPECT_EQ(f.value("SELECT relrowsecurity FROM pg_class WHERE oid = 'later_things'::regclass"), "t");
  EXPECT_EQ(f.value("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relrowsecurity AND"
                    " relname IN ('workspace_members', 'ai_agents', 'conversations', 'audit_log', 'audit_log_default',"
                    " 'workspaces')"),
            "6");
  EXPECT_EQ(f.value("SELECT count(*) FROM pg_class WHERE relforcerowsecurity"), "0") << "the owner is not bound";
  EXPECT_EQ(f.value("SELECT has_table_privilege('wfa_serve', 'campaign_recipients', 'SELECT, INSERT, UPDATE, DELETE')"),
            "f");
}

TEST(RowLevelSecurity, ALeaseScopesItsConnectionAndTheNextLeaseStartsWithNone) {
  Tenants f;
  auto settings = Config::load({{"database_url", f.db.url()},
                                {"serve_database_url", f.db.serve_url()},
                                {"data_dir", f.dir.path().string()},
                                {"migrations_dir", (test::source_dir() / "migrations").string()}},
                               [](const std::string&) { return std::optional<std::string>(); });
  serve::DatabasePool pool(settings, 1);
  auto members = [](Database& database) {
    pqxx::read_transaction tx(database.ready());
    return tx.exec("SELECT count(*) FROM workspace_members")[0][0].as<long>();
  };
  {
    auto lease = pool.acquire();
    EXPECT_EQ(one(lease.database().ready(), "SELECT current_user"), "wfa_serve");
    EXPECT_EQ(members(lease.database()), 0) << "no caller yet, no rows";
    auto ids = lease.scope_to(f.user_id("acme@x.test"), f.partner_id("acme"));
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_EQ(ids[0], f.workspace_id("acme/main"));
    EXPECT_EQ(members(lease.database()), 1);
  }
  {
    auto lease = pool.acquire();
    EXPECT_EQ(members(lease.database()), 0) << "the first request's tenant is gone";
    lease.scope_to(f.user_id("zeta@x.test"), f.partner_id("zeta"));
    pqxx::work tx(lease.database().ready());
    EXPECT_EQ(tx.exec("SELECT workspace_id FROM workspace_members")[0][0].as<std::string>(),
              f.workspace_id("zeta/main"));
    EXPECT_THROW(tx.exec("SELECT 1 / 0"), pqxx::sql_error) << "the request fails midway";
  }
  {
    auto lease = pool.acquire();
    EXPECT_EQ(members(lease.database()), 0) << "a request that failed midway leaks nothing either";
    EXPECT_TRUE(lease.scope_to(f.user_id("acme@x.test"), f.partner_id("zeta")).empty()) << "not a zeta member";
    EXPECT_EQ(members(lease.database()), 0);
  }
}
