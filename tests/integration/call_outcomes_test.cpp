// Outcomes: ended calls of every provider, through the real ingest and webhook paths, end their dial once, move the
// recipient by the retry policy, put refusals and opt-outs on the do-not-call list, complete the campaign, settle
// credit exactly once and wake the dispatcher; the recipients' export carries the results.
#include <gtest/gtest.h>

#include <chrono>
#include <utility>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "commands/calls/calls_merge.hpp"
#include "pipelines/calls/call_row.hpp"
#include "pipelines/calls/json_records.hpp"
#include "tests/integration/campaign_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

/// OutcomeWorld: campaign acme/main/spring, running with a VAPI agent, over the recipients PHONES; agents of Retell
/// and Synthflow in the same workspace; 10 cents a minute and 100.00 of credit.
struct OutcomeWorld : test::CampaignFixture {
  std::string ws;

  explicit OutcomeWorld(const std::vector<std::string>& phones) {
    ws = workspace_id("acme/main");
    for (const auto& [provider, external] : {std::pair<const char*, const char*>{"vapi", "asst-vera"},
                                             {"retell", "agent-rhea"},
                                             {"synthflow", "model-sol"}})
      exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" + ws + "', '" +
           external + "', '" + provider + "', '{}', '" + external + "')");
    std::string csv = "phone\n";
    for (const auto& p : phones) csv += p + "\n";
    auto r = run({"campaign", "import", "acme/main/spring", file("r.csv", csv)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    exec("UPDATE campaigns SET status = 'running', agent_id = (SELECT id FROM ai_agents WHERE provider = 'vapi')");
    exec("UPDATE workspaces SET per_minute_rate_cents = 10");
    exec("INSERT INTO workspace_credits (workspace_id, amount_cents, reason, actor) VALUES ('" + ws +
         "', 10000, 'topup', 't')");
  }

  /// dial does what the dispatcher does before it asks PROVIDER: the recipient is `calling` with one more attempt,
  /// and an attempt row is committed; returns the attempt id.
  std::string dial(const std::string& phone, const std::string& provider) {
    exec("UPDATE campaign_recipients SET status = 'calling', attempts = attempts + 1 WHERE phone = '" + phone + "'");
    return value(
        "INSERT INTO call_attempts (workspace_id, campaign_id, recipient_id, phone_e164, attempt_no, provider,"
        " requested_at) SELECT workspace_id, campaign_id, id, phone, attempts, '" +
        provider + "', '2027-01-12T06:00:00Z' FROM campaign_recipients WHERE phone = '" + phone + "' RETURNING id");
  }

  /// ingest runs `wfa calls ingest` over CALLS of PROVIDER as one NDJSON file.
  json ingest(const std::string& provider, const std::vector<json>& calls) {
    std::string text;
    for (const auto& c : calls) text += c.dump() + "\n";
    static int n = 0;
    return run_json(
        {"calls", "ingest", "--provider", provider, "--file", file(provider + std::to_string(++n) + ".ndjson", text)});
  }

  /// recipient is "STATUS OUTCOME ATTEMPTS NEXT_AT" of PHONE's recipient (NEXT_AT UTC, or -).
  std::string recipient(const std::string& phone) {
    return value(
        "SELECT status || ' ' || coalesce(outcome, '-') || ' ' || attempts || ' ' || coalesce(to_char(next_attempt_at"
        " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI'), '-') FROM campaign_recipients WHERE phone = '" +
        phone + "'");
  }

  /// attempt is "OUTCOME ENDED_AT PROVIDER_CALL_ID LINKED" of attempt ID (LINKED: its conversation is the call's).
  std::string attempt(const std::string& id) {
    return value(
        "SELECT coalesce(a.outcome, '-') || ' ' || coalesce(to_char(a.ended_at AT TIME ZONE 'UTC',"
        " 'YYYY-MM-DD\"T\"HH24:MI:SS'), 'live') || ' ' || coalesce(a.provider_call_id, '-') || ' ' || "
        "(a.conversation_id"
        " IS NOT DISTINCT FROM (SELECT id FROM conversations c WHERE c.external_call_id = a.provider_call_id))"
        " FROM call_attempts a WHERE a.id = '" +
        id + "'");
  }

  std::string campaign_status() { return value("SELECT status FROM campaigns"); }
};

/// vapi_call is a VAPI call object that ended at 06:02 after two minutes with REASON, carrying ATTEMPT.
json vapi_call(const std::string& id, const std::string& attempt, const std::string& reason,
               const json& structured = json::object()) {
  return {{"id", id},
          {"orgId", "org-1"},
          {"assistantId", "asst-vera"},
          {"type", "outboundPhoneCall"},
          {"status", "ended"},
          {"endedReason", reason},
          {"startedAt", "2027-01-12T06:00:30.000Z"},
          {"endedAt", "2027-01-12T06:02:00.000Z"},
          {"cost", 0.2},
          {"metadata", {{"wfa_attempt_id", attempt}}},
          {"analysis", {{"summary", "s"}, {"structuredData", structured}}}};
}

/// retell_call is a Retell call that ended at 06:01 with REASON, carrying ATTEMPT in its metadata.
json retell_call(const std::string& id, const std::string& attempt, const std::string& reason,
                 const json& custom = json::object()) {
  return {{"call_id", id},
          {"agent_id", "agent-rhea"},
          {"call_status", "ended"},
          {"call_type", "phone_call"},
          {"direction", "outbound"},
          {"to_number", "+971501234562"},
          {"start_timestamp", 1799733630000},
          {"end_timestamp", 1799733660000},
          {"disconnection_reason", reason},
          {"metadata", {{"wfa_attempt_id", attempt}}},
          {"call_analysis", {{"custom_analysis_data", custom}}}};
}

/// synthflow_call is a Synthflow call of STATUS that started at 06:00:30 and lasted 30 s, with ATTEMPT among its
/// custom variables.
json synthflow_call(const std::string& id, const std::string& attempt, const std::string& status) {
  return {{"call_id", id},
          {"model_id", "model-sol"},
          {"call_status", status},
          {"type_of_call", "outbound"},
          {"lead_phone_number", "+971501234563"},
          {"start_time", "1799733630000"},
          {"duration", 30},
          {"custom_variables", json::array({{{"key", "wfa_attempt_id"}, {"value", attempt}}})}};
}

const std::vector<std::string> five = {"+971501234561", "+971501234562", "+971501234563", "+971501234564",
                                       "+971501234565"};

}  // namespace

