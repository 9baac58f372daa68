// `wfa serve` on loopback: health, readiness, metrics, limits, malformed requests, keep-alive, the access log and a
// graceful stop, spoken to over raw sockets so every byte is the test's.
#include <signal.h>
#include <sys/wait.h>

#include <ctime>
#include <string>

#include "tests/integration/serve_fixture.hpp"

namespace wfa {
namespace {

using namespace serve_test;

TEST_F(Serve, HealthReadinessAndMetricsAnswerWithSecurityHeadersAndALogWithoutQueries) {
  Connection c(port);
  c.send(get("/health?initData=user%3Dsecret-initdata"));
  auto health = c.response();
  EXPECT_EQ(status_of(health), 200) << health;
  EXPECT_EQ(json::parse(body_of(health))["status"], "ok");
  EXPECT_NE(health.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_NE(health.find("X-Request-Id: "), std::string::npos);
  EXPECT_EQ(health.find("X-Frame-Options"), std::string::npos) << "Telegram's web clients embed the app in a frame";
  c.send(get("/health/ready", "X-Request-Id: trace-42\r\n"));
  auto ready = c.response();
  EXPECT_EQ(status_of(ready), 200) << "the same keep-alive connection: " << ready;
  EXPECT_NE(ready.find("X-Request-Id: trace-42"), std::string::npos);
  c.send(get("/nowhere"));
  auto missing = c.response();
  EXPECT_EQ(status_of(missing), 404);
  EXPECT_EQ(json::parse(body_of(missing))["error"]["category"], "not_found");
  c.send("POST /health HTTP/1.1\r\nHost: wfa.test\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(status_of(c.response()), 405);
  c.send(get("/metrics"));
  auto metrics = body_of(c.response());
  EXPECT_NE(metrics.find("wfa_http_requests_total{route=\"/health\",status=\"200\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("wfa_http_connections_open 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("wfa_http_request_duration_seconds_bucket{route=\"/health/ready\",le=\"+Inf\"} 1"),
            std::string::npos);

  auto text = log_text();
  EXPECT_EQ(text.find("secret-initdata"), std::string::npos) << "no query string in the access log";
  EXPECT_NE(text.find("\"request_id\":\"trace-42\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"route\":\"/health/ready\""), std::string::npos);
}

TEST_F(Serve, MetricsShowTheJobQueueByQueueKindAndStatusAndTheLastHoursOutcomes) {
  ASSERT_EQ(run({"job", "enqueue", "noop", "--queue", "mail"}).exit_code, 0);
  ASSERT_EQ(run({"job", "enqueue", "noop", "--queue", "mail", "--delay", "1h"}).exit_code, 0);
  ASSERT_EQ(run({"job", "enqueue", "usage.reset", "--payload", R"({"period": "2026-01"})"}).exit_code, 0);
  ASSERT_EQ(run({"worker", "--drain", "--queues", "default"}).exit_code, 0);
  Connection c(port);
  c.send(get("/metrics"));
  auto metrics = body_of(c.response());
  for (const char* line :
       {"wfa_jobs{queue=\"mail\",kind=\"noop\",status=\"available\"} 2",
        "wfa_jobs{queue=\"mail\",kind=\"noop\",status=\"due\"} 1",
        "wfa_jobs{queue=\"mail\",kind=\"noop\",status=\"running\"} 0",
        "wfa_jobs_finished_last_hour{queue=\"default\",kind=\"usage.reset\",outcome=\"completed\"} 1",
        "wfa_job_duration_seconds{queue=\"default\",kind=\"usage.reset\",quantile=\"0.95\"} ",
        "# TYPE wfa_job_oldest_due_seconds gauge", "wfa_job_queue_up 1"})
    EXPECT_NE(metrics.find(line), std::string::npos) << line << "\n" << metrics;
  EXPECT_EQ(metrics.find("period"), std::string::npos) << "figures only, never a payload";
}

TEST_F(Serve, TheMiniAppIsOneHtmlPageThatTelegramsWebClientsMayFrame) {
  Connection c(port);
  c.send(get("/app"));
  auto page = c.response();
  ASSERT_EQ(status_of(page), 200) << page;
  auto head = page.substr(0, page.find("\r\n\r\n"));
  EXPECT_NE(head.find("Content-Type: text/html; charset=utf-8"), std::string::npos) << head;
  EXPECT_NE(head.find("Cache-Control: no-cache"), std::string::npos) << head;
  EXPECT_EQ(head.find("no-store"), std::string::npos) << "one Cache-Control: " << head;
  EXPECT_NE(head.find("frame-ancestors https://web.telegram.org https://*.telegram.org"), std::string::npos) << head;
  EXPECT_NE(head.find("script-src 'self' 'unsafe-inline' https://telegram.org"), std::string::npos) << head;
  EXPECT_NE(head.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_EQ(head.find("X-Frame-Options"), std::string::npos) << "Telegram's web clients embed the app in a frame";
  auto body = body_of(page);
  EXPECT_NE(body.find("https://telegram.org/js/telegram-web-app.js"), std::string::npos);
  EXPECT_NE(body.find("X-Telegram-Init-Data"), std::string::npos);
  EXPECT_EQ(body.find("innerHTML"), std::string::npos) << "API data is shown as text only";
  c.send(get("/app/"));
  EXPECT_EQ(status_of(c.response()), 200);
  c.send("POST /app HTTP/1.1\r\nHost: wfa.test\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(status_of(c.response()), 405);
  c.send(get("/app/other"));
  EXPECT_EQ(status_of(c.response()), 404);
  c.send(get("/metrics"));
  auto metrics = body_of(c.response());
  EXPECT_NE(metrics.find("wfa_http_requests_total{route=\"/app\",status=\"200\"} 2"), std::string::npos) << metrics;
}

TEST_F(Serve, OversizedAndMalformedRequestsGetOneJsonErrorAndTheServerGoesOn) {
  {
    Connection c(port);
    c.send(get("/health", "X-Big: " + std::string(20000, 'a') + "\r\n"));
    EXPECT_EQ(status_of(c.response()), 431);
  }
  {
    Connection c(port);
    c.send("POST /health HTTP/1.1\r\nHost: wfa.test\r\nContent-Length: 2000000\r\n\r\n" + std::string(70000, 'x'));
    auto big = c.response();
    EXPECT_EQ(status_of(big), 413) << big;
    EXPECT_EQ(json::parse(body_of(big))["error"]["category"], "invalid_input");
  }
  {
    Connection c(port);
    c.send("NOT HTTP AT ALL\r\n\r\n");
    EXPECT_EQ(status_of(c.response()), 400);
  }
  Connection after(port);
  after.send(get("/health"));
  EXPECT_EQ(status_of(after.response()), 200) << "the server goes on";
}

TEST_F(Serve, SigtermClosesIdleConnectionsAndExitsZero) {
  Connection idle(port);
  idle.send(get("/health"));
  EXPECT_EQ(status_of(idle.response()), 200);
  auto started = std::chrono::steady_clock::now();
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  pid = -1;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << "idle connections do not hold it";
  EXPECT_TRUE(idle.closed());
}

TEST_F(Serve, ABadListenAddressIsAUsageErrorAndABusyPortIsTemporary) {
  auto bad = run({"serve", "--listen", "localhost"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--listen localhost is not ADDRESS:PORT"), std::string::npos) << bad.err;
  auto busy = run({"serve", "--listen", "127.0.0.1:" + std::to_string(port)});
  EXPECT_EQ(busy.exit_code, 7) << busy.err;
  EXPECT_NE(busy.err.find("cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos) << busy.err;
}

TEST_F(ServeApi, ASignedUserSeesThemselvesTheirPartnerAndTheirWorkspaces) {
  auto answer = api("/api/user", "app.acme.test", sign(layla(now_text()), acme_token));
  ASSERT_EQ(status_of(answer), 200) << answer;
  auto doc = json::parse(body_of(answer));
  EXPECT_EQ(doc["user"]["telegram_id"], 5000000001234);
  EXPECT_EQ(doc["user"]["first_name"], "Layla");
  EXPECT_EQ(doc["partner"]["slug"], "acme");
  ASSERT_EQ(doc["workspaces"].size(), 1u);
  EXPECT_EQ(doc["workspaces"][0]["workspace"], "acme/main");
  EXPECT_EQ(doc["workspaces"][0]["role"], "member");
  EXPECT_EQ(log_text().find("AAH1"), std::string::npos) << "initData never reaches the log";
}

TEST_F(ServeApi, OrgAndMembersRunAsTheUserAndStayInsideTheHostsPartner) {
  auto init = sign(layla(now_text()), acme_token);
  auto org = api("/api/org", "app.acme.test", init);
  ASSERT_EQ(status_of(org), 200) << org;
  EXPECT_EQ(json::parse(body_of(org))["partner"]["slug"], "acme");
  auto members = api("/api/org/members?workspace=acme%2Fmain", "app.acme.test", init);
  ASSERT_EQ(status_of(members), 200) << members;
  auto listed = json::parse(body_of(members));
  ASSERT_TRUE(listed.contains("members")) << listed.dump();
  EXPECT_EQ(listed["members"].size(), 1u);
  EXPECT_EQ(listed["members"][0]["email"], "layla@acme.test");

  add_workspace("zeta", "other", "Other");
  auto foreign = api("/api/org/members?workspace=zeta%2Fother", "app.acme.test", init);
  EXPECT_EQ(status_of(foreign), 404) << "another partner's workspace is not there: " << foreign;
  add_workspace("acme", "hidden", "Hidden");
  auto hidden = api("/api/org/members?workspace=acme%2Fhidden", "app.acme.test", init);
  EXPECT_EQ(status_of(hidden), 403) << "the verb's rights checks hold for the Telegram user: " << hidden;
  EXPECT_EQ(json::parse(body_of(hidden))["error"]["category"], "permission");
  EXPECT_EQ(body_of(hidden).find("\"members\""), std::string::npos);
  exec("UPDATE workspace_members SET removed_at = now() WHERE user_id = '" + user_id("layla@acme.test") + "'");
  auto removed = api("/api/org/members?workspace=acme%2Fmain", "app.acme.test", init);
  EXPECT_EQ(status_of(removed), 403) << "a removed member loses access at once: " << removed;
}

TEST_F(ServeApi, TamperedStaleWrongBotUnknownUsersAndFloodsAreRefusedWithoutData) {
  auto good = sign(layla(now_text()), acme_token);
  auto tampered = good;
  tampered.replace(tampered.find("Layla"), 5, "Laylo");
  auto check = [&](const std::string& answer, int status, const std::string& words) {
    EXPECT_EQ(status_of(answer), status) << answer;
    auto doc = json::parse(body_of(answer));
    EXPECT_FALSE(doc.contains("user")) << "no data leaks: " << answer;
    EXPECT_NE(doc["error"]["message"].get<std::string>().find(words), std::string::npos) << answer;
  };
  check(api("/api/user", "app.acme.test", tampered), 401, "bad hash");
  check(api("/api/user", "app.acme.test", sign(layla(std::to_string(std::time(nullptr) - 90000)), acme_token)), 401,
        "stale");
  check(api("/api/user", "app.zeta.test", good), 401, "bad hash");  // another partner's host: another bot
  check(api("/api/user", "app.acme.test", sign(layla(now_text()), zeta_token)), 401, "bad hash");
  auto stranger = layla(now_text());
  stranger["user"] = R"({"id":42,"first_name":"Eve"})";
  check(api("/api/user", "app.acme.test", sign(stranger, acme_token)), 403, "not a member");
  check(api("/api/user", "unknown.example", good), 404, "no partner");
  Connection header(port);
  header.send("GET /api/user HTTP/1.1\r\nHost: app.acme.test\r\nX-Telegram-Init-Data: " + good + "\r\n\r\n");
  EXPECT_EQ(status_of(header.response()), 200) << "the initData header works as well";
  Connection bare(port);
  bare.send("GET /api/user HTTP/1.1\r\nHost: app.acme.test\r\n\r\n");
  EXPECT_EQ(status_of(bare.response()), 401);
  for (int i = 0; i < 20; ++i) api("/api/user", "app.acme.test", tampered);
  check(api("/api/user", "app.acme.test", good), 429, "too many failed");
}

TEST_F(ServeApi, AnInitDataVerifiedOnceIsStillCheckedForStalenessAndDiesWithItsBotsToken) {
  env["WFA_TELEGRAM_AUTH_MAX_AGE"] = "60";
  restart();
  auto aging = sign(layla(std::to_string(std::time(nullptr) - 58)), acme_token);
  ASSERT_EQ(status_of(api("/api/user", "app.acme.test", aging)), 200);
  ASSERT_EQ(status_of(api("/api/user", "app.acme.test", aging)), 200) << "the same bytes again, from the cache";
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  auto stale = api("/api/user", "app.acme.test", aging);
  EXPECT_EQ(status_of(stale), 401) << "a cached initData goes stale like any other: " << stale;

  auto fresh = sign(layla(now_text()), acme_token);
  ASSERT_EQ(status_of(api("/api/user", "app.acme.test", fresh)), 200);
  ASSERT_EQ(run({"telegram", "bot", "set", "acme"}, "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDzzz\n").exit_code, 0);
  bool refused = false;
  for (int i = 0; i < 40 && !refused; ++i) {
    refused = status_of(api("/api/user", "app.acme.test", fresh)) == 401;
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_TRUE(refused) << "signed by the old token: refused within a second of the change";
}

}  // namespace
}  // namespace wfa
