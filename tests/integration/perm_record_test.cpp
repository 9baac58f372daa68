// `wfa perm check --record`: owners, team leadership up a three-level hierarchy, shares and expiry.
#include "tests/integration/perm_fixture.hpp"

using namespace wfa;
using perm_test::Fixture;
using perm_test::json;

namespace {

/// TeamWorld: Top > Middle > Bottom. alice leads Top, bob is a plain member of Top, erin leads
/// Bottom, frank leads a sibling team Side; carol is in Bottom and owns campaign 42.
struct TeamWorld : Fixture {
  TeamWorld() {
    ok({"team", "create", "Top"});
    ok({"team", "create", "Middle", "--parent", "Top"});
    ok({"team", "create", "Bottom", "--parent", "Middle"});
    ok({"team", "create", "Side", "--parent", "Top"});
    ok({"team", "add", "Top", "alice@acme.test", "--leader"});
    ok({"team", "add", "Top", "bob@acme.test"});
    ok({"team", "add", "Bottom", "erin@acme.test", "--leader"});
    ok({"team", "add", "Bottom", "carol@acme.test"});
    ok({"team", "add", "Side", "frank@acme.test", "--leader"});
    ok({"owner", "set", Fixture::campaign(42), "--user", "carol@acme.test"});
  }
};

}  // namespace

TEST(PermRecord, LeaderOfTheTopTeamSeesARecordOwnedThreeLevelsDown) {
  TeamWorld w;
  auto top = w.check("alice@acme.test", "crm:leads:read", {"--record", Fixture::campaign(42)}, 0);
  EXPECT_EQ(top["decided_by"], "team_leader");
  EXPECT_EQ(top["source"], "Top");
  EXPECT_EQ(top["grant"], "read_write");
  EXPECT_EQ(top["required_level"], "read");
  EXPECT_TRUE(w.allowed("alice@acme.test", "crm:leads:update", {"--record", Fixture::campaign(42)}));
  EXPECT_FALSE(w.allowed("alice@acme.test", "crm:leads:delete", {"--record", Fixture::campaign(42)}))
      << "leaders get read_write, not full";

  auto plain = w.check("bob@acme.test", "crm:leads:read", {"--record", Fixture::campaign(42)}, 5);
  EXPECT_EQ(plain["decision"], "denied") << "a plain member of the top team does not see it";
  EXPECT_FALSE(w.allowed("frank@acme.test", "crm:leads:read", {"--record", Fixture::campaign(42)}))
      << "a leader of a sibling team does not";
  EXPECT_EQ(w.check("erin@acme.test", "crm:leads:read", {"--record", Fixture::campaign(42)}, 0)["source"], "Bottom");
  EXPECT_FALSE(w.allowed("alice@acme.test", "crm:leads:read", {"--record", Fixture::campaign(43)})) << "another record";
  EXPECT_FALSE(w.allowed("alice@acme.test", "crm:leads:read")) << "without --record, leadership grants nothing";

  auto owner = w.check("carol@acme.test", "crm:leads:delete", {"--record", Fixture::campaign(42)}, 0);
  EXPECT_EQ(owner["decided_by"], "owner");
  EXPECT_EQ(owner["grant"], "full");

  w.ok({"team", "move", "Middle", "--root"});
  EXPECT_FALSE(w.allowed("alice@acme.test", "crm:leads:read", {"--record", Fixture::campaign(42)}))
      << "Top is no longer above Bottom";
}

TEST(PermRecord, TeamHierarchyRefusesCycles) {
  TeamWorld w;
  auto cycle = w.perm({"team", "move", "Top", "--parent", "Bottom"});
  EXPECT_EQ(cycle.exit_code, 6) << cycle.err;
  EXPECT_NE(cycle.err.find("cycle"), std::string::npos) << cycle.err;
  EXPECT_EQ(w.perm({"team", "move", "Top", "--parent", "Top"}).exit_code, 6);
  EXPECT_EQ(w.perm({"team", "create", "Loop", "--parent", "Loop"}).exit_code, 6);
  EXPECT_EQ(w.perm({"team", "move", "Top"}).exit_code, 2) << "--parent or --root is needed";
  auto list = json::parse(w.perm({"team", "list", "-o", "json"}).out)["teams"];
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[1]["path"], "Top/Middle");
  EXPECT_EQ(list[2]["path"], "Top/Middle/Bottom");
  EXPECT_EQ(list[2]["depth"], 2);
}