TEST(CallOutcomes, EachProvidersEndedCallMovesItsRecipientByTheRetryPolicy) {
  OutcomeWorld w(five);
  auto a1 = w.dial("+971501234561", "vapi");
  auto a2 = w.dial("+971501234562", "retell");
  auto a3 = w.dial("+971501234563", "synthflow");
  auto a4 = w.dial("+971501234564", "vapi");
  auto a5 = w.dial("+971501234565", "vapi");
  auto v = w.ingest("vapi", {vapi_call("v-1", a1, "customer-ended-call"), vapi_call("v-4", a4, "customer-busy"),
                             vapi_call("v-5", a5, "call.start.error-subscription-concurrency-limit-reached")});
  EXPECT_EQ(v["inserted"], 3) << v.dump();
  EXPECT_EQ(w.recipient("+971501234561"), "completed completed 1 -");
  EXPECT_EQ(w.attempt(a1), "completed 2027-01-12T06:02:00 v-1 true");
  EXPECT_EQ(w.recipient("+971501234564"), "queued busy 1 2027-01-12T06:32") << "busy: 3 attempts, 30 minutes apart";
  EXPECT_EQ(w.recipient("+971501234565"), "queued - 0 2027-01-12T06:03")
      << "a concurrency refusal is no attempt: given back, queued a minute on";
  EXPECT_EQ(w.attempt(a5), "- 2027-01-12T06:02:00 v-5 true");

  w.ingest("retell", {retell_call("r-2", a2, "voicemail_reached")});
  EXPECT_EQ(w.recipient("+971501234562"), "queued voicemail 1 2027-01-13T06:01") << "voicemail: a day apart";
  EXPECT_EQ(w.attempt(a2), "voicemail 2027-01-12T06:01:00 r-2 true");

  w.ingest("synthflow", {synthflow_call("s-3", a3, "no-answer")});
  EXPECT_EQ(w.recipient("+971501234563"), "queued no_answer 1 2027-01-12T10:01") << "no answer: 4 hours apart";
  EXPECT_EQ(w.attempt(a3), "no_answer 2027-01-12T06:01:00 s-3 true");
  EXPECT_EQ(w.campaign_status(), "running") << "four recipients wait for a retry";

  // A running call links its attempt but ends nothing.
  auto again = w.dial("+971501234561", "vapi");
  auto live = vapi_call("v-6", again, "");
  live["status"] = "in-progress";
  live.erase("endedAt");
  live.erase("endedReason");
  w.ingest("vapi", {live});
  EXPECT_EQ(w.attempt(again), "- live v-6 true");
  EXPECT_EQ(w.recipient("+971501234561"), "calling completed 2 -");
}

