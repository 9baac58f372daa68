// Voice providers' webhooks on the real server: the endpoint's secret checks the raw body, a verified delivery is
// stored before its 2xx and processed once through the calls' merge, a redelivery changes nothing, and an event stored
// but not processed (serve killed in between) is processed later.
#include <chrono>
#include <ctime>
#include <string>
#include <thread>

#include <pqxx/pqxx>

#include "pipelines/providers/http.hpp"
#include "pipelines/webhooks/webhook_signatures.hpp"
#include "tests/support/fake_providers.hpp"
#include "tests/integration/serve_fixture.hpp"

namespace wfa {
namespace {

using namespace serve_test;

const std::string vapi_report =
    R"({"message":{"type":"end-of-call-report","endedReason":"customer-ended-call",)"
    R"("startedAt":"2026-12-01T10:00:00.000Z","endedAt":"2026-12-01T10:02:00.000Z","cost":0.25,)"
    R"("artifact":{"transcript":"hello there"},"analysis":{"summary":"booked a viewing"},)"
    R"("call":{"id":"call-w1","assistantId":"asst-1","type":"inboundPhoneCall","customer":{"number":"+971500000001"}}}})";

class ServeWebhooks : public Serve {
 protected:
  std::string vapi_path, retell_path;
  const std::string retell_key = "key_retell_0123456789abcdef";
  ServeWebhooks() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    EXPECT_EQ(run({"integration", "set", "acme/main", "vapi"}, "vapi-api-key-0123456789\n").exit_code, 0);
    EXPECT_EQ(run({"integration", "webhook-secret", "acme/main", "vapi"}, "vapi-hook-secret\n").exit_code, 0);
    EXPECT_EQ(run({"integration", "set", "acme/main", "retell"}, retell_key + "\n").exit_code, 0);
    vapi_path = run_json({"integration", "show", "acme/main", "vapi"})["webhook_path"].get<std::string>();
    retell_path = run_json({"integration", "show", "acme/main", "retell"})["webhook_path"].get<std::string>();
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) VALUES ('" +
         workspace_id("acme/main") + "', 'Reception', 'vapi', '{}', 'asst-1'), ('" + workspace_id("acme/main") +
         "', 'Desk', 'retell', '{}', 'agent-r1')");
  }
  std::string post(const std::string& path, const std::string& body, const std::string& headers) {
    Connection c(port);
    c.send("POST " + path + " HTTP/1.1\r\nHost: hooks.test\r\nContent-Type: application/json\r\n" + headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    return c.response();
  }
  bool eventually(const std::string& sql, const std::string& want) {
    for (int i = 0; i < 100; ++i) {
      if (value(sql) == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return value(sql) == want;
  }
};

TEST_F(ServeWebhooks, AVapiReportIsStoredBeforeItsAnswerProcessedOnceAndARedeliveryChangesNothing) {
  auto first = post(vapi_path, vapi_report, "x-vapi-secret: vapi-hook-secret\r\n");
  ASSERT_EQ(status_of(first), 200) << first;
  EXPECT_EQ(json::parse(body_of(first))["duplicate"], false);
  EXPECT_EQ(value("SELECT count(*) FROM webhook_events"), "1") << "stored before the answer";
  ASSERT_TRUE(eventually("SELECT status FROM webhook_events", "processed"))
      << value("SELECT last_error FROM webhook_events");
  EXPECT_EQ(value("SELECT summary || ' / ' || duration_seconds || ' / ' || status FROM conversations"),
            "booked a viewing / 120 / completed");
  EXPECT_EQ(value("SELECT count(*) FROM usage_tracking"), "1");
  auto again = post(vapi_path, vapi_report, "Authorization: Bearer vapi-hook-secret\r\n");
  ASSERT_EQ(status_of(again), 200) << again;
  EXPECT_EQ(json::parse(body_of(again))["duplicate"], true);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(value("SELECT count(*) FROM webhook_events"), "1");
  EXPECT_EQ(value("SELECT count(*) FROM usage_tracking"), "1") << "usage counted once";
  EXPECT_EQ(value("SELECT current_month_cost_micros FROM workspaces WHERE slug = 'main'"), "250000");
}

TEST_F(ServeWebhooks, ShowVerbsPrintTheWholeWebhookUrlOncePublicUrlIsSet) {
  EXPECT_TRUE(run_json({"integration", "show", "acme/main", "vapi"})["webhook_url"].is_null());
  env["WFA_PUBLIC_URL"] = "https://hooks.acme.test/";
  auto shown = run_json({"integration", "show", "acme/main", "vapi"});
  EXPECT_EQ(shown["webhook_url"], "https://hooks.acme.test" + vapi_path);
  EXPECT_EQ(shown["webhook_secret"].get<std::string>().find("secret"), std::string::npos) << "masked";
  ASSERT_EQ(run({"telegram", "bot", "set", "acme"}, "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw\n").exit_code, 0);
  auto bot = run_json({"telegram", "bot", "show", "acme"});
  EXPECT_EQ(bot["webhook_url"], "https://hooks.acme.test" + bot["webhook_path"].get<std::string>());
}

TEST_F(ServeWebhooks, WrongOrMissingSecretsAndUnknownEndpointsAreRefusedAndStoreNothing) {
  EXPECT_EQ(status_of(post(vapi_path, vapi_report, "x-vapi-secret: guess\r\n")), 401);
  EXPECT_EQ(status_of(post(vapi_path, vapi_report, "")), 401);
  EXPECT_EQ(status_of(post("/webhooks/vapi/0123456789abcdef", vapi_report, "x-vapi-secret: vapi-hook-secret\r\n")),
            404);
  EXPECT_EQ(status_of(post("/webhooks/paypal/x", vapi_report, "")), 404);
  auto not_json = post(vapi_path, "not json", "x-vapi-secret: vapi-hook-secret\r\n");
  EXPECT_EQ(status_of(not_json), 422) << not_json;
  EXPECT_EQ(value("SELECT count(*) FROM webhook_events"), "0");
  Connection c(port);
  c.send(get("/metrics"));
  EXPECT_NE(body_of(c.response()).find("wfa_serve_webhooks_total{outcome=\"rejected\"} 2"), std::string::npos);
}

TEST_F(ServeWebhooks, RetellSignaturesCoverTheBodyAndExpireAfterFiveMinutes) {
  const std::string body =
      R"({"event":"call_ended","call":{"call_id":"rc-1","agent_id":"agent-r1","call_status":"ended",)"
      R"("call_type":"phone_call","direction":"inbound","from_number":"+971500000002",)"
      R"("start_timestamp":1764583200000,"end_timestamp":1764583260000,"disconnection_reason":"user_hangup"}})";
  auto now_ms = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  auto signature = [&](const std::string& b, const std::string& ms) {
    return "x-retell-signature: v=" + ms + ",d=" + hmac_sha256_hex(retell_key, b + ms) + "\r\n";
  };
  EXPECT_EQ(status_of(post(retell_path, body + " ", signature(body, now_ms))), 401) << "tampered";
  auto old_ms = std::to_string(std::stoll(now_ms) - 301000);
  EXPECT_EQ(status_of(post(retell_path, body, signature(body, old_ms))), 401) << "stale";
  auto ok = post(retell_path, body, signature(body, now_ms));
  ASSERT_EQ(status_of(ok), 200) << ok;
  ASSERT_TRUE(eventually("SELECT count(*) FROM conversations WHERE external_call_id = 'rc-1'", "1"));
  EXPECT_EQ(value("SELECT duration_seconds FROM conversations WHERE external_call_id = 'rc-1'"), "60");
}

TEST_F(ServeWebhooks, AnEventStoredButNotProcessedIsProcessedLater) {
  // What serve killed with kill -9 between its answer and the processing leaves behind.
  exec("INSERT INTO webhook_events (workspace_id, provider, endpoint, event_id, event_type, body) VALUES ('" +
       workspace_id("acme/main") + "', 'vapi', 'e', 'call-w1:end-of-call-report', 'end-of-call-report', convert_to('" +
       vapi_report + "', 'UTF8'))");
  ASSERT_TRUE(eventually("SELECT status FROM webhook_events", "processed"));
  EXPECT_EQ(value("SELECT count(*) FROM conversations"), "1");
  EXPECT_EQ(value("SELECT count(*) FROM usage_tracking"), "1");
}

TEST_F(ServeWebhooks, ServeKilledAfterAnsweringButBeforeProcessingProcessesTheEventOnceAfterARestart) {
  // Hold the merge's lock, so processing waits after the answer; then kill -9 serve while it waits.
  pqxx::connection holder(db.url());
  pqxx::work lock(holder);
  lock.exec("SELECT pg_advisory_xact_lock(hashtext('wfa.calls.merge'))");
  auto answered = post(vapi_path, vapi_report, "x-vapi-secret: vapi-hook-secret\r\n");
  ASSERT_EQ(status_of(answered), 200) << answered;
  ASSERT_TRUE(eventually("SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event = 'advisory'", "t"))
      << "processing should be waiting on the merge lock";
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  pid = -1;
  lock.abort();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(value("SELECT status FROM webhook_events"), "received") << "stored, not processed";
  EXPECT_EQ(value("SELECT count(*) FROM usage_tracking"), "0");
  auto restarted_log = (dir.path() / "serve-2.log").string();
  pid = test::spawn_wfa({"serve", "--listen", "127.0.0.1:0", "--threads", "2"}, env, "", restarted_log);
  ASSERT_TRUE(eventually("SELECT status FROM webhook_events", "processed")) << "picked up after the restart";
  EXPECT_EQ(value("SELECT count(*) FROM usage_tracking"), "1");
  EXPECT_EQ(value("SELECT current_month_cost_micros FROM workspaces WHERE slug = 'main'"), "250000");
}

TEST_F(ServeWebhooks, StripeAndSlackDeliveriesAreCheckedWithThePlatformsSecretsAndStoredOnce) {
  ASSERT_EQ(run({"secret", "set", "stripe_webhook"}, "whsec_test_abc\n").exit_code, 0);
  ASSERT_EQ(run({"secret", "set", "slack_signing"}, "slack-signing\n").exit_code, 0);
  auto listed = run_json({"secret", "list"})["secrets"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed.dump().find("whsec_test_abc"), std::string::npos) << "masked";
  auto now = std::to_string(std::time(nullptr));
  const std::string event = R"({"id":"evt_1","object":"event","type":"invoice.paid"})";
  auto v1 = hmac_sha256_hex("whsec_test_abc", now + "." + event);
  auto rolling = "Stripe-Signature: t=" + now + ",v1=" + std::string(64, 'a') + ",v1=" + v1 + "\r\n";
  auto first = post("/webhooks/stripe", event, rolling);
  ASSERT_EQ(status_of(first), 200) << first;
  EXPECT_EQ(json::parse(body_of(post("/webhooks/stripe", event, rolling)))["duplicate"], true);
  auto old = std::to_string(std::time(nullptr) - 400);
  EXPECT_EQ(status_of(post(
                "/webhooks/stripe", event,
                "Stripe-Signature: t=" + old + ",v1=" + hmac_sha256_hex("whsec_test_abc", old + "." + event) + "\r\n")),
            401)
      << "stale";
  EXPECT_EQ(status_of(post("/webhooks/stripe", event + " ", rolling)), 401) << "tampered";
  EXPECT_TRUE(eventually("SELECT status || ' ' || event_type FROM webhook_events WHERE provider = 'stripe'",
                         "failed invoice.paid"))
      << "billing applies it; an event without data.object never can";

  auto slack = [&](const std::string& body, const std::string& ts) {
    return post("/webhooks/slack", body,
                "X-Slack-Request-Timestamp: " + ts +
                    "\r\nX-Slack-Signature: v0=" + hmac_sha256_hex("slack-signing", "v0:" + ts + ":" + body) + "\r\n");
  };
  auto challenge = slack(R"({"token":"t","challenge":"c-123","type":"url_verification"})", now);
  ASSERT_EQ(status_of(challenge), 200) << challenge;
  EXPECT_EQ(json::parse(body_of(challenge))["challenge"], "c-123");
  auto callback = slack(R"({"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention"}})", now);
  ASSERT_EQ(status_of(callback), 200) << callback;
  EXPECT_EQ(status_of(slack(R"({"type":"event_callback","event_id":"Ev2"})", old)), 401) << "stale";
  EXPECT_EQ(value("SELECT status || ' ' || event_type FROM webhook_events WHERE provider = 'slack'"),
            "processed app_mention");
}

TEST_F(ServeWebhooks, TheBotIsPointedAtServeWithASecretTokenUpdatesAreStoredOnceAndCheckRepairsDrift) {
  const std::string token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
  test::FakeProviders fake({{"telegram", token}});
  env["WFA_TELEGRAM_API_BASE_URL"] = fake.base_url("telegram");
  env["WFA_PUBLIC_URL"] = "https://hooks.acme.test";
  std::string outputs;
  auto wfa = [&](const std::vector<std::string>& args, const std::string& input = "") {
    auto r = run(args, input);
    outputs += r.out + r.err;
    return r;
  };
  ASSERT_EQ(wfa({"telegram", "bot", "set", "acme"}, token + "\n").exit_code, 0);
  auto path = run_json({"telegram", "bot", "show", "acme"})["webhook_path"].get<std::string>();
  auto set = wfa({"telegram", "webhook", "set", "acme"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  auto hook = fake.objects()["telegram_webhook"];
  EXPECT_EQ(hook["url"], "https://hooks.acme.test" + path);
  EXPECT_EQ(hook["allowed_updates"], json::parse(R"(["message","my_chat_member","chat_member"])"));
  auto secret = hook["secret_token"].get<std::string>();
  ASSERT_GE(secret.size(), 32u);

  const std::string update = R"({"update_id":900001,"my_chat_member":{"chat":{"id":-1001}}})";
  auto deliver = [&](const std::string& with) {
    return post(path, update, "X-Telegram-Bot-Api-Secret-Token: " + with + "\r\n");
  };
  EXPECT_EQ(status_of(deliver("guess")), 401);
  auto first = deliver(secret);
  ASSERT_EQ(status_of(first), 200) << first;
  EXPECT_EQ(json::parse(body_of(deliver(secret)))["duplicate"], true) << "update_id dedupes";
  EXPECT_EQ(value("SELECT event_type || ' ' || event_id FROM webhook_events WHERE provider = 'telegram'"),
            "my_chat_member 900001");

  auto check = run_json({"telegram", "webhook", "check", "acme"});
  EXPECT_EQ(check["repaired"], false) << check.dump();
  auto control = [&](const json& info) {
    HttpRequest r;
    r.method = "POST";
    r.url = "http://127.0.0.1:" + std::to_string(fake.port()) + "/__telegram";
    r.body = info.dump();
    send_http(r);
  };
  control({{"url", "https://old.example/hook"}});
  check = run_json({"telegram", "webhook", "check", "acme"});
  EXPECT_EQ(check["repaired"], true);
  EXPECT_EQ(fake.objects()["telegram_webhook"]["url"], "https://hooks.acme.test" + path) << "pointed back";
  EXPECT_EQ(fake.objects()["telegram_webhook"]["secret_token"], secret) << "a URL drift keeps the secret";
  control({{"last_error_message", "Wrong response from the webhook: 401 Unauthorized"}});
  check = run_json({"telegram", "webhook", "check", "acme"});
  EXPECT_EQ(check["repaired"], true);
  auto renewed = fake.objects()["telegram_webhook"]["secret_token"].get<std::string>();
  EXPECT_NE(renewed, secret) << "refused deliveries get a new secret";
  bool refused = false;
  for (int i = 0; i < 40 && !refused; ++i) {
    refused = status_of(post(path, R"({"update_id":900002,"message":{}})",
                             "X-Telegram-Bot-Api-Secret-Token: " + secret + "\r\n")) == 401;
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_TRUE(refused) << "the old secret stops working within a second";
  EXPECT_EQ(status_of(deliver(renewed)), 200);
  EXPECT_EQ(outputs.find("AAHdqTcv"), std::string::npos) << "the token never appears";
  EXPECT_EQ(outputs.find(renewed), std::string::npos) << "nor the secret token";
}

TEST_F(ServeWebhooks, ListShowReplayAndVerifyFromTheCommandLine) {
  ASSERT_EQ(status_of(post(vapi_path, vapi_report, "x-vapi-secret: vapi-hook-secret\r\n")), 200);
  ASSERT_TRUE(eventually("SELECT status FROM webhook_events", "processed"));
  auto listed = run_json({"webhooks", "list"})["events"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["event_id"], "call-w1:end-of-call-report");
  EXPECT_EQ(listed[0]["workspace"], "acme/main");
  auto id = listed[0]["id"].get<std::string>();
  auto shown = run_json({"webhooks", "show", id, "--body"});
  EXPECT_EQ(shown["body"], vapi_report);
  EXPECT_EQ(shown["headers"].dump().find("vapi-hook-secret"), std::string::npos) << "secrets are never kept";
  auto replayed = run_json({"webhooks", "replay", id});
  EXPECT_EQ(replayed["events"][0]["outcome"], "processed");
  EXPECT_EQ(replayed["events"][0]["detail"], "call unchanged") << "a replay of an ingested call changes nothing";
  EXPECT_EQ(value("SELECT count(*) FROM usage_tracking"), "1");
  EXPECT_EQ(value("SELECT current_month_cost_micros FROM workspaces WHERE slug = 'main'"), "250000");
  EXPECT_EQ(run({"webhooks", "replay", "not-an-id"}).exit_code, 2);
  EXPECT_EQ(run({"webhooks", "list", "--as", "nobody@acme.test"}).exit_code, 5);

  auto ms = std::string("1733500000000");
  auto key = file("retell.key", retell_key + "\n");
  auto body = file("body.json", "{\"event\":\"call_ended\"}");
  auto header = "x-retell-signature: v=" + ms + ",d=" + hmac_sha256_hex(retell_key, "{\"event\":\"call_ended\"}" + ms);
  auto stale = run(
      {"webhooks", "verify", "--provider", "retell", "--secret-file", key, "--header", header, "--body-file", body});
  EXPECT_EQ(stale.exit_code, 5) << stale.err;
  EXPECT_NE(stale.err.find("stale timestamp"), std::string::npos) << stale.err;
  auto vapi_secret = file("vapi.secret", "vapi-hook-secret\n");
  auto report = file("report.json", vapi_report);
  EXPECT_EQ(run({"webhooks", "verify", "--provider", "vapi", "--secret-file", vapi_secret, "--header",
                 "x-vapi-secret: vapi-hook-secret", "--body-file", report})
                .exit_code,
            0);
}

}  // namespace
}  // namespace wfa
