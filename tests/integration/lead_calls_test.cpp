// Calls and leads: the ingest's follow-up rule (provider verdicts, structured follow-up keys, unreached outbound calls)
// and a closed follow-up that a re-ingest leaves closed; call-made leads owned by their agent's owner and given a valid
// e-mail; and `wfa export leads` writing the leads the actor may see.
#include <set>

#include "core/process.hpp"
#include "tests/integration/perm_fixture.hpp"

using namespace wfa;
using perm_test::json;

namespace {

/// CallWorld: team Sales (alice leads, carol a member); VAPI agent Vera owned by carol, Retell agent Rita owned by
/// dave, who has since left the workspace.
struct CallWorld : perm_test::Fixture {
  CallWorld() {
    ok({"team", "create", "Sales"});
    ok({"team", "add", "Sales", "alice@acme.test", "--leader"});
    ok({"team", "add", "Sales", "carol@acme.test"});
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" +
         workspace_id("acme/main") + "', 'Vera', 'vapi', '{}', 'asst-vera'), ('" + workspace_id("acme/main") +
         "', 'Rita', 'retell', '{}', 'agent-rita')");
    ok({"owner", "set", "ai_agent:" + value("SELECT id FROM ai_agents WHERE name = 'Vera'"), "--user",
        "carol@acme.test"});
    ok({"owner", "set", "ai_agent:" + value("SELECT id FROM ai_agents WHERE name = 'Rita'"), "--user",
        "dave@acme.test"});
    exec("UPDATE workspace_members SET removed_at = now() WHERE user_id = '" + user_id("dave@acme.test") + "'");
  }

  /// vapi is a VAPI call object.
  static std::string vapi(const std::string& id, const std::string& type, const std::string& number,
                          const std::string& reason, const std::string& analysis) {
    return R"({"id": ")" + id + R"(", "assistantId": "asst-vera", "type": ")" + type +
           R"(", "status": "ended", "endedReason": ")" + reason +
           R"(", "startedAt": "2026-11-03T10:00:00Z", "endedAt": "2026-11-03T10:01:00Z", "cost": 0.1,)" +
           R"( "customer": {"number": ")" + number + R"("}, "analysis": )" + analysis + "}";
  }

  /// follow_up is "true"/"false" (requires_follow_up) and whether it is closed, of the call EXTERNAL_ID.
  std::string follow_up(const std::string& external_id) {
    return value(
        "SELECT requires_follow_up || '/' || (follow_up_closed_at IS NOT NULL) FROM conversations WHERE"
        " external_call_id = '" +
        external_id + "'");
  }

  ProcessResult ingest(const std::string& provider, const std::string& file) {
    return run({"calls", "ingest", "--provider", provider, "--file", file});
  }
};

}  // namespace