TEST(CallOutcomes, TheLastAttemptThePolicyAllowsFailsTheRecipient) {
  OutcomeWorld w(five);
  w.exec("UPDATE campaign_recipients SET attempts = 2");
  auto a1 = w.dial("+971501234561", "vapi");  // the third of no_answer's 3
  auto a2 = w.dial("+971501234562", "retell");
  auto a3 = w.dial("+971501234563", "synthflow");
  w.ingest("vapi", {vapi_call("v-1", a1, "customer-did-not-answer")});
  w.ingest("retell", {retell_call("r-2", a2, "voicemail_reached")});
  w.ingest("synthflow", {synthflow_call("s-3", a3, "failed")});
  EXPECT_EQ(w.recipient("+971501234561"), "failed no_answer 3 -");
  EXPECT_EQ(w.recipient("+971501234562"), "failed voicemail 3 -") << "voicemail allows 2";
  EXPECT_EQ(w.recipient("+971501234563"), "failed failed 3 -");
  w.exec(
      "UPDATE campaigns SET retry_policy = retry_policy || '{\"busy\": {\"max_attempts\": 5, \"min_gap_minutes\": "
      "10}}'");
  auto a4 = w.dial("+971501234564", "vapi");
  w.ingest("vapi", {vapi_call("v-4", a4, "customer-busy")});
  EXPECT_EQ(w.recipient("+971501234564"), "queued busy 3 2027-01-12T06:12") << "the campaign's own policy";
}

