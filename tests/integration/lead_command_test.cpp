// `wfa lead`: the team example of the permission model on leads (leaders see their members' leads, not another
// team's; shares to a user and to a team until they expire), lists per role under --as, the status pipeline, the
// CSV import's all-or-nothing errors, and leads made from calls exactly once.
#include <fstream>
#include <iterator>
#include <set>

#include "tests/integration/perm_fixture.hpp"

using namespace wfa;
using perm_test::json;

namespace {

/// LeadWorld: team Sales (alice leads, bob and carol members) and team Support (erin leads, frank member); bob,
/// carol, frank and dave (no team) each own one lead they created themselves.
struct LeadWorld : perm_test::Fixture {
  LeadWorld() {
    add_teams();
    for (const auto& [who, phone] : owners) {
      auto r = as(who + "@acme.test", {"lead", "create", phone, "--workspace", "acme/main", "--first-name", who});
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
  }

  inline static const std::vector<std::pair<std::string, std::string>> owners = {
      {"bob", "+971501234561"}, {"carol", "+971501234562"}, {"frank", "+971501234563"}, {"dave", "+971501234564"}};

  /// as runs ARGS for the user EMAIL (--as).
  ProcessResult as(const std::string& email, std::vector<std::string> args) {
    args.insert(args.end(), {"--as", email});
    return run(args);
  }

  /// seen is the set of first names of the leads `lead list` shows to EMAIL.
  std::set<std::string> seen(const std::string& email) {
    auto r = as(email, {"lead", "list", "--workspace", "acme/main", "-o", "json"});
    EXPECT_EQ(r.exit_code, 0) << email << ": " << r.err;
    std::set<std::string> names;
    auto doc = json::parse(r.out, nullptr, false);
    if (doc.is_discarded()) return names;
    for (const auto& lead : doc["leads"]) names.insert(lead["first_name"].get<std::string>());
    return names;
  }

  std::string lead_id(const std::string& phone) {
    return value("SELECT id FROM leads WHERE phone_e164 = '" + phone + "'");
  }
};

using Names = std::set<std::string>;

}  // namespace

TEST(Lead, LeadersSeeTheirMembersLeadsNotTheOtherTeamsAndListsShowExactlyThePermittedRows) {
  LeadWorld w;
  EXPECT_EQ(w.value("SELECT count(*) FROM record_owners WHERE record_type = 'lead'"), "4") << "creators own leads";
  EXPECT_EQ(w.seen("alice@acme.test"), (Names{"bob", "carol"})) << "the Sales leader sees her members' leads";
  EXPECT_EQ(w.seen("erin@acme.test"), (Names{"frank"})) << "the Support leader sees only Support's";
  EXPECT_EQ(w.seen("bob@acme.test"), (Names{"bob"})) << "a member sees their own";
  EXPECT_EQ(w.seen("dave@acme.test"), (Names{"dave"}));
  EXPECT_EQ(w.seen("viewer@acme.test"), (Names{})) << "a viewer reaches no lead";
  Names all{"bob", "carol", "frank", "dave"};
  EXPECT_EQ(w.seen("admin@acme.test"), all) << "admins hold crm:leads:*";
  EXPECT_EQ(w.seen("owner@acme.test"), all);
  EXPECT_EQ(w.seen("padmin@acme.test"), all) << "a partner admin holds the partner's workspaces";
  EXPECT_EQ(w.as("outsider@else.test", {"lead", "list", "--workspace", "acme/main"}).exit_code, 5);

  auto carol = w.lead_id("+971501234562");
  EXPECT_TRUE(w.allowed("alice@acme.test", "crm:leads:read", {"--record", "lead:" + carol}));
  EXPECT_FALSE(w.allowed("erin@acme.test", "crm:leads:read", {"--record", "lead:" + carol}));
  EXPECT_EQ(w.as("erin@acme.test", {"lead", "show", "+971501234562", "--workspace", "acme/main"}).exit_code, 5);
  EXPECT_EQ(
      w.as("alice@acme.test", {"lead", "note", "+971501234562", "Call back", "--workspace", "acme/main"}).exit_code, 0)
      << "a leader may write to a member's lead";
  EXPECT_EQ(w.as("alice@acme.test", {"lead", "assign", carol, "--owner", "bob@acme.test", "--workspace", "acme/main"})
                .exit_code,
            5)
      << "assigning needs full access, which leaders lack";
}

TEST(Lead, SharesToAUserAndToATeamShowLeadsUntilTheyExpire) {
  LeadWorld w;
  auto dave = w.lead_id("+971501234564");
  auto frank = w.lead_id("+971501234563");
  w.ok({"share", "lead:" + dave, "--user", "viewer@acme.test", "--level", "read", "--expires", "2099-01-01T00:00:00Z"});
  w.ok({"share", "lead:" + frank, "--team", "Sales", "--level", "read_write"});
  EXPECT_EQ(w.seen("viewer@acme.test"), (Names{"dave"}));
  EXPECT_EQ(w.seen("bob@acme.test"), (Names{"bob", "frank"})) << "a team share reaches the team's members";
  EXPECT_EQ(w.seen("alice@acme.test"), (Names{"bob", "carol", "frank"}));
  EXPECT_EQ(w.seen("erin@acme.test"), (Names{"frank"}));
  EXPECT_EQ(w.as("viewer@acme.test", {"lead", "show", dave, "--workspace", "acme/main"}).exit_code, 0);
  EXPECT_EQ(w.as("viewer@acme.test", {"lead", "update", dave, "--company", "X", "--workspace", "acme/main"}).exit_code,
            5)
      << "a read share does not let the viewer write";

  w.exec("UPDATE record_shares SET expires_at = now() - interval '1 second'");
  EXPECT_EQ(w.seen("viewer@acme.test"), (Names{})) << "expired shares show nothing";
  EXPECT_EQ(w.seen("bob@acme.test"), (Names{"bob"}));
}

TEST(Lead, StatusPipelineRefusesIllegalMovesWithOneLine) {
  LeadWorld w;
  auto update = [&](const std::string& status) {
    return w.run({"lead", "update", "+971501234561", "--status", status, "--workspace", "acme/main"});
  };
  auto skip = update("won");
  EXPECT_EQ(skip.exit_code, 4) << skip.err;
  EXPECT_EQ(test::lines(skip.err), 1u) << skip.err;
  EXPECT_NE(skip.err.find("cannot move from new to won"), std::string::npos) << skip.err;
  for (const char* next : {"contacted", "qualified", "won"}) EXPECT_EQ(update(next).exit_code, 0) << next;
  EXPECT_EQ(update("lost").exit_code, 4) << "won is final";
  EXPECT_EQ(update("bogus").exit_code, 2);
  EXPECT_EQ(w.value("SELECT status FROM leads WHERE phone_e164 = '+971501234561'"), "won");
  EXPECT_EQ(w.value("SELECT count(*) FROM audit_log WHERE action = 'lead.status'"), "3");

  EXPECT_EQ(w.run({"lead", "update", "+971501234562", "--status", "lost", "--workspace", "acme/main"}).exit_code, 0);
  EXPECT_EQ(w.run({"lead", "update", "+971501234562", "--status", "contacted", "--workspace", "acme/main"}).exit_code,
            0)
      << "a lost lead may be reopened";
  auto dup = w.run({"lead", "create", "0501234561", "--default-country", "AE", "--workspace", "acme/main"});
  EXPECT_EQ(dup.exit_code, 4) << "one lead per phone: " << dup.err;
  EXPECT_EQ(w.run({"lead", "show", "+971509999999", "--workspace", "acme/main"}).exit_code, 3);
  EXPECT_EQ(w.run({"lead", "show", "not-a-lead", "--workspace", "acme/main"}).exit_code, 6);
}

TEST(Lead, ImportIsAllOrNothingAndUpsertsByPhone) {
  LeadWorld w;
  auto bad = w.file("bad.csv", "Phone,First Name,Company\n+971501234571,Ann,Acme\nnot a number,Bo,Beta\n");
  auto r = w.as("bob@acme.test", {"lead", "import", bad, "--workspace", "acme/main"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find(bad + ":3:"), std::string::npos) << r.err;
  EXPECT_EQ(test::lines(r.err), 1u) << r.err;
  EXPECT_EQ(w.count("leads"), 4) << "nothing imported";

  auto good = w.file("good.csv", "Phone,First Name,Company,Budget\n0501234571,Ann,Acme,5000\n+971501234561,,Bobco,\n");
  auto doc = w.run_json(
      {"lead", "import", good, "--workspace", "acme/main", "--default-country", "AE", "--owner", "carol@acme.test"});
  EXPECT_EQ(doc["created"], 1);
  EXPECT_EQ(doc["updated"], 1);
  EXPECT_EQ(w.value("SELECT first_name || '/' || company || '/' || source || '/' || (attributes->>'budget') FROM leads"
                    " WHERE phone_e164 = '+971501234571'"),
            "Ann/Acme/import/5000");
  EXPECT_EQ(w.value("SELECT first_name || '/' || company FROM leads WHERE phone_e164 = '+971501234561'"), "bob/Bobco")
      << "an existing lead keeps the fields the row leaves empty";
  EXPECT_EQ(w.seen("carol@acme.test"), (Names{"carol", "Ann"})) << "the new lead is owned by --owner";
}

TEST(Lead, CallsThatCarryLeadDataMakeOneLeadPerPhoneOnceAcrossReingests) {
  LeadWorld w;
  w.exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" +
         w.workspace_id("acme/main") + "', 'Vera', 'vapi', '{}', 'asst-vera')");
  auto call = [](const std::string& id, const std::string& number, const std::string& analysis) {
    return R"({"id": ")" + id + R"(", "assistantId": "asst-vera", "type": "inboundPhoneCall", "status": "ended",)" +
           R"( "startedAt": "2026-11-03T10:00:00Z", "endedAt": "2026-11-03T10:01:00Z", "cost": 0.1,)" +
           R"( "customer": {"number": ")" + number + R"("}, "analysis": )" + analysis + "}\n";
  };
  auto lead_data = R"({"summary": "wants a quote", "structuredData": {"first_name": "Sara", "company": "Gulf"}})";
  auto calls =
      w.file("calls.ndjson", call("c-1", "+971501234581", lead_data) + call("c-2", "+971501234581", lead_data) +
                                 call("c-3", "+971501234582", R"({"summary": "wrong number"})") +
                                 call("c-4", "+971501234561", lead_data));
  for (int round = 0; round < 2; ++round) {
    auto r = w.run({"calls", "ingest", "--provider", "vapi", "--file", calls});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(w.value("SELECT count(*) FROM leads WHERE source = 'call'"), "1") << "round " << round;
    EXPECT_EQ(w.value("SELECT count(*) FROM lead_calls"), "3") << "round " << round;
    EXPECT_EQ(w.value("SELECT count(*) FROM audit_log WHERE action = 'lead.create' AND actor = 'calls'"), "1");
  }
  EXPECT_EQ(w.value("SELECT first_name || '/' || company FROM leads WHERE phone_e164 = '+971501234581'"), "Sara/Gulf");
  EXPECT_EQ(w.value("SELECT count(*) FROM leads WHERE phone_e164 = '+971501234582'"), "0")
      << "a call without lead data and no follow-up makes no lead";
  EXPECT_EQ(w.value("SELECT count(*) FROM lead_calls c JOIN leads l ON l.id = c.lead_id WHERE l.source = 'manual'"),
            "1")
      << "a call of a number that has a lead joins it";
  EXPECT_EQ(w.count("leads"), 5);
}

TEST(Lead, ExportWritesTheLeadsTheActorMaySee) {
  LeadWorld w;
  auto out = (w.dir.path() / "leads.csv").string();
  auto r = w.as("alice@acme.test", {"lead", "export", "--workspace", "acme/main", "--out", out});
  EXPECT_EQ(r.exit_code, 5) << "exporting needs crm:leads:export: " << r.err;
  w.ok({"profile", "create", "Exporters"});
  w.ok({"profile", "grant", "Exporters", "crm:leads:export"});
  w.ok({"profile", "assign", "Exporters", "alice@acme.test"});
  r = w.as("alice@acme.test", {"lead", "export", "--workspace", "acme/main", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(test::lines(text), 3u) << "a header and the two leads of her team: " << text;
  EXPECT_NE(text.find("+971501234562"), std::string::npos) << text;
  EXPECT_EQ(text.find("+971501234563"), std::string::npos) << "not Support's lead: " << text;
}
