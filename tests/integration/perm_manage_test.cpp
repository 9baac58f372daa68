// `wfa perm` mutations: --dry-run changes nothing, audit rows, idempotence, the acting user's rights.
#include "tests/integration/perm_fixture.hpp"

using namespace wfa;
using perm_test::Fixture;
using perm_test::json;

namespace {

/// Seeded: profile Sales (crm:*:read) for alice, set Export for bob, team Top with carol, campaign 1 owned by carol.
struct Seeded : Fixture {
  Seeded() {
    ok({"profile", "create", "Sales"});
    ok({"profile", "grant", "Sales", "crm:*:read"});
    ok({"profile", "assign", "Sales", "alice@acme.test"});
    ok({"profile", "create", "Support"});
    ok({"set", "create", "Export"});
    ok({"set", "grant", "Export", "reports:*:create"});
    ok({"team", "create", "Top"});
    ok({"team", "add", "Top", "carol@acme.test"});
    ok({"owner", "set", Fixture::campaign(1), "--user", "carol@acme.test"});
    ok({"share", Fixture::campaign(1), "--user", "dave@acme.test", "--level", "read"});
  }
};

json last_audit(Fixture& f) {
  return json::parse(f.value("SELECT to_jsonb(a) FROM audit_log a ORDER BY id DESC LIMIT 1"));
}

}  // namespace

