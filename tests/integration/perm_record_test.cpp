// `wfa perm check --record`: owners, team leadership up a three-level hierarchy, shares and expiry.
#include "tests/integration/perm_fixture.hpp"

using namespace wfa;
using perm_test::Fixture;
using perm_test::json;

namespace {

/// TeamWorld: Top > Middle > Bottom. alice leads Top, bob is a plain member of Top, erin leads
/// Bottom, frank leads a sibling team Side; carol is in Bottom and owns lead:42.
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
    ok({"owner", "set", "lead:42", "--user", "carol@acme.test"});
  }
};

}  // namespace

TEST(PermRecord, LeaderOfTheTopTeamSeesARecordOwnedThreeLevelsDown) {
  TeamWorld w;
  auto top = w.check("alice@acme.test", "crm:leads:read", {"--record", "lead:42"}, 0);
  EXPECT_EQ(top["decided_by"], "team_leader");
  EXPECT_EQ(top["source"], "Top");
  EXPECT_EQ(top["grant"], "read_write");
  EXPECT_EQ(top["required_level"], "read");
  EXPECT_TRUE(w.allowed("alice@acme.test", "crm:leads:update", {"--record", "lead:42"}));
  EXPECT_FALSE(w.allowed("alice@acme.test", "crm:leads:delete", {"--record", "lead:42"}))
      << "leaders get read_write, not full";

  auto plain = w.check("bob@acme.test", "crm:leads:read", {"--record", "lead:42"}, 5);
  EXPECT_EQ(plain["decision"], "denied") << "a plain member of the top team does not see it";
  EXPECT_FALSE(w.allowed("frank@acme.test", "crm:leads:read", {"--record", "lead:42"}))
      << "a leader of a sibling team does not";
  EXPECT_EQ(w.check("erin@acme.test", "crm:leads:read", {"--record", "lead:42"}, 0)["source"], "Bottom");
  EXPECT_FALSE(w.allowed("alice@acme.test", "crm:leads:read", {"--record", "lead:43"})) << "another record";
  EXPECT_FALSE(w.allowed("alice@acme.test", "crm:leads:read")) << "without --record, leadership grants nothing";

  auto owner = w.check("carol@acme.test", "crm:leads:delete", {"--record", "lead:42"}, 0);
  EXPECT_EQ(owner["decided_by"], "owner");
  EXPECT_EQ(owner["grant"], "full");

  w.ok({"team", "move", "Middle", "--root"});
  EXPECT_FALSE(w.allowed("alice@acme.test", "crm:leads:read", {"--record", "lead:42"}))
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
  w.ok({"share", "lead:7", "--user", "dave@acme.test", "--level", "read"});
  auto read = w.check("dave@acme.test", "crm:leads:read", {"--record", "lead:7"}, 0);
  EXPECT_EQ(read["decided_by"], "share");
  EXPECT_EQ(read["grant"], "read");
  auto update = w.check("dave@acme.test", "crm:leads:update", {"--record", "lead:7"}, 5);
  EXPECT_NE(update["reason"].get<std::string>().find("read_write"), std::string::npos) << update.dump();

  w.ok({"share", "lead:7", "--team", "Middle", "--level", "full", "--expires", "2099-06-01T00:00:00Z"});
  w.ok({"team", "add", "Middle", "dave@acme.test"});
  auto full = w.check("dave@acme.test", "crm:leads:delete", {"--record", "lead:7"}, 0);
  EXPECT_EQ(full["decided_by"], "share");
  EXPECT_EQ(full["expires_at"], "2099-06-01T00:00:00Z");
  EXPECT_NE(full["reason"].get<std::string>().find("to team Middle"), std::string::npos) << full.dump();
  EXPECT_FALSE(w.allowed("alice@acme.test", "crm:leads:read", {"--record", "lead:7"}))
      << "team shares reach direct members only";

  w.exec("UPDATE record_shares SET expires_at = now() - interval '1 second' WHERE team_id IS NOT NULL");
  EXPECT_FALSE(w.allowed("dave@acme.test", "crm:leads:delete", {"--record", "lead:7"}))
      << "an expired share is ignored";
  EXPECT_TRUE(w.allowed("dave@acme.test", "crm:leads:read", {"--record", "lead:7"}));

  w.ok({"share", "lead:7", "--user", "dave@acme.test", "--level", "read_write"});
  EXPECT_EQ(w.db.count("record_shares"), 2) << "sharing again with the same user changes the share";
  EXPECT_TRUE(w.allowed("dave@acme.test", "crm:leads:update", {"--record", "lead:7"}));
  w.ok({"unshare", "lead:7", "--user", "dave@acme.test"});
  EXPECT_FALSE(w.allowed("dave@acme.test", "crm:leads:read", {"--record", "lead:7"}));
}

TEST(PermRecord, AGrantDecidesBeforeRecordAccessAndBadSharesAreRefused) {
  TeamWorld w;
  auto by_role = w.check("viewer@acme.test", "workspace:leads:read", {"--record", "lead:42"}, 0);
  EXPECT_EQ(by_role["decided_by"], "role") << "a workspace-wide grant needs no record access";
  EXPECT_EQ(w.perm({"share", "lead:1", "--user", "dave@acme.test", "--team", "Top", "--level", "read"}).exit_code, 2);
  EXPECT_EQ(w.perm({"share", "lead:1", "--level", "read"}).exit_code, 2);
  EXPECT_EQ(w.perm({"share", "lead:1", "--user", "dave@acme.test", "--level", "admin"}).exit_code, 2);
  EXPECT_EQ(w.perm({"share", "Lead:1", "--user", "dave@acme.test", "--level", "read"}).exit_code, 6);
  EXPECT_EQ(w.perm({"share", "lead:1", "--user", "outsider@else.test", "--level", "read"}).exit_code, 6);
  EXPECT_EQ(w.perm({"share", "lead:1", "--team", "Nope", "--level", "read"}).exit_code, 3);
  EXPECT_EQ(w.perm({"owner", "show", "lead:999"}).exit_code, 3);
  auto shown = json::parse(w.perm({"owner", "show", "lead:42", "-o", "json"}).out);
  EXPECT_EQ(shown["owner"], "carol@acme.test");
}