TEST(LeadCalls, IngestSetsFollowUpsByTheDocumentedRuleAndAReingestNeverReopensAClosedOne) {
  CallWorld w;
  auto calls = [&](const std::string& summary) {
    return w.file(
        "vapi.ndjson",
        CallWorld::vapi("v-noanswer", "outboundPhoneCall", "+971501230001", "customer-did-not-answer", "{}") + "\n" +
            CallWorld::vapi("v-failed", "inboundPhoneCall", "+971501230002", "customer-ended-call",
                            R"({"summary": ")" + summary + R"(", "successEvaluation": "false"})") +
            "\n" +
            CallWorld::vapi("v-asked", "inboundPhoneCall", "+971501230003", "customer-ended-call",
                            R"({"structuredData": {"followUp": "yes"}})") +
            "\n" +
            CallWorld::vapi("v-fine", "inboundPhoneCall", "+971501230004", "customer-ended-call",
                            R"({"successEvaluation": "true", "structuredData": {"follow_up": false}})") +
            "\n" + CallWorld::vapi("v-inbound-voicemail", "inboundPhoneCall", "+971501230005", "voicemail", "{}") +
            "\n");
  };
  ASSERT_EQ(w.ingest("vapi", calls("first")).exit_code, 0);
  auto retell = w.file("retell.ndjson",
                       R"({"call_id": "r-voicemail", "agent_id": "agent-rita", "call_status": "ended",)"
                       R"( "direction": "outbound", "to_number": "+971501230006", "disconnection_reason":)"
                       R"( "voicemail_reached", "start_timestamp": 1762164000000, "end_timestamp": 1762164030000})"
                       "\n"
                       R"({"call_id": "r-unsuccessful", "agent_id": "agent-rita", "call_status": "ended",)"
                       R"( "direction": "inbound", "from_number": "+971501230007", "disconnection_reason":)"
                       R"( "user_hangup", "call_analysis": {"call_successful": false}})"
                       "\n"
                       R"({"call_id": "r-ok", "agent_id": "agent-rita", "call_status": "ended",)"
                       R"( "direction": "inbound", "from_number": "+971501230008", "disconnection_reason":)"
                       R"( "user_hangup", "call_analysis": {"call_successful": true}})"
                       "\n");
  ASSERT_EQ(w.ingest("retell", retell).exit_code, 0);
  EXPECT_EQ(w.follow_up("v-noanswer"), "true/false") << "an outbound call no one answered";
  EXPECT_EQ(w.follow_up("v-failed"), "true/false") << "VAPI judged it unsuccessful";
  EXPECT_EQ(w.follow_up("v-asked"), "true/false") << "its structured data asks for one";
  EXPECT_EQ(w.follow_up("v-fine"), "false/false");
  EXPECT_EQ(w.follow_up("v-inbound-voicemail"), "false/false") << "only outbound calls are called back";
  EXPECT_EQ(w.follow_up("r-voicemail"), "true/false") << "an outbound call that reached a voicemail";
  EXPECT_EQ(w.follow_up("r-unsuccessful"), "true/false") << "Retell judged it unsuccessful";
  EXPECT_EQ(w.follow_up("r-ok"), "false/false");

  ASSERT_EQ(w.run({"app-agent", "enable", "customer_service", "--workspace", "acme/main"}).exit_code, 0);
  auto closed = w.run({"app-agent", "act", "customer_service", "close_follow_up", "--workspace", "acme/main", "--param",
                       "call=v-failed", "--param", "note=Called back"});
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  auto leads = w.count("leads");
  for (const char* summary : {"first", "changed since"}) {
    auto again = w.ingest("vapi", calls(summary));
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(w.follow_up("v-failed"), "true/true") << "a re-ingest keeps it closed (" << summary << ")";
  }
  EXPECT_EQ(w.value("SELECT summary FROM conversations WHERE external_call_id = 'v-failed'"), "changed since");
  auto open = w.run_json({"calls", "list", "--workspace", "acme/main", "--follow-up"})["calls"];
  EXPECT_EQ(open.size(), 4u) << open.dump();
  EXPECT_EQ(w.count("leads"), leads) << "re-ingests make no lead";
  EXPECT_EQ(w.value("SELECT count(*) FROM leads WHERE source = 'call'"), "6")
      << "one per call that needs a follow-up or carries structured data (v-fine)";
}

TEST(LeadCalls, ACallMadeLeadIsOwnedByItsAgentsOwnerAndGetsAValidEmail) {
  CallWorld w;
  auto vapi_file =
      w.file("v.ndjson",
             CallWorld::vapi("v-1", "inboundPhoneCall", "+971501230011", "customer-ended-call",
                             R"({"structuredData": {"firstName": "Sara", "email": "Sara.Ali@Gulf-Motors.example"}})") +
                 "\n" +
                 CallWorld::vapi("v-2", "inboundPhoneCall", "+971501230012", "customer-ended-call",
                                 R"({"structuredData": {"first_name": "Omar", "emailAddress": "omar at gulf"}})") +
                 "\n" +
                 CallWorld::vapi("v-3", "inboundPhoneCall", "+971501230013", "customer-ended-call",
                                 R"({"structuredData": {"first_name": "Lina", "email": "lina@x", "emailAddress":)"
                                 R"( "lina@example.ae"}})") +
                 "\n" +
                 CallWorld::vapi("v-4", "inboundPhoneCall", "+971501230015", "customer-ended-call",
                                 R"({"structuredData": {"first_name": "Ana", "email": "ana@examplecom"}})") +
                 "\n");
  auto retell_file = w.file(
      "r.ndjson", R"({"call_id": "r-1", "agent_id": "agent-rita", "call_status": "ended", "direction": "inbound",)"
                  R"( "from_number": "+971501230014", "call_analysis": {"custom_analysis_data": {"first_name": "Rami",)"
                  R"( "email": "rami@example.com"}}})"
                  "\n");
  ASSERT_EQ(w.ingest("vapi", vapi_file).exit_code, 0);
  ASSERT_EQ(w.ingest("retell", retell_file).exit_code, 0);

  auto lead = [&](const std::string& phone) {
    return w.value(
        "SELECT l.first_name || '/' || coalesce(l.email, '-') || '/' || coalesce(u.email, '-') FROM leads l"
        " LEFT JOIN users u ON u.id = l.owner_user_id WHERE l.phone_e164 = '" +
        phone + "'");
  };
  EXPECT_EQ(lead("+971501230011"), "Sara/sara.ali@gulf-motors.example/carol@acme.test")
      << "owned by the owner of the VAPI agent, the e-mail kept in lower case";
  EXPECT_EQ(lead("+971501230012"), "Omar/-/carol@acme.test") << "an e-mail that is none is left out";
  EXPECT_EQ(lead("+971501230013"), "Lina/lina@example.ae/carol@acme.test") << "the first valid of email, emailAddress";
  EXPECT_EQ(lead("+971501230015"), "Ana/-/carol@acme.test") << "a domain without a dot is no e-mail domain";
  EXPECT_EQ(lead("+971501230014"), "Rami/rami@example.com/-") << "the Retell agent's owner has left: no owner";
  EXPECT_EQ(w.value("SELECT count(*) FROM record_owners o JOIN leads l ON o.record_type = 'lead' AND o.record_id ="
                    " l.id::text AND o.owner_user_id = l.owner_user_id WHERE l.source = 'call'"),
            "4")
      << "each owner is registered as the lead's record owner";
  EXPECT_EQ(w.value("SELECT count(*) FROM audit_log WHERE action = 'lead.create' AND new_values->>'owner_user_id' = '" +
                    w.user_id("carol@acme.test") + "'"),
            "4");

  auto seen = [&](const std::string& email) {
    std::set<std::string> names;
    auto doc = w.run_json({"lead", "list", "--workspace", "acme/main", "--as", email});
    for (const auto& l : doc["leads"]) names.insert(l["first_name"].get<std::string>());
    return names;
  };
  EXPECT_EQ(seen("carol@acme.test"), (std::set<std::string>{"Sara", "Omar", "Lina", "Ana"}));
  EXPECT_EQ(seen("alice@acme.test"), (std::set<std::string>{"Sara", "Omar", "Lina", "Ana"})) << "carol's team leader";
  EXPECT_EQ(seen("bob@acme.test"), (std::set<std::string>{}));
  EXPECT_EQ(seen("admin@acme.test"), (std::set<std::string>{"Sara", "Omar", "Lina", "Ana", "Rami"}));
}

