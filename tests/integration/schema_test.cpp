// Invariants the schema enforces by itself, whatever code talks to it.
#include <gtest/gtest.h>

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "tests/support/test_cluster.hpp"

using namespace wfa;

namespace {

void insert_audit_row(test::TestDatabase& db) {
  pqxx::work tx(db.conn());
  tx.exec(
      "INSERT INTO audit_log (actor, action, entity_type, entity_id) VALUES ('cli:test', 'partner.create', 'partner', "
      "'p1')");
  tx.commit();
}

}  // namespace

TEST(Schema, AuditLogRefusesUpdateDeleteAndTruncate) {
  test::TestDatabase db;
  insert_audit_row(db);
  for (const char* sql :
       {"UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log", "TRUNCATE audit_log"}) {
    pqxx::work tx(db.conn());
    EXPECT_THROW(tx.exec(sql), pqxx::insufficient_privilege) << sql;
  }
  EXPECT_EQ(db.count("audit_log"), 1);
}

TEST(Schema, AuditLogRejectsMalformedActions) {
  test::TestDatabase db;
  pqxx::work tx(db.conn());
  EXPECT_THROW(
      tx.exec("INSERT INTO audit_log (actor, action, entity_type) VALUES ('cli:test', 'Create Partner', 'partner')"),
      pqxx::check_violation);
}

TEST(Schema, SlugsAndEmailsAreValidatedAndUnique) {
  test::TestDatabase db;
  {
    pqxx::work tx(db.conn());
    EXPECT_THROW(tx.exec("INSERT INTO partners (slug, name, plan_tier) VALUES ('Bad_Slug', 'x', 'starter')"),
                 pqxx::check_violation);
  }
  {
    pqxx::work tx(db.conn());
    tx.exec("INSERT INTO partners (slug, name, plan_tier) VALUES ('acme', 'Acme', 'starter')");
    EXPECT_THROW(tx.exec("INSERT INTO partners (slug, name, plan_tier) VALUES ('acme', 'Acme 2', 'starter')"),
                 pqxx::unique_violation);
  }
  {
    pqxx::work tx(db.conn());
    EXPECT_THROW(tx.exec("INSERT INTO users (email) VALUES ('Someone@Example.com')"), pqxx::check_violation);
  }
}

TEST(Schema, OnlyOnePlatformPartnerAndOnePrimaryDomain) {
  test::TestDatabase db;
  pqxx::work tx(db.conn());
  tx.exec("INSERT INTO partners (slug, name, plan_tier, is_platform_partner) VALUES ('p1', 'P1', 'starter', true)");
  EXPECT_THROW(
      tx.exec("INSERT INTO partners (slug, name, plan_tier, is_platform_partner) VALUES ('p2', 'P2', 'starter', true)"),
      pqxx::unique_violation);
}

TEST(Schema, PermissionsMustBeWellFormed) {
  test::TestDatabase db;
  pqxx::work tx(db.conn());
  tx.exec("INSERT INTO partners (slug, name, plan_tier) VALUES ('acme', 'Acme', 'starter')");
  tx.exec("INSERT INTO workspaces (partner_id, slug, name) SELECT id, 'main', 'Main' FROM partners");
  tx.exec("INSERT INTO profiles (workspace_id, name) SELECT id, 'Sales' FROM workspaces");
  tx.exec(
      "INSERT INTO profile_permissions (profile_id, permission, workspace_id) SELECT id, 'sales:*:read', workspace_id "
      "FROM profiles");
  tx.exec(
      "INSERT INTO profile_permissions (profile_id, permission, workspace_id) SELECT id, '*:*:*', workspace_id FROM "
      "profiles");
  tx.commit();
  for (const char* bad : {"sales:leads", "sales::read", "Sales:leads:read", "sales:leads:read:extra"}) {
    pqxx::work attempt(db.conn());
    EXPECT_THROW(attempt.exec_params("INSERT INTO profile_permissions (profile_id, permission, workspace_id) SELECT "
                                     "id, $1, workspace_id FROM profiles",
                                     bad),
                 pqxx::check_violation)
        << bad;
  }
  EXPECT_EQ(db.count("profile_permissions"), 2);
}