TEST(CallOutcomes, RefusalsAndOptOutsEndContactAndGoOnTheWorkspacesDoNotCallList) {
  OutcomeWorld w(five);
  auto a1 = w.dial("+971501234561", "vapi");
  auto a2 = w.dial("+971501234562", "retell");
  auto a3 = w.dial("+971501234563", "synthflow");
  w.ingest("vapi", {vapi_call("v-1", a1, "customer-ended-call", {{"opted_out", true}})});
  w.ingest("retell", {retell_call("r-2", a2, "user_hangup", {{"not_interested", "yes"}})});
  auto s = synthflow_call("s-3", a3, "completed");
  s["collected_variables"] = {{"refused", true}};
  w.ingest("synthflow", {s});
  EXPECT_EQ(w.recipient("+971501234561"), "completed opted_out 1 -");
  EXPECT_EQ(w.recipient("+971501234562"), "completed refused 1 -");
  EXPECT_EQ(w.recipient("+971501234563"), "completed refused 1 -");
  EXPECT_EQ(w.value("SELECT string_agg(phone_e164 || ' ' || reason || ' ' || added_by || ' ' || note, '; ' ORDER BY"
                    " phone_e164) FROM do_not_call"),
            "+971501234561 opt_out calls from vapi call v-1; +971501234562 refusal calls from retell call r-2; "
            "+971501234563 refusal calls from synthflow call s-3");
  EXPECT_EQ(w.value("SELECT count(*) FROM audit_log WHERE action = 'dnc.add' AND actor = 'calls'"), "3");
  auto check = w.run_json({"dnc", "check", "+971501234561", "--workspace", "acme/main"});
  EXPECT_NE(check.dump().find("opt_out"), std::string::npos) << check.dump();

  // The end first, its analysis later (VAPI's status-update, then the report): the outcome is refined, the end kept.
  auto a4 = w.dial("+971501234564", "vapi");
  auto ended = vapi_call("v-4", a4, "customer-ended-call");
  w.ingest("vapi", {ended});
  EXPECT_EQ(w.recipient("+971501234564"), "completed completed 1 -");
  auto analysed = vapi_call("v-4", a4, "customer-ended-call", {{"do_not_call", true}});
  analysed["endedAt"] = "2027-01-12T06:02:05.000Z";
  w.ingest("vapi", {analysed});
  EXPECT_EQ(w.recipient("+971501234564"), "completed opted_out 1 -");
  EXPECT_EQ(w.attempt(a4), "opted_out 2027-01-12T06:02:00 v-4 true") << "the first end stays";
  EXPECT_EQ(w.value("SELECT reason FROM do_not_call WHERE phone_e164 = '+971501234564'"), "opt_out");
  w.ingest("vapi", {ended});
  EXPECT_EQ(w.attempt(a4), "opted_out 2027-01-12T06:02:00 v-4 true") << "never back";
}

TEST(CallOutcomes, AReplayedWebhookAndAReingestEndTheAttemptOnceChargeOnceAndListOnce) {
  OutcomeWorld w({"+971501234561", "+971501234562"});
  w.exec("UPDATE partners SET credit_at_zero = 'suspend_agents'");
  ASSERT_EQ(w.run({"credits", "adjust", "acme/main", "-99.50", "--note", "test"}).exit_code, 0);
  ASSERT_EQ(w.value("SELECT credit_balance_cents FROM workspaces"), "50");
  auto gate = [&] {
    auto doc = w.run_json({"campaign", "due", "acme/main/spring", "--at", "2027-01-12T06:00:00Z"});
    return doc["may_dial"].get<bool>() ? std::string("may dial") : doc["reason"].get<std::string>();
  };
  auto id = w.dial("+971501234561", "vapi");
  EXPECT_EQ(gate(), "insufficient_credit") << "the live call reserves 30 cents of the 50";

  auto call = vapi_call("v-1", id, "customer-ended-call", {{"opted_out", true}});
  call["endedAt"] = "2027-01-12T06:01:00.000Z";  // 30 s: one minute, 10 cents
  json message = {{"type", "end-of-call-report"}, {"endedReason", "customer-ended-call"}, {"call", call}};
  auto event =
      w.value("INSERT INTO webhook_events (workspace_id, provider, endpoint, event_id, event_type, body) VALUES ('" +
              w.ws + "', 'vapi', 'e', 'v-1:end-of-call-report', 'end-of-call-report', convert_to('" +
              json{{"message", message}}.dump() + "', 'UTF8')) RETURNING id");
  auto first = w.run_json({"webhooks", "replay", event});
  EXPECT_EQ(first["events"][0]["outcome"], "processed") << first.dump();
  auto ended = w.attempt(id);
  EXPECT_EQ(ended, "opted_out 2027-01-12T06:01:00 v-1 true");
  EXPECT_EQ(w.value("SELECT credit_balance_cents FROM workspaces"), "40");
  EXPECT_EQ(gate(), "may dial") << "the end freed the reservation; 40 covers the next call";

  EXPECT_EQ(w.run_json({"webhooks", "replay", event})["events"][0]["outcome"], "processed");
  call["status"] = "ended";
  w.ingest("vapi", {call});
  w.ingest("vapi", {call});
  EXPECT_EQ(w.attempt(id), ended) << "the first end wins";
  EXPECT_EQ(w.value("SELECT count(*) FROM workspace_credits WHERE reason = 'usage'"), "1") << "charged once";
  EXPECT_EQ(w.value("SELECT credit_balance_cents FROM workspaces"), "40");
  EXPECT_EQ(w.value("SELECT count(*) FROM do_not_call"), "1");
  EXPECT_EQ(w.value("SELECT count(*) FROM audit_log WHERE action = 'dnc.add'"), "1");
  EXPECT_EQ(w.recipient("+971501234561"), "completed opted_out 1 -");
}