TEST(PermRecord, SharesToUsersAndTeamsGiveTheirLevelUntilTheyExpire) {
  TeamWorld w;
  w.ok({"share", Fixture::campaign(7), "--user", "dave@acme.test", "--level", "read"});
  auto read = w.check("dave@acme.test", "crm:leads:read", {"--record", Fixture::campaign(7)}, 0);
  EXPECT_EQ(read["decided_by"], "share");
  EXPECT_EQ(read["grant"], "read");
  auto update = w.check("dave@acme.test", "crm:leads:update", {"--record", Fixture::campaign(7)}, 5);
  EXPECT_NE(update["reason"].get<std::string>().find("read_write"), std::string::npos) << update.dump();

  w.ok({"share", Fixture::campaign(7), "--team", "Middle", "--level", "full", "--expires", "2099-06-01T00:00:00Z"});
  w.ok({"team", "add", "Middle", "dave@acme.test"});
  auto full = w.check("dave@acme.test", "crm:leads:delete", {"--record", Fixture::campaign(7)}, 0);
  EXPECT_EQ(full["decided_by"], "share");
  EXPECT_EQ(full["expires_at"], "2099-06-01T00:00:00Z");
  EXPECT_NE(full["reason"].get<std::string>().find("to team Middle"), std::string::npos) << full.dump();
  EXPECT_FALSE(w.allowed("alice@acme.test", "crm:leads:read", {"--record", Fixture::campaign(7)}))
      << "team shares reach direct members only";

  w.exec("UPDATE record_shares SET expires_at = now() - interval '1 second' WHERE team_id IS NOT NULL");
  EXPECT_FALSE(w.allowed("dave@acme.test", "crm:leads:delete", {"--record", Fixture::campaign(7)}))
      << "an expired share is ignored";
  EXPECT_TRUE(w.allowed("dave@acme.test", "crm:leads:read", {"--record", Fixture::campaign(7)}));

  w.ok({"share", Fixture::campaign(7), "--user", "dave@acme.test", "--level", "read_write"});
  EXPECT_EQ(w.db.count("record_shares"), 2) << "sharing again with the same user changes the share";
  EXPECT_TRUE(w.allowed("dave@acme.test", "crm:leads:update", {"--record", Fixture::campaign(7)}));
  w.ok({"unshare", Fixture::campaign(7), "--user", "dave@acme.test"});
  EXPECT_FALSE(w.allowed("dave@acme.test", "crm:leads:read", {"--record", Fixture::campaign(7)}));
}

TEST(PermRecord, AGrantDecidesBeforeRecordAccessAndBadSharesAreRefused) {
  TeamWorld w;
  auto by_role = w.check("viewer@acme.test", "workspace:leads:read", {"--record", Fixture::campaign(42)}, 0);
  EXPECT_EQ(by_role["decided_by"], "role") << "a workspace-wide grant needs no record access";
  EXPECT_EQ(
      w.perm({"share", Fixture::campaign(1), "--user", "dave@acme.test", "--team", "Top", "--level", "read"}).exit_code,
      2);
  EXPECT_EQ(w.perm({"share", Fixture::campaign(1), "--level", "read"}).exit_code, 2);
  EXPECT_EQ(w.perm({"share", Fixture::campaign(1), "--user", "dave@acme.test", "--level", "admin"}).exit_code, 2);
  EXPECT_EQ(w.perm({"share", "Lead:1", "--user", "dave@acme.test", "--level", "read"}).exit_code, 6);
  EXPECT_EQ(w.perm({"share", Fixture::campaign(1), "--user", "outsider@else.test", "--level", "read"}).exit_code, 6);
  EXPECT_EQ(w.perm({"share", Fixture::campaign(1), "--team", "Nope", "--level", "read"}).exit_code, 3);
  EXPECT_EQ(w.perm({"owner", "show", Fixture::campaign(999)}).exit_code, 3);
  auto shown = json::parse(w.perm({"owner", "show", Fixture::campaign(42), "-o", "json"}).out);
  EXPECT_EQ(shown["owner"], "carol@acme.test");
}

