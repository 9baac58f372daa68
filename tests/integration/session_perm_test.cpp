// Permission decisions in process: run_perm_*, the check engine and authorize_actor through a Session, no binary.
#include <algorithm>

#include <pqxx/transaction>

#include "commands/perm/perm.hpp"
#include "commands/perm/perm_engine.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/database.hpp"
#include "tests/integration/perm_fixture.hpp"

using namespace wfa;
using perm_test::Fixture;
using test::failure;
using test::field;

namespace {

PermCreateOptions named(const std::string& name, std::optional<std::string> parent = std::nullopt) {
  PermCreateOptions o;
  o.workspace = "acme/main";
  o.name = name;
  o.parent = std::move(parent);
  return o;
}

PermGrantOptions grant(const std::string& target, std::vector<std::string> permissions) {
  PermGrantOptions o;
  o.workspace = "acme/main";
  o.target = target;
  o.permissions = std::move(permissions);
  return o;
}

PermAssignOptions assign(const std::string& target, const std::string& user,
                         std::optional<std::string> expires = std::nullopt, bool leader = false) {
  PermAssignOptions o;
  o.workspace = "acme/main";
  o.target = target;
  o.user = user;
  o.expires = std::move(expires);
  o.leader = leader;
  return o;
}

PermShareOptions share(const std::string& record, const std::string& user, const std::string& level) {
  PermShareOptions o;
  o.workspace = "acme/main";
  o.record = record;
  o.user = user;
  o.level = level;
  return o;
}

PermOwnerOptions owner(const std::string& record, const std::string& user) {
  PermOwnerOptions o;
  o.workspace = "acme/main";
  o.record = record;
  o.user = user;
  return o;
}

/// ask is `perm check USER PERMISSION [--record RECORD] --explain` in acme/main.
PermCheckOptions ask(const std::string& user, const std::string& permission,
                     std::optional<std::string> record = std::nullopt) {
  return {"acme/main", user, permission, std::move(record), std::nullopt, true};
}

/// grant_names lists grants as SOURCE/NAME/PERMISSION.
std::vector<std::string> grant_names(const UserGrants& grants) {
  std::vector<std::string> out;
  for (const auto& g : grants.grants) out.push_back(g.source + "/" + g.name + "/" + g.permission);
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

TEST(SessionPerm, TheRoleMatrixAllowsOrDeniesAndNamesTheDecidingGrant) {
  Fixture f;
  auto& s = f.session("ops@platform");
  auto viewer = run_perm_check(ask("viewer@acme.test", "workspace:leads:read"), s);
  EXPECT_EQ(viewer.category, ErrorCategory::ok);
  EXPECT_TRUE(field(viewer, "allowed").as_bool());
  EXPECT_EQ(field(viewer, "decided_by").as_string(), "role");
  EXPECT_EQ(field(viewer, "source").as_string(), "viewer");
  EXPECT_EQ(field(viewer, "grant").as_string(), "workspace:*:read");

  auto denied = run_perm_check(ask("viewer@acme.test", "workspace:leads:update"), s);
  EXPECT_EQ(denied.category, ErrorCategory::permission) << "a denial is an answer, not a thrown error";
  EXPECT_FALSE(field(denied, "allowed").as_bool());
  EXPECT_EQ(field(denied, "decision").as_string(), "denied");
  EXPECT_EQ(field(denied, "decided_by").kind(), Cell::Kind::null);

  auto partner = run_perm_check(ask("padmin@acme.test", "partner:domains:create"), s);
  EXPECT_EQ(field(partner, "decided_by").as_string(), "partner_role");
  EXPECT_EQ(run_perm_check(ask("padmin@acme.test", "workspace:leads:read"), s).category, ErrorCategory::permission);
  EXPECT_EQ(run_perm_check(ask("owner@acme.test", "workspace:billing:delete"), s).category, ErrorCategory::ok);

  auto outsider = run_perm_check(ask("outsider@else.test", "workspace:leads:read"), s);
  EXPECT_EQ(outsider.category, ErrorCategory::permission);
  EXPECT_NE(field(outsider, "reason").as_string().find("not a member"), std::string::npos);
}

TEST(SessionPerm, ProfilesAndExpiringSetsMadeInProcessDecide) {
  Fixture f;
  auto& s = f.session("ops@platform");
  run_perm_profile_create(named("Sales"), s);
  run_perm_profile_grant(grant("Sales", {"crm:*:read", "crm:leads:update"}), s);
  run_perm_profile_assign(assign("Sales", "ALICE@acme.test"), s);
  auto d = run_perm_check(ask("alice@acme.test", "crm:deals:read"), s);
  EXPECT_EQ(d.category, ErrorCategory::ok);
  EXPECT_EQ(field(d, "decided_by").as_string(), "profile");
  EXPECT_EQ(field(d, "source").as_string(), "Sales");
  EXPECT_EQ(field(d, "grant").as_string(), "crm:*:read");
  EXPECT_EQ(run_perm_check(ask("alice@acme.test", "crm:leads:delete"), s).category, ErrorCategory::permission);
  EXPECT_EQ(run_perm_check(ask("bob@acme.test", "crm:deals:read"), s).category, ErrorCategory::permission)
      << "not bob's profile";

  run_perm_set_create(named("Exporter"), s);
  run_perm_set_grant(grant("Exporter", {"reports:exports:create"}), s);
  run_perm_set_assign(assign("Exporter", "bob@acme.test", "2099-01-31T12:00:00Z"), s);
  auto set = run_perm_check(ask("bob@acme.test", "reports:exports:create"), s);
  EXPECT_EQ(field(set, "decided_by").as_string(), "permission_set");
  EXPECT_EQ(field(set, "expires_at").as_string(), "2099-01-31T12:00:00Z");
  EXPECT_EQ(f.value("SELECT granted_by FROM user_permission_sets"), "ops@platform");

  f.exec("UPDATE user_permission_sets SET expires_at = now() - interval '1 minute'");
  EXPECT_EQ(run_perm_check(ask("bob@acme.test", "reports:exports:create"), s).category, ErrorCategory::permission)
      << "an expired set grants nothing";
  auto past = failure([&] { run_perm_set_assign(assign("Exporter", "bob@acme.test", "2001-01-01"), s); });
  EXPECT_EQ(past.category, ErrorCategory::invalid_input) << past.message;
  EXPECT_NE(past.message.find("in the past"), std::string::npos) << past.message;
}

TEST(SessionPerm, TheEngineLoadsGrantsAndRecordAccessThroughOwnersLeadersAndShares) {
  Fixture f;
  auto& s = f.session("ops@platform");
  run_perm_profile_create(named("Sales"), s);
  run_perm_profile_grant(grant("Sales", {"crm:*:read"}), s);
  run_perm_profile_assign(assign("Sales", "alice@acme.test"), s);
  run_perm_team_create(named("Top"), s);
  run_perm_team_create(named("Bottom", "Top"), s);
  run_perm_team_add(assign("Top", "alice@acme.test", std::nullopt, true), s);
  run_perm_team_add(assign("Bottom", "carol@acme.test"), s);
  run_perm_owner_set(owner(Fixture::campaign(42), "carol@acme.test"), s);
  auto shared = share(Fixture::campaign(7), "dave@acme.test", "read");
  shared.expires = "2099-06-01T00:00:00Z";
  run_perm_share(shared, s);

  pqxx::read_transaction tx(s.database().ready());
  PermissionEngine engine(tx.conn());
  auto ws = f.workspace_id("acme/main");
  auto alice = f.user_id("alice@acme.test");
  const auto& grants = engine.grants(tx, ws, alice);
  EXPECT_TRUE(grants.member);
  auto names = grant_names(grants);
  EXPECT_TRUE(has(names, "role/member/workspace:*:read")) << testing::PrintToString(names);
  EXPECT_TRUE(has(names, "profile/Sales/crm:*:read")) << testing::PrintToString(names);
  EXPECT_FALSE(engine.grants(tx, ws, f.user_id("outsider@else.test")).member);

  auto leader = engine.record_access(tx, ws, alice, {"campaign", Fixture::campaign_id(42)});
  ASSERT_EQ(leader.size(), 1u);
  EXPECT_EQ(leader[0].source, "team_leader");
  EXPECT_EQ(leader[0].name, "Top");
  EXPECT_EQ(leader[0].level, AccessLevel::read_write);
  auto owned = engine.record_access(tx, ws, f.user_id("carol@acme.test"), {"campaign", Fixture::campaign_id(42)});
  ASSERT_EQ(owned.size(), 1u);
  EXPECT_EQ(owned[0].source, "owner");
  EXPECT_EQ(owned[0].level, AccessLevel::full);
  auto dave = engine.record_access(tx, ws, f.user_id("dave@acme.test"), {"campaign", Fixture::campaign_id(7)});
  ASSERT_EQ(dave.size(), 1u);
  EXPECT_EQ(dave[0].source, "share");
  EXPECT_EQ(dave[0].level, AccessLevel::read);
  EXPECT_EQ(dave[0].expires_at, "2099-06-01T00:00:00Z");
  EXPECT_TRUE(engine.record_access(tx, ws, f.user_id("bob@acme.test"), {"campaign", Fixture::campaign_id(42)}).empty());

  auto update = engine.check(tx, ws, alice, "crm:leads:update", RecordRef{"campaign", Fixture::campaign_id(42)});
  EXPECT_TRUE(update.allowed);
  EXPECT_EQ(update.decided_by, "team_leader");
  auto remove = engine.check(tx, ws, alice, "crm:leads:delete", RecordRef{"campaign", Fixture::campaign_id(42)});
  EXPECT_FALSE(remove.allowed) << "leaders get read_write, not full";
  EXPECT_NE(remove.reason.find("full"), std::string::npos) << remove.reason;
  EXPECT_EQ(engine.check(tx, ws, alice, "crm:leads:read", std::nullopt).decided_by, "profile")
      << "a grant decides first";
  EXPECT_FALSE(engine.check(tx, ws, alice, "crm:leads:update", std::nullopt).allowed) << "no record, no leadership";
}

TEST(SessionPerm, AnActingMemberNeedsTheRightAndOperatorsPass) {
  Fixture f;
  auto before = f.counts();
  auto denied = failure([&] { run_perm_profile_create(named("Ops"), f.session_as("alice@acme.test")); });
  EXPECT_EQ(denied.category, ErrorCategory::permission) << denied.message;
  EXPECT_NE(denied.message.find("workspace:permissions:create"), std::string::npos) << denied.message;
  EXPECT_EQ(f.counts(), before);
  run_perm_profile_create(named("Ops"), f.session_as("admin@acme.test"));
  EXPECT_EQ(f.value("SELECT actor FROM audit_log WHERE action = 'perm.profile.create'"), "admin@acme.test");
  run_perm_owner_set(owner(Fixture::campaign(1), "carol@acme.test"), f.session("ops@platform"));
  EXPECT_EQ(
      run_perm_share(share(Fixture::campaign(1), "bob@acme.test", "read"), f.session_as("carol@acme.test")).category,
      ErrorCategory::ok)
      << "the owner of a record may share it";
  EXPECT_EQ(failure([&] {
              run_perm_share(share(Fixture::campaign(1), "dave@acme.test", "read"), f.session_as("bob@acme.test"));
            }).category,
            ErrorCategory::permission)
      << "read access is not enough to share";

  auto& s = f.session();
  pqxx::read_transaction tx(s.database().ready());
  auto ws = find_workspace(tx, "acme/main");
  auto authorized = [&](const std::string& actor, const std::string& permission, std::optional<RecordRef> record = {}) {
    auto& session = actor.find('@') == std::string::npos ? f.session(actor) : f.session_as(actor);
    return failure([&] { require_workspace(tx, actor_of(tx, session), ws, "acme/main", permission, record); }).category;
  };
  EXPECT_EQ(authorized("viewer@acme.test", "workspace:permissions:update"), ErrorCategory::permission);
  EXPECT_EQ(authorized("admin@acme.test", "workspace:permissions:update"), ErrorCategory::ok);
  EXPECT_EQ(authorized("padmin@acme.test", "workspace:permissions:update"), ErrorCategory::ok)
      << "the partner's admins manage its workspaces";
  EXPECT_EQ(authorized("cron", "workspace:permissions:update"), ErrorCategory::ok) << "no --as: the operator";
  EXPECT_EQ(authorized("outsider@else.test", "workspace:permissions:update"), ErrorCategory::permission)
      << "a user without standing";
  EXPECT_EQ(authorized("ghost@else.test", "workspace:permissions:update"), ErrorCategory::permission)
      << "an unknown user";
  EXPECT_EQ(
      authorized("carol@acme.test", "workspace:permissions:share", RecordRef{"campaign", Fixture::campaign_id(1)}),
      ErrorCategory::ok);
  EXPECT_EQ(authorized("dave@acme.test", "workspace:permissions:share", RecordRef{"campaign", Fixture::campaign_id(1)}),
            ErrorCategory::permission);
}

TEST(SessionPerm, BadQuestionsAndReferencesAreRefusedByCategory) {
  Fixture f;
  auto& s = f.session("ops@platform");
  auto category = [&](const std::function<void()>& call) { return failure(call).category; };
  auto malformed = failure([&] { run_perm_check(ask("alice@acme.test", "crm:*:read"), s); });
  EXPECT_EQ(malformed.category, ErrorCategory::invalid_input);
  EXPECT_NE(malformed.message.find("crm:*:read"), std::string::npos) << malformed.message;
  EXPECT_EQ(category([&] { run_perm_check(ask("alice@acme.test", "CRM:leads:read"), s); }),
            ErrorCategory::invalid_input);
  EXPECT_EQ(category([&] { run_perm_check(ask("alice@acme.test", "crm:leads:read", "lead"), s); }),
            ErrorCategory::invalid_input);
  EXPECT_EQ(category([&] { run_perm_check(ask("nobody@acme.test", "crm:leads:read"), s); }), ErrorCategory::not_found);
  EXPECT_EQ(category([&] { run_perm_check(ask("", "crm:leads:read"), s); }), ErrorCategory::usage);
  auto elsewhere = ask("alice@acme.test", "crm:leads:read");
  elsewhere.workspace = "acme/nope";
  EXPECT_EQ(category([&] { run_perm_check(elsewhere, s); }), ErrorCategory::not_found);
  elsewhere.workspace = "nosuch";
  EXPECT_EQ(category([&] { run_perm_check(elsewhere, s); }), ErrorCategory::not_found) << "a bare slug nobody has";

  run_perm_profile_create(named("Sales"), s);
  EXPECT_EQ(category([&] { run_perm_profile_create(named("Sales"), s); }), ErrorCategory::conflict);
  auto again = named("Sales");
  again.if_not_exists = true;
  EXPECT_NE(run_perm_profile_create(again, s).message.find("nothing changed"), std::string::npos);
  EXPECT_EQ(category([&] { run_perm_profile_grant(grant("Sales", {"crm:Leads:read"}), s); }),
            ErrorCategory::invalid_input);
  EXPECT_EQ(category([&] { run_perm_profile_grant(grant("Nope", {"a:b:c"}), s); }), ErrorCategory::not_found);
  EXPECT_EQ(category([&] { run_perm_profile_assign(assign("Sales", "outsider@else.test"), s); }),
            ErrorCategory::invalid_input);
  EXPECT_EQ(category([&] { run_perm_profile_assign(assign("Sales", "ghost@acme.test"), s); }),
            ErrorCategory::not_found);
  EXPECT_EQ(category([&] { run_perm_share(share(Fixture::campaign(1), "dave@acme.test", "admin"), s); }),
            ErrorCategory::usage)
      << "an unknown enum value";
  EXPECT_EQ(category([&] { run_perm_share(share("Lead:1", "dave@acme.test", "read"), s); }),
            ErrorCategory::invalid_input);

  run_perm_team_create(named("Top"), s);
  run_perm_team_create(named("Bottom", "Top"), s);
  EXPECT_EQ(category([&] { run_perm_team_create(named("Loop", "Loop"), s); }), ErrorCategory::invalid_input);
  PermTeamMoveOptions cycle;
  cycle.workspace = "acme/main";
  cycle.team = "Top";
  cycle.parent = "Bottom";
  EXPECT_EQ(category([&] { run_perm_team_move(cycle, s); }), ErrorCategory::invalid_input);
  cycle.parent.reset();
  EXPECT_EQ(category([&] { run_perm_team_move(cycle, s); }), ErrorCategory::usage) << "--parent or --root is needed";
  EXPECT_EQ(f.value("SELECT count(*) FROM profile_permissions"), "0") << "nothing of a refused grant is stored";
}

TEST(SessionPerm, DryRunDoesTheWorkAndChangesNothing) {
  Fixture f;
  auto& s = f.session("ops@platform");
  run_perm_profile_create(named("Sales"), s);
  auto before = f.counts();
  auto create = named("Ops");
  create.dry_run = true;
  auto shown = run_perm_profile_create(create, s);
  EXPECT_EQ(field(shown, "name").as_string(), "Ops") << "the would-be profile is returned";
  EXPECT_NE(shown.message.find("dry run: would"), std::string::npos) << shown.message;
  auto assigned = assign("Sales", "alice@acme.test");
  assigned.dry_run = true;
  EXPECT_EQ(run_perm_profile_assign(assigned, s).category, ErrorCategory::ok);
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(run_perm_check(ask("alice@acme.test", "crm:leads:read"), s).category, ErrorCategory::permission);
}
