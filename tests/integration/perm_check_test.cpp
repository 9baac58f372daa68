// `wfa perm check` without a record: role matrix, profiles, permission sets, wildcards, bad input.
#include <fstream>

#include "tests/integration/perm_fixture.hpp"

using namespace wfa;
using perm_test::Fixture;
using perm_test::json;

TEST(PermCheck, RoleMatrixDecidesForWorkspaceAndPartnerRoles) {
  Fixture f;
  auto viewer = f.check("viewer@acme.test", "workspace:leads:read", {}, 0);
  EXPECT_EQ(viewer["decided_by"], "role");
  EXPECT_EQ(viewer["source"], "viewer");
  EXPECT_EQ(viewer["grant"], "workspace:*:read");
  EXPECT_EQ(viewer["decision"], "allowed");
  EXPECT_EQ(f.check("viewer@acme.test", "workspace:leads:update", {}, 5)["decision"], "denied");
  EXPECT_TRUE(f.allowed("alice@acme.test", "workspace:leads:update")) << "member role";
  EXPECT_FALSE(f.allowed("alice@acme.test", "workspace:agents:delete"));
  EXPECT_TRUE(f.allowed("admin@acme.test", "workspace:agents:delete"));
  auto owner = f.check("owner@acme.test", "workspace:billing:delete", {}, 0);
  EXPECT_EQ(owner["grant"], "workspace:*:*");
  auto partner = f.check("padmin@acme.test", "partner:domains:create", {}, 0);
  EXPECT_EQ(partner["decided_by"], "partner_role");
  EXPECT_EQ(partner["source"], "admin");
  EXPECT_FALSE(f.allowed("padmin@acme.test", "workspace:leads:read"))
      << "the matrix gives partner roles partner:* only";
  EXPECT_FALSE(f.allowed("admin@acme.test", "partner:domains:create"));
}

