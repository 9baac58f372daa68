// Tenancy lookups in process: partners, workspaces, membership scopes and roles found through a Session on a real
// PostgreSQL, seeded by the partner and workspace verbs run in process too; no binary.
#include <pqxx/transaction>

#include <nlohmann/json.hpp>

#include "commands/member/member_scope.hpp"
#include "commands/partner/partner.hpp"
#include "commands/tenancy/roles.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "commands/workspace/workspace.hpp"
#include "core/database.hpp"
#include "tests/support/integration_fixture.hpp"

using namespace wfa;
using test::failure;
using test::field;

namespace {

/// TenancyWorld: partners acme and zeta made by run_partner_create, each with workspace main, and acme/old
/// deleted; all in process as ops@wfa.example.
struct TenancyWorld : test::IntegrationFixture {
  TenancyWorld() {
    auto& s = session("ops@wfa.example");
    for (const char* slug : {"acme", "zeta"}) {
      PartnerCreateOptions partner;
      partner.slug = slug;
      partner.name = std::string(slug) + " Inc";
      run_partner_create(partner, s);
      WorkspaceCreateOptions ws;
      ws.slug = "main";
      ws.partner = slug;
      ws.name = "Main";
      run_workspace_create(ws, s);
    }
    WorkspaceCreateOptions old;
    old.slug = "old";
    old.partner = "acme";
    old.name = "Old";
    run_workspace_create(old, s);
    run_workspace_delete({"acme/old", true, false}, s);
  }
};

}  // namespace

TEST(SessionTenancy, VerbsRunInProcessSeedTheTenantsAndAuditThem) {
  TenancyWorld f;
  EXPECT_EQ(f.value("SELECT string_agg(slug, ',' ORDER BY slug) FROM partners"), "acme,zeta");
  EXPECT_EQ(f.value("SELECT count(*) FROM workspaces WHERE deleted_at IS NULL"), "2");
  EXPECT_EQ(f.value("SELECT string_agg(hostname, ',' ORDER BY hostname) FROM partner_domains"),
            "acme.wfa.example,zeta.wfa.example");
  EXPECT_EQ(f.value("SELECT string_agg(action || '=' || n, ',' ORDER BY action) FROM (SELECT action, count(*) AS n"
                    " FROM audit_log WHERE actor = 'ops@wfa.example' GROUP BY action) a"),
            "partner.create=2,partner_domain.create=2,workspace.create=3,workspace.delete=1");
  auto shown = run_workspace_show({"acme/main"}, f.session());
  EXPECT_EQ(field(shown, "partner").as_string(), "acme");
  EXPECT_EQ(field(shown, "slug").as_string(), "main");
  WorkspaceCreateOptions again;
  again.slug = "main";
  again.partner = "acme";
  again.name = "Main";
  EXPECT_EQ(failure([&] { run_workspace_create(again, f.session()); }).category, ErrorCategory::conflict);
  again.slug = "old";
  auto deleted = failure([&] { run_workspace_create(again, f.session()); });
  EXPECT_EQ(deleted.category, ErrorCategory::conflict);
  EXPECT_NE(deleted.hint.find("wfa workspace restore acme/old"), std::string::npos) << deleted.hint;
  again.partner = "nope";
  EXPECT_EQ(failure([&] { run_workspace_create(again, f.session()); }).category, ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { run_partner_show({"nope"}, f.session()); }).category, ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { run_workspace_show({"acme/nope"}, f.session()); }).category, ErrorCategory::not_found);
}

TEST(SessionTenancy, FindPartnerBySlugOrIdAndDeletedOnlyWhenAsked) {
  TenancyWorld f;
  run_partner_delete({"zeta", true, false}, f.session());
  pqxx::read_transaction tx(f.session().database().ready());
  auto acme = find_partner(tx, "acme");
  EXPECT_EQ(acme.id, f.partner_id("acme"));
  EXPECT_EQ(acme.slug, "acme");
  EXPECT_FALSE(acme.deleted);
  EXPECT_EQ(find_partner(tx, acme.id).slug, "acme");

  auto gone = failure([&] { find_partner(tx, "zeta"); });
  EXPECT_EQ(gone.category, ErrorCategory::not_found);
  EXPECT_NE(gone.message.find("partner 'zeta' not found"), std::string::npos) << gone.message;
  EXPECT_EQ(failure([&] { find_partner(tx, f.partner_id("zeta")); }).category, ErrorCategory::not_found);
  auto zeta = find_partner(tx, "zeta", true);
  EXPECT_TRUE(zeta.deleted);
  EXPECT_EQ(zeta.id, f.partner_id("zeta"));
  EXPECT_EQ(failure([&] { find_partner(tx, "nope", true); }).category, ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { find_partner(tx, "00000000-0000-0000-0000-000000000000"); }).category,
            ErrorCategory::not_found);
}