TEST(PermManage, DryRunDoesTheWorkAndChangesNothing) {
  Seeded f;
  auto before = f.counts();
  const std::vector<std::vector<std::string>> mutations = {
      {"profile", "create", "Ops"},
      {"profile", "grant", "Sales", "crm:deals:update"},
      {"profile", "revoke", "Sales", "crm:*:read"},
      {"profile", "assign", "Support", "alice@acme.test"},
      {"profile", "unassign", "alice@acme.test"},
      {"set", "create", "Temp"},
      {"set", "grant", "Export", "reports:pdf:create"},
      {"set", "assign", "Export", "bob@acme.test", "--expires", "2099-01-01"},
      {"team", "create", "Child", "--parent", "Top"},
      {"team", "add", "Top", "bob@acme.test", "--leader"},
      {"team", "remove", "Top", "carol@acme.test"},
      {"share", Fixture::campaign(1), "--team", "Top", "--level", "full"},
      {"unshare", Fixture::campaign(1), "--user", "dave@acme.test"},
      {"owner", "set", Fixture::campaign(1), "--user", "bob@acme.test"},
  };
  for (auto args : mutations) {
    args.insert(args.end(), {"--dry-run", "-o", "json"});
    auto r = f.perm(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_NE(r.err.find("dry run: would"), std::string::npos) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_FALSE(json::parse(r.out, nullptr, false).is_discarded()) << "the would-be result is shown: " << r.out;
    EXPECT_EQ(f.counts(), before) << args[0] << " " << args[1];
  }
  auto show = json::parse(f.perm({"profile", "create", "Ops", "--dry-run", "-o", "json"}).out);
  EXPECT_EQ(show["name"], "Ops");
  EXPECT_EQ(f.value("SELECT count(*) FROM profiles WHERE name = 'Ops'"), "0");
}

TEST(PermManage, MutationsWriteAuditRowsWithActorWorkspaceAndValues) {
  Seeded f;
  auto grant = last_audit(f);  // the share of the fixture
  EXPECT_EQ(grant["action"], "perm.share");
  EXPECT_EQ(grant["actor"], "ops@platform");
  EXPECT_EQ(grant["workspace_id"], f.value("SELECT id FROM workspaces WHERE slug = 'main'"));
  EXPECT_EQ(grant["new_values"]["access_level"], "read");

  f.ok({"profile", "grant", "Sales", "crm:deals:update"});
  auto row = last_audit(f);
  EXPECT_EQ(row["action"], "perm.profile.grant");
  EXPECT_EQ(row["entity_type"], "profile");
  EXPECT_EQ(row["old_values"]["permissions"], json::array({"crm:*:read"}));
  EXPECT_EQ(row["new_values"]["permissions"], json::array({"crm:*:read", "crm:deals:update"}));

  f.ok({"profile", "assign", "Support", "alice@acme.test"});
  row = last_audit(f);
  EXPECT_EQ(row["action"], "perm.profile.assign");
  EXPECT_EQ(row["entity_type"], "user");
  EXPECT_EQ(row["old_values"]["profile"], "Sales");
  EXPECT_EQ(row["new_values"]["profile"], "Support");

  f.ok({"set", "assign", "Export", "bob@acme.test", "--expires", "2099-01-01T00:00:00Z"});
  row = last_audit(f);
  EXPECT_EQ(row["action"], "perm.set.assign");
  EXPECT_TRUE(row["old_values"].is_null());
  EXPECT_EQ(row["new_values"]["granted_by"], "ops@platform");

  f.ok({"owner", "set", Fixture::campaign(1), "--user", "bob@acme.test"});
  row = last_audit(f);
  EXPECT_EQ(row["entity_id"], Fixture::campaign(1));
  EXPECT_EQ(row["old_values"]["owner"], "carol@acme.test");
  EXPECT_EQ(row["new_values"]["owner"], "bob@acme.test");

  for (const char* action : {"perm.profile.create", "perm.set.create", "perm.set.grant", "perm.team.create",
                             "perm.team.add", "perm.owner.set"})
    EXPECT_NE(f.value(std::string("SELECT count(*) FROM audit_log WHERE action = '") + action + "'"), "0") << action;
}

TEST(PermManage, RepeatsAreConflictsOrNoOps) {
  Seeded f;
  auto dup = f.perm({"profile", "create", "Sales"});
  EXPECT_EQ(dup.exit_code, 4) << dup.err;
  EXPECT_NE(dup.err.find("already exists"), std::string::npos) << dup.err;
  EXPECT_EQ(f.perm({"profile", "create", "Sales", "--if-not-exists"}).exit_code, 0);
  EXPECT_EQ(f.perm({"team", "create", "Top"}).exit_code, 4);
  auto audits = f.db.count("audit_log");
  for (std::vector<std::string> again : {std::vector<std::string>{"profile", "grant", "Sales", "crm:*:read"},
                                         {"profile", "assign", "Sales", "alice@acme.test"},
                                         {"team", "add", "Top", "carol@acme.test"},
                                         {"team", "remove", "Top", "bob@acme.test"},
                                         {"share", Fixture::campaign(1), "--user", "dave@acme.test", "--level", "read"},
                                         {"owner", "set", Fixture::campaign(1), "--user", "carol@acme.test"}}) {
    auto r = f.perm(again);
    EXPECT_EQ(r.exit_code, 0) << again[1] << ": " << r.err;
    EXPECT_NE(r.err.find("nothing changed"), std::string::npos) << again[1] << ": " << r.err;
  }
  EXPECT_EQ(f.db.count("audit_log"), audits) << "no-ops are not audited";
  EXPECT_EQ(f.perm({"profile", "grant", "Nope", "a:b:c"}).exit_code, 3);
  EXPECT_EQ(f.perm({"profile", "assign", "Sales", "ghost@acme.test"}).exit_code, 3);
  auto cross =
      test::run_wfa({"perm", "profile", "assign", "Sales", "alice@acme.test", "--workspace", "zeta/other"}, f.env);
  EXPECT_EQ(cross.exit_code, 3) << "profiles belong to one workspace: " << cross.err;
}

TEST(PermManage, AnActingMemberNeedsTheWorkspacePermissionsRight) {
  Seeded f;
  f.env["WFA_AS"] = "alice@acme.test";  // a plain member
  auto denied = f.perm({"profile", "grant", "Sales", "*:*:*"});
  EXPECT_EQ(denied.exit_code, 5) << denied.err;
  EXPECT_NE(denied.err.find("workspace:permissions:update"), std::string::npos) << denied.err;
  EXPECT_EQ(f.perm({"share", Fixture::campaign(1), "--user", "bob@acme.test", "--level", "read"}).exit_code, 5);
  f.env["WFA_AS"] = "carol@acme.test";  // the owner of campaign 1 may share it
  EXPECT_EQ(f.perm({"share", Fixture::campaign(1), "--user", "bob@acme.test", "--level", "read"}).exit_code, 0);
  f.env["WFA_AS"] = "admin@acme.test";
  auto escalation = f.perm({"profile", "grant", "Sales", "crm:deals:update"});
  EXPECT_EQ(escalation.exit_code, 5) << "an admin does not hold crm:deals:update, so cannot give it";
  EXPECT_NE(escalation.err.find("may not give crm:deals:update"), std::string::npos) << escalation.err;
  EXPECT_EQ(f.perm({"profile", "grant", "Sales", "workspace:campaigns:read"}).exit_code, 0);
  EXPECT_EQ(f.value("SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1"), "admin@acme.test");
  f.env["WFA_AS"] = "owner@acme.test";
  EXPECT_EQ(f.perm({"profile", "grant", "Sales", "crm:deals:update"}).exit_code, 0) << "the owner holds the workspace";
}

TEST(PermManage, ListAndShowDescribeTheModel) {
  Seeded f;
  auto profiles = json::parse(f.perm({"profile", "list", "-o", "json"}).out)["profiles"];
  ASSERT_EQ(profiles.size(), 2u);
  EXPECT_EQ(profiles[0]["name"], "Sales");
  EXPECT_EQ(profiles[0]["permissions"], json::array({"crm:*:read"}));
  EXPECT_EQ(profiles[0]["user_count"], 1);
  auto sales = json::parse(f.perm({"profile", "show", "Sales", "-o", "json"}).out);
  EXPECT_EQ(sales["users"][0]["email"], "alice@acme.test") << sales.dump();
  auto sets = json::parse(f.perm({"set", "show", "Export", "-o", "json"}).out);
  EXPECT_EQ(sets["permissions"], json::array({"reports:*:create"}));
  auto team = json::parse(f.perm({"team", "show", "Top", "-o", "json"}).out);
  EXPECT_EQ(team["members"][0]["email"], "carol@acme.test");
  auto shares = json::parse(f.perm({"shares", Fixture::campaign(1), "-o", "json"}).out)["shares"];
  ASSERT_EQ(shares.size(), 1u);
  EXPECT_EQ(shares[0]["email"], "dave@acme.test");
  EXPECT_EQ(shares[0]["expired"], false);
}
