// State rules of the tenancy verbs: nothing changes under a deleted partner (exit 4 with the restore command), and
// a bare workspace slug names its workspace unless several partners have one.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;

namespace {

struct TenancyFixture : test::IntegrationFixture {
  TenancyFixture() : IntegrationFixture({"workspaces", "workspace_members", "locations", "campaigns", "audit_log"}) {
    env["WFA_ACTOR"] = "ops@wfa.test";
    add_partner("acme", "Acme");
    add_workspace("acme", "clinic", "Clinic");
    add_user("ana@acme.test");
  }
};

TEST(TenancyRules, NothingChangesInAWorkspaceOfADeletedPartner) {
  TenancyFixture f;
  ASSERT_EQ(f.run({"partner", "delete", "acme", "--yes"}).exit_code, 0);
  auto before = f.counts();
  const std::vector<std::vector<std::string>> changes = {
      {"workspace", "update", "acme/clinic", "--name", "X"},
      {"member", "add", "ana@acme.test", "--workspace", "acme/clinic", "--role", "member"},
      {"invite", "create", "bo@acme.test", "--workspace", "acme/clinic", "--role", "member"},
      {"location", "add", "DXB-1", "--workspace", "acme/clinic", "--name", "Unipole"},
      {"campaign", "create", "spring", "--workspace", "acme/clinic", "--timezone", "Asia/Dubai"},
      {"perm", "profile", "create", "Ops", "--workspace", "acme/clinic"},
  };
  for (const auto& args : changes) {
    auto r = f.run(args);
    EXPECT_EQ(r.exit_code, 4) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_NE(r.err.find("partner acme of workspace acme/clinic is deleted"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("wfa partner restore acme"), std::string::npos) << r.err;
  }
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.run({"workspace", "show", "acme/clinic"}).exit_code, 0) << "reading is still allowed";
  ASSERT_EQ(f.run({"partner", "restore", "acme"}).exit_code, 0);
  EXPECT_EQ(f.run({"workspace", "update", "acme/clinic", "--name", "X"}).exit_code, 0);
}

TEST(TenancyRules, DomainAddHonoursThePlansCustomDomainFeature) {
  TenancyFixture f;
  f.exec("UPDATE partners SET features = '{\"custom_domain\": false}'");
  auto r = f.run({"domain", "add", "app.acme.example", "--partner", "acme"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("plan starter does not include custom domains"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--plan professional"), std::string::npos) << r.err;
  EXPECT_EQ(f.value("SELECT count(*) FROM partner_domains WHERE hostname = 'app.acme.example'"), "0");
  ASSERT_EQ(f.run({"partner", "update", "acme", "--plan", "professional"}).exit_code, 0);
  EXPECT_EQ(f.run({"domain", "add", "app.acme.example", "--partner", "acme"}).exit_code, 0);
  auto down = f.run({"partner", "update", "acme", "--plan", "starter"});
  ASSERT_EQ(down.exit_code, 0) << down.err;
  EXPECT_NE(down.err.find("this disables"), std::string::npos) << down.err;
  EXPECT_NE(down.err.find("custom_domain"), std::string::npos) << down.err;
  EXPECT_NE(down.err.find("white_label"), std::string::npos) << down.err;
}

TEST(TenancyRules, ABareSlugIsAmbiguousOnlyWhenSeveralPartnersHaveIt) {
  TenancyFixture f;
  EXPECT_EQ(f.run({"workspace", "update", "clinic", "--name", "Clinic Two"}).exit_code, 0);
  EXPECT_EQ(f.value("SELECT name FROM workspaces WHERE slug = 'clinic'"), "Clinic Two");
  f.add_partner("zeta", "Zeta");
  f.add_workspace("zeta", "clinic", "Zeta Clinic");
  auto r = f.run({"workspace", "show", "clinic"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("acme/clinic, zeta/clinic"), std::string::npos) << r.err;
  EXPECT_EQ(f.run({"workspace", "show", "nowhere"}).exit_code, 3);
}

}  // namespace

namespace {

TEST(TenancyRules, AuditListSummarisesEachChangeAndShowGivesItWhole) {
  TenancyFixture f;
  ASSERT_EQ(f.run({"workspace", "update", "acme/clinic", "--name", "Clinic Two", "--status", "suspended"}).exit_code,
            0);
  auto table = f.run({"audit", "list", "-o", "plain"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("changed name, status"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("old_values"), std::string::npos) << "no JSON blobs in text output: " << table.out;
  auto id = f.value("SELECT id FROM audit_log WHERE action = 'workspace.update'");
  auto shown = f.run_json({"audit", "show", id});
  EXPECT_EQ(shown["action"], "workspace.update");
  EXPECT_EQ(shown["summary"], "changed name, status");
  EXPECT_EQ(shown["old_values"]["name"], "Clinic");
  EXPECT_EQ(shown["new_values"]["name"], "Clinic Two");
  EXPECT_EQ(shown["origin"]["via"], "cli");
  EXPECT_EQ(f.run({"audit", "show", "12x"}).exit_code, 6);
  EXPECT_EQ(f.run({"audit", "show", "999999"}).exit_code, 3);
  f.add_workspace_member("acme/clinic", "ana@acme.test", "viewer");
  f.env["WFA_AS"] = "ana@acme.test";
  EXPECT_EQ(f.run({"audit", "show", id}).exit_code, 0) << "a reader of the workspace reads its entries";
  f.add_partner("zeta", "Zeta");
  f.env.erase("WFA_AS");
  ASSERT_EQ(f.run({"workspace", "create", "lab", "--partner", "zeta", "--name", "Lab"}).exit_code, 0);
  auto other = f.value("SELECT id FROM audit_log WHERE action = 'workspace.create'");
  f.env["WFA_AS"] = "ana@acme.test";
  EXPECT_EQ(f.run({"audit", "show", other}).exit_code, 5) << "another partner's entry";
}

}  // namespace