TEST(SessionTenancy, FindWorkspaceByIdOrPartnerSlashSlug) {
  TenancyWorld f;
  pqxx::read_transaction tx(f.session().database().ready());
  auto main = find_workspace(tx, "acme/main");
  EXPECT_EQ(main.id, f.workspace_id("acme/main"));
  EXPECT_EQ(main.partner_id, f.partner_id("acme"));
  EXPECT_EQ(main.slug, "main");
  EXPECT_FALSE(main.deleted);
  EXPECT_EQ(find_workspace(tx, main.id).partner_id, f.partner_id("acme"));
  EXPECT_EQ(find_workspace(tx, f.partner_id("acme") + "/main").id, main.id) << "PARTNER may be the partner's id";
  EXPECT_EQ(find_workspace(tx, "zeta/main").id, f.workspace_id("zeta/main")) << "the same slug under another partner";
  EXPECT_NE(find_workspace(tx, "zeta/main").id, main.id);

  auto ambiguous = failure([&] { find_workspace(tx, "main"); });
  EXPECT_EQ(ambiguous.category, ErrorCategory::invalid_input);
  EXPECT_NE(ambiguous.hint.find("PARTNER/SLUG"), std::string::npos) << ambiguous.hint;
  EXPECT_EQ(failure([&] { find_workspace(tx, "acme/nope"); }).category, ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { find_workspace(tx, "nope/main"); }).category, ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { find_workspace(tx, "00000000-0000-0000-0000-000000000000"); }).category,
            ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { find_workspace(tx, "acme/old"); }).category, ErrorCategory::not_found) << "deleted";
  EXPECT_TRUE(find_workspace(tx, "acme/old", true).deleted);

  auto row = nlohmann::json::parse(row_json(tx, "workspaces", main.id));
  EXPECT_EQ(row["slug"], "main");
  EXPECT_EQ(row["partner_id"], main.partner_id);
  EXPECT_EQ(row_json(tx, "workspaces", "00000000-0000-0000-0000-000000000000"), "") << "no row, no snapshot";
}

TEST(SessionTenancy, ScopesResolveExactlyOneOfPartnerOrWorkspace) {
  TenancyWorld f;
  pqxx::work tx(f.session().database().ready());
  auto ws = resolve_scope(tx, {std::nullopt, "acme/main"}, f.session());
  EXPECT_EQ(ws.kind, RoleScope::workspace);
  EXPECT_EQ(ws.id, f.workspace_id("acme/main"));
  EXPECT_EQ(ws.partner_id, f.partner_id("acme"));
  EXPECT_EQ(ws.workspace_id.value_or(""), ws.id);
  EXPECT_EQ(ws.reference, "acme/main");
  EXPECT_EQ(ws.name, "Main");
  EXPECT_EQ(ws.describe(), "workspace acme/main");
  EXPECT_EQ(ws.flag(), "--workspace acme/main");
  auto partner = resolve_scope(tx, {"zeta", std::nullopt}, f.session());
  EXPECT_EQ(partner.kind, RoleScope::partner);
  EXPECT_EQ(partner.id, f.partner_id("zeta"));
  EXPECT_FALSE(partner.workspace_id.has_value());
  EXPECT_EQ(partner.reference, "zeta");
  EXPECT_EQ(partner.name, "zeta Inc");
  EXPECT_STREQ(partner.members_table(), "partner_members");

  EXPECT_EQ(failure([&] { resolve_scope(tx, {}, f.session()); }).category, ErrorCategory::usage);
  EXPECT_EQ(failure([&] { resolve_scope(tx, {"acme", "acme/main"}, f.session()); }).category, ErrorCategory::usage);
  EXPECT_EQ(failure([&] {
              resolve_scope(tx, {"nope", std::nullopt}, f.session());
            }).category,
            ErrorCategory::not_found);
  EXPECT_EQ(failure([&] {
              resolve_scope(tx, {std::nullopt, "acme/old"}, f.session());
            }).category,
            ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { scope_by_id(tx, RoleScope::workspace, f.partner_id("acme")); }).category,
            ErrorCategory::not_found)
      << "a partner's id is no workspace";
}

TEST(SessionTenancy, RolesAndTheirPermissionsAreData) {
  TenancyWorld f;
  pqxx::read_transaction tx(f.session().database().ready());
  auto workspace = RoleHierarchy::load(tx, RoleScope::workspace);
  EXPECT_EQ(workspace.names(), "owner, admin, member, viewer");
  EXPECT_EQ(workspace.top(), "owner");
  EXPECT_TRUE(workspace.at_least("admin", "member"));
  EXPECT_FALSE(workspace.at_least("viewer", "member"));
  EXPECT_TRUE(workspace.can_assign("owner", "owner"));
  EXPECT_TRUE(workspace.can_assign("admin", "member"));
  EXPECT_FALSE(workspace.can_assign("admin", "admin"));
  EXPECT_FALSE(workspace.can_assign("admin", "chief"));
  auto partner = RoleHierarchy::load(tx, RoleScope::partner);
  EXPECT_EQ(partner.names(), "owner, admin, member");
  EXPECT_FALSE(partner.exists("viewer"));
  EXPECT_EQ(partner.rank("viewer"), 0);

  auto viewer = role_permissions(tx, RoleScope::workspace, "viewer");
  EXPECT_EQ(viewer, (std::vector<std::string>{"workspace:*:read"}));
  EXPECT_TRUE(grants_allow(viewer, "workspace:leads:read"));
  EXPECT_FALSE(grants_allow(viewer, "workspace:leads:update"));
  auto admin = role_permissions(tx, RoleScope::workspace, "admin");
  EXPECT_TRUE(grants_allow(admin, "workspace:members:invite"));
  EXPECT_FALSE(grants_allow(admin, "workspace:billing:delete"));
  EXPECT_TRUE(grants_allow(role_permissions(tx, RoleScope::workspace, "owner"), "workspace:billing:delete"));
  EXPECT_TRUE(role_permissions(tx, RoleScope::partner, "viewer").empty());
  EXPECT_FALSE(grants_allow(role_permissions(tx, RoleScope::partner, "admin"), "workspace:leads:read"));
}