TEST(LeadExport, ExportLeadsWritesTheLeadsTheActorMaySeeAndNeedsAWorkspace) {
  CallWorld w;
  for (const auto& [who, phone] : std::vector<std::pair<std::string, std::string>>{
           {"alice", "+971501230021"}, {"carol", "+971501230022"}, {"erin", "+971501230023"}}) {
    auto r = w.run({"lead", "create", phone, "--workspace", "acme/main", "--first-name", who, "--email",
                    who + "@client.example", "--as", who + "@acme.test"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  w.ok({"profile", "create", "Exporters"});
  w.ok({"profile", "grant", "Exporters", "crm:leads:export"});
  w.ok({"profile", "assign", "Exporters", "alice@acme.test"});
  auto out = (w.dir.path() / "leads.xlsx").string();
  auto r = w.run({"export", "leads", "--workspace", "acme/main", "--out", out, "--as", "alice@acme.test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto read =
      run_process({"/usr/bin/python3", (test::source_dir() / "tests" / "support" / "export_reader.py").string(), out});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  auto rows = json::parse(read.out)["sheets"][0]["rows"];
  ASSERT_EQ(rows.size(), 3u) << "a header and alice's and carol's leads: " << rows.dump();
  EXPECT_EQ(rows[0][0]["value"], "lead_id");
  EXPECT_EQ(rows[0][4]["value"], "email");
  std::set<std::string> names;
  for (std::size_t i = 1; i < rows.size(); ++i) names.insert(rows[i][2]["value"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{"alice", "carol"})) << "not erin's: another team";
  EXPECT_EQ(rows[1][8]["value"], "alice@acme.test") << "the owner column";

  auto csv = (w.dir.path() / "all.csv").string();
  ASSERT_EQ(w.run({"export", "leads", "--workspace", "acme/main", "--out", csv}).exit_code, 0);
  read =
      run_process({"/usr/bin/python3", (test::source_dir() / "tests" / "support" / "export_reader.py").string(), csv});
  EXPECT_EQ(json::parse(read.out)["rows"].size(), 4u) << "the operator exports every lead";

  auto bob = w.run({"export", "leads", "--workspace", "acme/main", "--out", csv, "--as", "bob@acme.test"});
  EXPECT_EQ(bob.exit_code, 5) << "exporting needs crm:leads:export: " << bob.err;
  auto none = w.run({"export", "leads", "--out", csv});
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_EQ(test::lines(none.err), 1u) << none.err;
  EXPECT_NE(none.err.find("--workspace is required"), std::string::npos) << none.err;

  auto enqueued = w.run_json({"export", "leads", "--workspace", "acme/main", "--format", "csv", "--enqueue"});
  EXPECT_EQ(enqueued["kind"], "export");
  EXPECT_EQ(w.value("SELECT payload->>'export' FROM jobs"), "leads");
}