TEST(PermRecord, SharesAndOwnersNameOnlyRecordsThatExistInTheWorkspace) {
  Fixture f;
  auto before = f.counts();
  const std::string ghost = "campaign:00000000-0000-4000-8000-00000000dead";
  for (const auto& record : {Fixture::campaign(99), ghost, std::string("campaign:42")}) {
    for (const auto& args : {std::vector<std::string>{"share", record, "--user", "dave@acme.test", "--level", "read"},
                             {"owner", "set", record, "--user", "dave@acme.test"}}) {
      auto r = f.perm(args);
      EXPECT_EQ(r.exit_code, record == "campaign:42" ? 6 : 3)
          << "a malformed id is 6, an unknown one 3: " << args[0] << " " << record << ": " << r.err;
      EXPECT_EQ(test::lines(r.err), 1u) << r.err;
      EXPECT_NE(r.err.find(record.substr(9)), std::string::npos) << r.err;
      EXPECT_NE(r.err.find("acme/main"), std::string::npos) << r.err;
    }
  }
  auto unknown = f.perm({"share", "deal:1", "--user", "dave@acme.test", "--level", "read"});
  EXPECT_EQ(unknown.exit_code, 6) << unknown.err;
  EXPECT_NE(unknown.err.find("campaign, location"), std::string::npos) << "the types are listed: " << unknown.err;
  EXPECT_EQ(f.perm({"owner", "set", "deal:1", "--user", "dave@acme.test"}).exit_code, 6);
  EXPECT_EQ(f.counts(), before) << "no share, owner or audit row";

  auto other = test::run_wfa({"perm", "share", Fixture::campaign(99), "--user", "dave@acme.test", "--level", "read",
                              "--workspace", "zeta/other"},
                             f.env);
  EXPECT_EQ(other.exit_code, 6) << "campaign 99 exists in zeta/other, but dave has no standing there: " << other.err;
}

TEST(PermRecord, ARecordIdIsStoredAsItsTableSpellsIt) {
  Fixture f;
  std::string upper = Fixture::campaign_id(42);
  for (auto& c : upper) c = static_cast<char>(toupper(c));
  f.ok({"share", "campaign:" + upper, "--user", "dave@acme.test", "--level", "read"});
  f.ok({"owner", "set", "campaign:" + upper, "--user", "carol@acme.test"});
  EXPECT_EQ(f.value("SELECT record_id FROM record_shares"), Fixture::campaign_id(42));
  EXPECT_EQ(f.value("SELECT record_id FROM record_owners"), Fixture::campaign_id(42));
  EXPECT_EQ(f.check("dave@acme.test", "crm:leads:read", {"--record", Fixture::campaign(42)}, 0)["decided_by"], "share");

  f.exec(
      "INSERT INTO proposals_log (workspace_id, proposal_id, client_name, location_keys, start_date, end_date,"
      " currency, total, file_path, sha256, bytes, pages, created_by) VALUES ('" +
      f.workspace_id("acme/main") +
      "', 'PR-2026-00001', 'Client', '{BB-1}', '2026-01-01', '2026-01-07', 'AED', 1,"
      " 'p.pdf', repeat('a', 64), 1, 1, 'test')");
  f.ok({"share", "proposal:PR-2026-00001", "--user", "dave@acme.test", "--level", "read"});
  EXPECT_EQ(f.perm({"share", "proposal:PR-2026-00002", "--user", "dave@acme.test", "--level", "read"}).exit_code, 3);
}

TEST(PermRecord, AgentsAndKnowledgeDocumentsCanBeOwnedAndShared) {
  Fixture f;
  f.exec("INSERT INTO ai_agents (workspace_id, name, provider, config) VALUES ('" + f.workspace_id("acme/main") +
         "', 'Vera', 'vapi', '{}')");
  auto agent = "ai_agent:" + f.value("SELECT id FROM ai_agents");
  f.ok({"share", agent, "--user", "dave@acme.test", "--level", "read"});
  f.ok({"owner", "set", agent, "--user", "carol@acme.test"});
  EXPECT_EQ(f.check("dave@acme.test", "crm:leads:read", {"--record", agent}, 0)["decided_by"], "share");
  EXPECT_EQ(f.check("carol@acme.test", "crm:leads:delete", {"--record", agent}, 0)["decided_by"], "owner");
  EXPECT_EQ(
      f.perm({"share", "knowledge_document:" + Fixture::campaign_id(1), "--user", "dave@acme.test", "--level", "read"})
          .exit_code,
      3)
      << "a knowledge document that does not exist";
}