TEST(CallOutcomes, TheCampaignCompletesWhenItsLastRecipientIsDoneAndNotBefore) {
  OutcomeWorld w({"+971501234561", "+971501234562", "+971501234563"});
  w.exec(
      "UPDATE campaign_recipients SET status = 'skipped', skip_reason = 'do_not_call' WHERE phone = '+971501234563'");
  w.exec("UPDATE campaigns SET status_changed_at = '2020-01-01T00:00:00Z'");
  auto a1 = w.dial("+971501234561", "vapi");
  auto a2 = w.dial("+971501234562", "vapi");
  w.ingest("vapi", {vapi_call("v-1", a1, "customer-ended-call")});
  EXPECT_EQ(w.campaign_status(), "running") << "one recipient is still calling";
  w.ingest("vapi", {vapi_call("v-2", a2, "customer-did-not-answer")});
  EXPECT_EQ(w.campaign_status(), "running") << "a retry is due later";
  w.exec("UPDATE campaign_recipients SET attempts = 2 WHERE phone = '+971501234562'");
  auto a3 = w.dial("+971501234562", "vapi");
  w.ingest("vapi", {vapi_call("v-3", a3, "customer-did-not-answer")});
  EXPECT_EQ(w.recipient("+971501234562"), "failed no_answer 3 -");
  EXPECT_EQ(w.campaign_status(), "completed");
  EXPECT_EQ(w.value("SELECT status_changed_at > '2020-01-01T00:00:00Z' FROM campaigns"), "t");
  EXPECT_EQ(w.value("SELECT actor || ' ' || (new_values->>'status') FROM audit_log WHERE action ="
                    " 'campaign.complete'"),
            "calls completed");
}

namespace {

/// DialListener LISTENs on wfa_dial as the dispatcher does and collects the payloads.
struct DialListener : pqxx::notification_receiver {
  std::vector<std::string> payloads;
  DialListener(pqxx::connection_base& c) : pqxx::notification_receiver(c, "wfa_dial") {}
  void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
  /// heard waits up to a second for notifications and returns those that came.
  std::vector<std::string> heard(pqxx::connection& c) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (std::chrono::steady_clock::now() < deadline) c.await_notification(0, 100000);
    return std::exchange(payloads, {});
  }
};

}  // namespace

TEST(CallOutcomes, AMergeThatEndsAnAttemptNotifiesTheDispatcherOnce) {
  OutcomeWorld w(five);
  pqxx::connection conn(w.db.url());
  DialListener listener(conn);
  conn.get_notifs();  // issues the LISTEN
  auto a1 = w.dial("+971501234561", "vapi");
  auto a2 = w.dial("+971501234562", "vapi");
  w.ingest("vapi", {vapi_call("v-1", a1, "customer-ended-call"), vapi_call("v-2", a2, "customer-busy")});
  EXPECT_EQ(listener.heard(conn), std::vector<std::string>{w.ws}) << "once per workspace and merge";
  w.ingest("vapi", {vapi_call("v-1", a1, "customer-ended-call"), vapi_call("v-2", a2, "customer-busy")});
  EXPECT_TRUE(listener.heard(conn).empty()) << "a merge that ends nothing wakes nobody";
  auto unrelated = vapi_call("v-9", "", "customer-ended-call");
  unrelated.erase("metadata");
  w.ingest("vapi", {unrelated});
  EXPECT_TRUE(listener.heard(conn).empty());
}