TEST(PermCheck, ProfileGrantsAndOneProfilePerUser) {
  Fixture f;
  f.ok({"profile", "create", "Sales", "--description", "Sales reps"});
  f.ok({"profile", "grant", "Sales", "crm:*:read", "crm:leads:update"});
  f.ok({"profile", "assign", "Sales", "ALICE@acme.test"});
  auto d = f.check("alice@acme.test", "crm:deals:read", {}, 0);
  EXPECT_EQ(d["decided_by"], "profile");
  EXPECT_EQ(d["source"], "Sales");
  EXPECT_EQ(d["grant"], "crm:*:read");
  EXPECT_TRUE(d["expires_at"].is_null());
  EXPECT_TRUE(f.allowed("alice@acme.test", "crm:leads:update"));
  EXPECT_FALSE(f.allowed("alice@acme.test", "crm:leads:delete"));

  f.ok({"profile", "create", "Support"});
  f.ok({"profile", "grant", "Support", "support:tickets:*"});
  auto r = f.perm({"profile", "assign", "Support", "alice@acme.test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("replacing profile Sales"), std::string::npos) << r.err;
  EXPECT_EQ(f.db.count("user_profiles"), 1);
  EXPECT_FALSE(f.allowed("alice@acme.test", "crm:leads:update")) << "the Sales profile was replaced";
  EXPECT_TRUE(f.allowed("alice@acme.test", "support:tickets:close"));

  f.ok({"profile", "revoke", "Support", "support:tickets:*"});
  EXPECT_FALSE(f.allowed("alice@acme.test", "support:tickets:close"));
}

TEST(PermCheck, PermissionSetsCountUntilTheyExpire) {
  Fixture f;
  f.ok({"set", "create", "Exporter"});
  f.ok({"set", "grant", "Exporter", "reports:exports:create"});
  f.ok({"set", "assign", "Exporter", "bob@acme.test", "--expires", "2099-01-31T12:00:00Z"});
  auto d = f.check("bob@acme.test", "reports:exports:create", {}, 0);
  EXPECT_EQ(d["decided_by"], "permission_set");
  EXPECT_EQ(d["source"], "Exporter");
  EXPECT_EQ(d["expires_at"], "2099-01-31T12:00:00Z");
  EXPECT_EQ(f.value("SELECT granted_by FROM user_permission_sets"), "ops@platform");

  f.exec("UPDATE user_permission_sets SET expires_at = now() - interval '1 minute'");
  auto expired = f.check("bob@acme.test", "reports:exports:create", {}, 5);
  EXPECT_EQ(expired["decision"], "denied");
  EXPECT_TRUE(expired["decided_by"].is_null());

  auto past = f.perm({"set", "assign", "Exporter", "bob@acme.test", "--expires", "2001-01-01"});
  EXPECT_EQ(past.exit_code, 6) << past.err;
  EXPECT_NE(past.err.find("in the past"), std::string::npos) << past.err;
  f.ok({"set", "assign", "Exporter", "bob@acme.test"});
  EXPECT_TRUE(f.allowed("bob@acme.test", "reports:exports:create")) << "re-assigning without --expires renews for good";
}

TEST(PermCheck, WildcardsMatchInAnyPosition) {
  Fixture f;
  f.ok({"profile", "create", "Wild"});
  f.ok({"profile", "grant", "Wild", "sales:*:delete", "*:leads:export"});
  f.ok({"profile", "assign", "Wild", "carol@acme.test"});
  EXPECT_TRUE(f.allowed("carol@acme.test", "sales:orders:delete"));
  EXPECT_FALSE(f.allowed("carol@acme.test", "sales:orders:read"));
  EXPECT_TRUE(f.allowed("carol@acme.test", "crm:leads:export"));
  EXPECT_FALSE(f.allowed("carol@acme.test", "crm:deals:export"));
  f.ok({"profile", "grant", "Wild", "*:*:*"});
  auto d = f.check("carol@acme.test", "sales:orders:delete", {}, 0);
  EXPECT_EQ(d["grant"], "sales:*:delete") << "the most specific grant is named";
  EXPECT_TRUE(f.allowed("carol@acme.test", "anything:at:all"));
}

TEST(PermCheck, MalformedPermissionsAreExit6AndNamed) {
  Fixture f;
  for (const char* bad : {"crm:leads", "crm:*:read", "CRM:leads:read", "crm:leads:read:x", "crm::read"}) {
    auto r = f.perm({"check", "alice@acme.test", bad});
    EXPECT_EQ(r.exit_code, 6) << bad << ": " << r.err;
    EXPECT_NE(r.err.find(bad), std::string::npos) << r.err;
  }
  f.ok({"profile", "create", "Sales"});
  auto r = f.perm({"profile", "grant", "Sales", "crm:leads:read", "crm:Leads:read"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("permission 'crm:Leads:read' is malformed"), std::string::npos) << r.err;
  EXPECT_EQ(f.db.count("profile_permissions"), 0) << "nothing of a refused grant is stored";
  EXPECT_EQ(f.perm({"check", "alice@acme.test", "crm:leads:read", "--record", "lead"}).exit_code, 6);
}

TEST(PermCheck, UnknownUserOrWorkspaceIsExit3AndOutsidersAreDenied) {
  Fixture f;
  auto r = f.perm({"check", "nobody@acme.test", "workspace:leads:read"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("nobody@acme.test"), std::string::npos) << r.err;
  auto ws =
      test::run_wfa({"perm", "check", "alice@acme.test", "workspace:leads:read", "--workspace", "acme/nope"}, f.env);
  EXPECT_EQ(ws.exit_code, 3) << ws.err;

  f.ok({"profile", "create", "All"});
  f.ok({"profile", "grant", "All", "*:*:*"});
  auto refused = f.perm({"profile", "assign", "All", "outsider@else.test"});
  EXPECT_EQ(refused.exit_code, 6) << refused.err;
  EXPECT_NE(refused.err.find("not a member"), std::string::npos) << refused.err;
  // A profile left behind (e.g. after the membership ended) gives nothing.
  f.exec(
      "INSERT INTO user_profiles (user_id, workspace_id, profile_id, assigned_by) SELECT u.id, p.workspace_id, p.id, "
      "'test'"
      " FROM users u, profiles p WHERE u.email = 'outsider@else.test'");
  auto d = f.check("outsider@else.test", "crm:leads:read", {}, 5);
  EXPECT_NE(d["reason"].get<std::string>().find("not a member"), std::string::npos) << d.dump();
}

TEST(PermCheck, ExplainFieldsAppearInEveryFormat) {
  Fixture f;
  auto plain = f.perm({"check", "viewer@acme.test", "workspace:calls:read", "--explain", "-o", "plain"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("decision\tallowed"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("decided_by\trole"), std::string::npos) << plain.out;
  auto csv = f.perm({"check", "viewer@acme.test", "workspace:calls:delete", "--explain", "-o", "csv"});
  EXPECT_EQ(csv.exit_code, 5) << csv.err;
  EXPECT_NE(csv.out.find("decided_by,source,grant,expires_at,reason"), std::string::npos) << csv.out;
  auto ndjson = f.perm({"check", "viewer@acme.test", "workspace:calls:read", "--explain", "-o", "ndjson"});
  EXPECT_EQ(json::parse(ndjson.out)["source"], "viewer");
  auto terse = f.perm({"check", "viewer@acme.test", "workspace:calls:read", "-o", "json"});
  EXPECT_FALSE(json::parse(terse.out).contains("decided_by")) << "explain fields only with --explain";
  EXPECT_EQ(json::parse(terse.out)["schema_version"], 1);
}

TEST(PermCheck, BatchAnswersManyUsersInOneProcess) {
  Fixture f;
  test::TempDir dir;
  auto path = (dir.path() / "checks.txt").string();
  {
    std::ofstream out(path);
    out << "# user permission [record]\n"
        << "viewer@acme.test workspace:leads:read\n\n"
        << "alice@acme.test workspace:leads:update\n"
        << "viewer@acme.test workspace:leads:delete lead:1\n";
  }
  auto r = f.perm({"check", "--batch", path, "-o", "json"});
  EXPECT_EQ(r.exit_code, 5) << "one line is denied: " << r.err;
  auto rows = json::parse(r.out)["checks"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["line"], 2);
  EXPECT_EQ(rows[2]["decision"], "denied");
  EXPECT_EQ(rows[2]["record"], "lead:1");
  EXPECT_NE(r.err.find("3 checks: 2 allowed, 1 denied"), std::string::npos) << r.err;
  {
    std::ofstream out(path);
    out << "alice@acme.test workspace:leads:read\nalice@acme.test workspace:*:read\n";
  }
  auto bad = f.perm({"check", "--batch", path});
  EXPECT_EQ(bad.exit_code, 6);
  EXPECT_NE(bad.err.find(path + ":2:"), std::string::npos) << bad.err;
}
