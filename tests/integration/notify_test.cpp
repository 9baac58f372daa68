// `wfa notify send|list|flush|retry` against the fake Bot API: Telegram's limits kept (40 messages to one chat take
// at least 39 s, a 429's retry_after honoured), each message delivered exactly once even with two flushers at once,
// failures visible in list and telegram health, idempotency keys, bad input and rights.
#include <sys/wait.h>

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "tests/support/fake_providers.hpp"
#include "tests/integration/serve_fixture.hpp"
#include "tests/support/integration_fixture.hpp"
#include "tests/support/test_cluster.hpp"

namespace wfa {
namespace {

using Json = nlohmann::json;

const std::string token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

class Notify : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  test::FakeProviders fake{std::map<std::string, std::string>{{"telegram", token}}};
  std::string outputs;

  Notify() {
    add_partner("acme", "Acme");
    add_partner("zeta", "Zeta");
    add_workspace("acme", "main", "Main");
    add_workspace("zeta", "ops", "Ops");
    add_user("admin@acme.test");
    add_user("member@acme.test");
    add_user("admin@zeta.test");
    add_partner_member("acme", "admin@acme.test", "admin");
    add_partner_member("acme", "member@acme.test", "member");
    add_partner_member("zeta", "admin@zeta.test", "admin");
    env["WFA_TELEGRAM_API_BASE_URL"] = fake.base_url("telegram");
    EXPECT_EQ(run({"telegram", "bot", "set", "acme"}, token + "\n").exit_code, 0);
  }
  ProcessResult wfa(const std::vector<std::string>& args, const std::string& input = "") {
    auto r = run(args, input);
    outputs += r.out + r.err;
    return r;
  }
  void send(const std::string& chat, const std::string& text) {
    auto r = wfa({"notify", "send", "acme", "--chat", chat, "--text", text});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  /// refused runs ARGS, expects EXIT and one line on stderr holding WORDS.
  void refused(const std::vector<std::string>& args, int exit, const std::string& words) {
    auto r = wfa(args);
    EXPECT_EQ(r.exit_code, exit) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  }
  /// texts are the texts the fake Bot API took, in arrival order.
  std::vector<std::string> texts() {
    std::vector<std::string> out;
    for (const auto& m : fake.telegram_messages()) out.push_back(m["text"]);
    return out;
  }
};

TEST_F(Notify, FortyMessagesToOneChatTakeThirtyNineSecondsAndA429IsWaitedOutWithNoneLostOrTwice) {
  std::vector<std::string> queued;
  for (int i = 1; i <= 40; ++i) {
    queued.push_back("message " + std::to_string(i));
    send("5000000001234", queued.back());
  }
  fake.telegram_send_faults(Json::array({{{"times", 1}, {"error_code", 429}, {"retry_after", 3}}}));
  auto flushed = run_json({"notify", "flush"});
  EXPECT_EQ(flushed["sent"], 40);
  EXPECT_EQ(flushed["retried"], 1);
  EXPECT_EQ(flushed["failed"], 0);
  EXPECT_EQ(flushed["left"], 0);
  auto messages = fake.telegram_messages();
  EXPECT_EQ(texts(), queued) << "each once, in order";
  for (std::size_t i = 1; i < messages.size(); ++i)
    EXPECT_GE(messages[i]["at"].get<long>() - messages[i - 1]["at"].get<long>(), 1000) << "message " << i + 1;
  EXPECT_GE(messages.back()["at"].get<long>() - messages.front()["at"].get<long>(), 39000);
  auto refused_at = fake.objects()["telegram_refused"][0]["at"].get<long>();
  EXPECT_GE(messages.front()["at"].get<long>() - refused_at, 3000) << "retry_after honoured";
  EXPECT_EQ(value("SELECT count(*) FROM notifications WHERE status = 'sent' AND telegram_message_id IS NOT NULL"),
            "40");
  EXPECT_EQ(value("SELECT attempts FROM notifications WHERE text = 'message 1'"), "2");
  EXPECT_EQ(value("SELECT count(*) FILTER (WHERE ok) || '/' || count(*) FILTER (WHERE NOT ok AND error_code = 429)"
                  " FROM telegram_health_events WHERE kind = 'send'"),
            "40/1");
  EXPECT_EQ(outputs.find("AAHdqTcv"), std::string::npos) << "the token never appears";
}

TEST_F(Notify, TwoFlushersAtOnceSendEachMessageOnce) {
  std::vector<std::string> queued;
  for (int chat = 1; chat <= 8; ++chat)
    for (int i = 1; i <= 2; ++i) {
      queued.push_back("chat " + std::to_string(chat) + " message " + std::to_string(i));
      send(std::to_string(chat), queued.back());
    }
  auto a = test::spawn_wfa({"notify", "flush"}, env);
  auto b = test::spawn_wfa({"notify", "flush"}, env);
  int status_a = 0, status_b = 0;
  ::waitpid(a, &status_a, 0);
  ::waitpid(b, &status_b, 0);
  EXPECT_EQ(WEXITSTATUS(status_a), 0);
  EXPECT_EQ(WEXITSTATUS(status_b), 0);
  auto got = texts();
  EXPECT_EQ(got.size(), queued.size());
  std::sort(got.begin(), got.end());
  std::sort(queued.begin(), queued.end());
  EXPECT_EQ(got, queued) << "each message once";
  EXPECT_EQ(value("SELECT count(*) FROM notifications WHERE status = 'sent'"), "16");
  std::map<std::int64_t, int> seen;
  for (const auto& m : fake.telegram_messages()) {
    auto text = m["text"].get<std::string>();
    EXPECT_EQ(text.back(), ++seen[m["chat_id"].get<std::int64_t>()] == 1 ? '1' : '2') << "a chat's messages in order";
  }
}

TEST_F(Notify, PermanentFailuresEndFailedVisibleInListAndHealthAndRetrySendsThemAgain) {
  send("111", "to a chat that blocked the bot");
  send("-222", "to a chat that does not exist");
  fake.telegram_send_faults(Json::array({{{"times", 1}, {"error_code", 403}}, {{"times", 1}, {"error_code", 400}}}));
  auto flushed = run({"notify", "flush", "-o", "json"});
  EXPECT_EQ(flushed.exit_code, 8) << flushed.err;
  EXPECT_EQ(Json::parse(flushed.out)["failed"], 2);
  auto failed = run_json({"notify", "list", "--partner", "acme", "--status", "failed"})["notifications"];
  ASSERT_EQ(failed.size(), 2u);
  std::map<std::int64_t, std::pair<int, std::string>> errors;
  for (const auto& row : failed)
    errors[row["chat_id"].get<std::int64_t>()] = {row["error_code"].get<int>(), row["last_error"].get<std::string>()};
  EXPECT_EQ(errors[111].first, 403);
  EXPECT_NE(errors[111].second.find("bot was blocked"), std::string::npos) << errors[111].second;
  EXPECT_EQ(errors[-222].first, 400);
  EXPECT_NE(errors[-222].second.find("chat not found"), std::string::npos) << errors[-222].second;
  auto health = run_json({"telegram", "health", "acme"})["bots"];
  ASSERT_EQ(health.size(), 1u);
  EXPECT_EQ(health[0]["failures_24h"], 2);
  EXPECT_EQ(health[0]["failure_kind"], "send");
  EXPECT_TRUE(health[0]["error_code"] == 400 || health[0]["error_code"] == 403) << health;

  auto id = value("SELECT id FROM notifications WHERE chat_id = 111");
  ASSERT_EQ(wfa({"notify", "retry", id}).exit_code, 0);
  EXPECT_EQ(value("SELECT status || attempts FROM notifications WHERE chat_id = 111"), "queued0");
  EXPECT_EQ(run_json({"notify", "flush", "--partner", "acme"})["sent"], 1);
  EXPECT_EQ(texts(), std::vector<std::string>{"to a chat that blocked the bot"});
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action IN ('notify.send', 'notify.retry')"), "3");
}

TEST_F(Notify, AServerErrorIsRetriedAfterABackoffAndSentOnce) {
  send("444", "after a 500");
  fake.telegram_send_faults(Json::array({{{"times", 1}, {"error_code", 500}}}));
  auto flushed = run_json({"notify", "flush"});
  EXPECT_EQ(flushed["sent"], 1);
  EXPECT_EQ(flushed["retried"], 1);
  EXPECT_EQ(texts(), std::vector<std::string>{"after a 500"});
  auto retried_at = fake.objects()["telegram_refused"][0]["at"].get<long>();
  EXPECT_GE(fake.telegram_messages()[0]["at"].get<long>() - retried_at, 2000) << "a 2 s backoff";
  EXPECT_EQ(value("SELECT status || attempts FROM notifications"), "sent2");
}

TEST_F(Notify, AMessageLeftSendingByAStoppedSenderEndsOutcomeUnknownAndIsNotSentOnAGuess) {
  send("333", "maybe delivered");
  exec(
      "UPDATE notifications SET status = 'sending', claimed_by = 'flush@gone:1', claimed_at = now() - interval '2"
      " minutes', attempts = 1");
  auto flushed = run({"notify", "flush", "-o", "json"});
  EXPECT_EQ(flushed.exit_code, 8) << flushed.err;
  EXPECT_TRUE(texts().empty()) << "not sent on a guess";
  EXPECT_NE(value("SELECT last_error FROM notifications WHERE status = 'failed'").find("outcome unknown"),
            std::string::npos);
  EXPECT_EQ(value("SELECT count(*) FROM telegram_health_events WHERE kind = 'send' AND NOT ok"), "1");
  ASSERT_EQ(wfa({"notify", "retry", value("SELECT id FROM notifications")}).exit_code, 0);
  EXPECT_EQ(run_json({"notify", "flush"})["sent"], 1);
  EXPECT_EQ(texts(), std::vector<std::string>{"maybe delivered"});
}

TEST_F(Notify, AnIdempotencyKeyQueuesOnce) {
  auto first = run_json({"notify", "send", "acme", "--chat", "42", "--text", "done", "--key", "spring-done"});
  auto again = run({"notify", "send", "acme", "--chat", "42", "--text", "done", "--key", "spring-done", "-o", "json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Json::parse(again.out)["id"], first["id"]);
  EXPECT_EQ(count("notifications"), 1);
  refused({"notify", "send", "acme", "--chat", "42", "--text", "other", "--key", "spring-done"}, 4,
          "already queued another message");
  EXPECT_EQ(wfa({"notify", "send", "acme", "--chat", "42", "--text", "done", "--key", "spring-done-2", "--workspace",
                 "acme/main"})
                .exit_code,
            0);
  EXPECT_EQ(value("SELECT count(*) FROM notifications WHERE workspace_id IS NOT NULL"), "1");
  EXPECT_EQ(run_json({"notify", "flush"})["sent"], 2);
  EXPECT_EQ(count("notifications"), 2);
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action = 'notify.send'"), "2");
}

TEST_F(Notify, BadInputIsOneLineWithItsExitCodeAndQueuesNothing) {
  auto long_text = file("long.txt", std::string(4097, 'x'));
  auto bad_utf8 = file("bad.txt", "caf\xe9");
  refused({"notify", "send", "acme", "--chat", "abc", "--text", "hi"}, 6, "--chat 'abc' is not a Telegram chat id");
  refused({"notify", "send", "acme", "--chat", "0", "--text", "hi"}, 6, "is not a Telegram chat id");
  refused({"notify", "send", "acme", "--chat", "5"}, 2, "give the message with --text or --text-file");
  refused({"notify", "send", "acme", "--chat", "5", "--text", "hi", "--text-file", long_text}, 2, "--text");
  refused({"notify", "send", "acme", "--chat", "5", "--text", " "}, 6, "--text is empty");
  refused({"notify", "send", "acme", "--chat", "5", "--text-file", long_text}, 6, "4097 characters");
  refused({"notify", "send", "acme", "--chat", "5", "--text-file", bad_utf8}, 6, "is not UTF-8");
  refused({"notify", "send", "acme", "--chat", "5", "--text-file", dir.path().string() + "/none.txt"}, 3, "none.txt");
  refused({"notify", "send", "acme", "--chat", "5", "--text", "hi", "--parse-mode", "Markdown"}, 2, "Markdown");
  refused({"notify", "send", "zeta", "--chat", "5", "--text", "hi"}, 3, "partner zeta has no Telegram bot");
  refused({"notify", "send", "nobody", "--chat", "5", "--text", "hi"}, 3, "nobody");
  refused({"notify", "send", "acme", "--chat", "5", "--text", "hi", "--workspace", "zeta/ops"}, 6,
          "not a workspace of partner acme");
  refused({"notify", "send", "acme", "--chat", "5", "--text", "hi", "--key", "a\nb"}, 6, "--key");
  refused({"notify", "list", "--status", "lost"}, 2, "lost");
  refused({"notify", "list", "--chat", "x1"}, 6, "--chat 'x1'");
  refused({"notify", "flush", "--max-seconds", "-1"}, 2, "--max-seconds -1 is negative");
  refused({"notify", "retry", "42"}, 6, "notification id 42 is not an id");
  refused({"notify", "retry", "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"}, 3, "no notification");
  EXPECT_EQ(count("notifications"), 0);
  send("5", "queued");
  refused({"notify", "retry", value("SELECT id FROM notifications")}, 4, "is queued, not failed");
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action LIKE 'notify.%'"), "1");
}

TEST_F(Notify, OnlyThePartnersAdminsAndSuperAdminsMaySendListFlushOrRetry) {
  refused({"notify", "send", "acme", "--chat", "5", "--text", "hi", "--as", "member@acme.test"}, 5, "member@acme.test");
  refused({"notify", "send", "acme", "--chat", "5", "--text", "hi", "--as", "admin@zeta.test"}, 5, "admin@zeta.test");
  EXPECT_EQ(count("notifications"), 0);
  ASSERT_EQ(wfa({"notify", "send", "acme", "--chat", "5", "--text", "hi", "--as", "admin@acme.test"}).exit_code, 0);
  refused({"notify", "list", "--partner", "acme", "--as", "admin@zeta.test"}, 5, "admin@zeta.test");
  refused({"notify", "list", "--as", "admin@acme.test"}, 5, "admin@acme.test");
  refused({"notify", "flush", "--as", "admin@acme.test"}, 5, "admin@acme.test");
  refused({"notify", "flush", "--partner", "acme", "--as", "admin@zeta.test"}, 5, "admin@zeta.test");
  EXPECT_TRUE(texts().empty());
  exec("UPDATE notifications SET status = 'failed'");
  refused({"notify", "retry", value("SELECT id FROM notifications"), "--as", "admin@zeta.test"}, 5, "admin@zeta.test");
  EXPECT_EQ(run_json({"notify", "list", "--partner", "acme", "--as", "admin@acme.test"})["notifications"].size(), 1u);
  EXPECT_EQ(
      run_json({"notify", "retry", value("SELECT id FROM notifications"), "--as", "admin@acme.test"})["notifications"]
          .size(),
      1u);
  EXPECT_EQ(run_json({"notify", "flush", "--partner", "acme", "--as", "admin@acme.test"})["sent"], 1);
}

TEST_F(Notify, ServeDeliversTheQueueAndCountsItInMetrics) {
  send("-1001234567890", "from serve");
  auto log = (dir.path() / "serve.log").string();
  auto pid = test::spawn_wfa({"serve", "--listen", "127.0.0.1:0", "--threads", "1"}, env, "", log);
  int port = 0;
  for (int i = 0; i < 200 && (port == 0 || texts().empty()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("listening on 127.0.0.1:", 0) == 0) port = std::stoi(line.substr(23));
  }
  EXPECT_EQ(texts(), std::vector<std::string>{"from serve"});
  send("-1001234567890", "while serve runs");
  for (int i = 0; i < 100 && texts().size() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(texts().size(), 2u) << "picked up within its one-second poll";
  EXPECT_EQ(value("SELECT count(*) FROM notifications WHERE status = 'sent'"), "2");
  ASSERT_NE(port, 0);
  serve_test::Connection c(port);
  c.send(serve_test::get("/metrics"));
  EXPECT_NE(serve_test::body_of(c.response()).find("wfa_serve_notifications_total{outcome=\"sent\"} 2"),
            std::string::npos);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "stops cleanly on SIGTERM, notifier and all";
}

}  // namespace
}  // namespace wfa