TEST(CallOutcomes, TheRecipientsExportCarriesTheResults) {
  OutcomeWorld w({"+971501234561", "+971501234562"});
  auto a1 = w.dial("+971501234561", "vapi");
  w.ingest("vapi", {vapi_call("v-1", a1, "customer-busy")});
  w.exec(
      "UPDATE campaign_recipients SET status = 'skipped', skip_reason = 'do_not_call' WHERE phone ="
      " '+971501234562'");
  auto r = w.run({"campaign", "recipients", "export", "acme/main/spring"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  std::string header, first, second;
  std::getline(in, header);
  std::getline(in, first);
  std::getline(in, second);
  EXPECT_EQ(header,
            "phone,first_name,last_name,email,company,timezone,status,variables,created_at,outcome,attempts,"
            "last_attempt_at,next_attempt_at,skip_reason,requires_follow_up");
  EXPECT_NE(first.find(",queued,"), std::string::npos) << first;
  EXPECT_NE(first.find(",busy,1,2027-01-12T06:00:00Z,2027-01-12T06:32:00Z,,t"), std::string::npos)
      << "a busy outbound call needs a follow-up, and the recipient carries it: " << first;
  EXPECT_NE(second.find(",skipped,"), std::string::npos) << second;
  EXPECT_NE(second.find(",,0,,,do_not_call,f"), std::string::npos) << second;

  // `wfa export recipients` ends with the same result columns, typed as exports type them.
  auto e = w.run({"export", "recipients", "--campaign", "acme/main/spring", "--format", "csv", "--out", "-"});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  std::istringstream exported(e.out);
  std::getline(exported, header);
  std::getline(exported, first);
  std::getline(exported, second);
  if (!header.empty() && header.back() == '\r') header.pop_back();  // RFC 4180 lines end in CRLF
  const std::string results = "outcome,attempts,last_attempt_at,next_attempt_at,skip_reason,requires_follow_up";
  EXPECT_EQ(header.substr(header.size() - results.size()), results) << header;
  EXPECT_NE(first.find(",busy,1,2027-01-12T06:00:00"), std::string::npos) << first;
  EXPECT_NE(first.find(",2027-01-12T06:32:00"), std::string::npos) << first;
  EXPECT_NE(second.find(",do_not_call,"), std::string::npos) << second;
}

TEST(CallOutcomes, ServesRoleSettlesTheRecipientsItMayNotReadThroughTheMerge) {
  OutcomeWorld w(five);
  auto id = w.dial("+971501234561", "vapi");
  // What serve's webhook processor does, as its role (row-level security, no privilege on campaign_recipients).
  pqxx::connection conn(w.db.serve_url());
  pqxx::work tx(conn);
  tx.exec_params("SELECT set_config('wfa.workspace_ids', $1, true)", w.ws);
  CallNormalizer normalizer("vapi");
  CallBatch batch;
  auto record = vapi_call("v-1", id, "customer-did-not-answer").dump();
  auto size = record.size();
  record += std::string(JsonRecordReader::record_padding, ' ');
  ASSERT_EQ(normalizer.add(std::string_view(record.data(), size), 1, batch), std::nullopt);
  create_call_stage(tx);
  stage_calls(tx, batch);
  auto counts = merge_staged_calls(tx, MergeScope{w.ws, "webhook"}, 1);
  tx.commit();
  EXPECT_EQ(counts.attempts_ended, 1);
  EXPECT_EQ(w.recipient("+971501234561"), "queued no_answer 1 2027-01-12T10:02");
}
