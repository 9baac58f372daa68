// `wfa serve` on loopback: health, readiness, metrics, limits, malformed requests, keep-alive, the access log and a
// graceful stop, spoken to over raw sockets so every byte is the test's.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <map>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>
#include <openssl/hmac.h>

#include "pipelines/telegram/init_data.hpp"

#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

/// Connection is one client socket to the server.
class Connection {
 public:
  explicit Connection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(static_cast<uint16_t>(port));
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) ADD_FAILURE() << "cannot connect";
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~Connection() { ::close(fd_); }
  void send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }
  /// response reads one response (headers and a Content-Length body); empty when the server closed instead.
  std::string response() {
    for (;;) {
      auto end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        auto length_at = buffer_.find("Content-Length: ");
        std::size_t length = 0;
        if (length_at != std::string::npos && length_at < end) length = std::stoul(buffer_.substr(length_at + 16));
        if (buffer_.size() >= end + 4 + length) {
          auto out = buffer_.substr(0, end + 4 + length);
          buffer_.erase(0, end + 4 + length);
          return out;
        }
      }
      char chunk[65536];
      auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return "";
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }
  /// closed: the server ended the connection (recv sees the end).
  bool closed() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  int fd_ = -1;
  std::string buffer_;
};

std::string get(const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: wfa.test\r\n" + extra + "\r\n";
}

int status_of(const std::string& response) { return response.size() > 12 ? std::stoi(response.substr(9, 3)) : 0; }

std::string body_of(const std::string& response) { return response.substr(response.find("\r\n\r\n") + 4); }

class Serve : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  std::string log = (dir.path() / "serve.log").string();
  pid_t pid = -1;
  int port = 0;

  Serve() {
    pid = test::spawn_wfa({"serve", "--listen", "127.0.0.1:0", "--threads", "2"}, env, "", log);
    for (int i = 0; i < 200 && port == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::ifstream in(log);
      std::string line;
      while (std::getline(in, line))
        if (line.rfind("listening on 127.0.0.1:", 0) == 0) port = std::stoi(line.substr(23));
    }
    EXPECT_NE(port, 0) << "serve did not start";
  }
  ~Serve() override {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  std::string log_text() {
    std::ifstream in(log);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

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

/// sign is initData for FIELDS signed by TOKEN's bot (the algorithm checked against outside vectors in
/// tests/unit/init_data_test.cpp), URL-encoded as Telegram sends it.
std::string sign(std::map<std::string, std::string> fields, const std::string& token) {
  std::string check;
  for (const auto& [k, v] : fields) check += (check.empty() ? "" : "\n") + k + "=" + v;
  auto secret = init_data_secret(token);
  unsigned char mac[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), 32, reinterpret_cast<const unsigned char*>(check.data()), check.size(), mac,
       &length);
  char hex[65];
  for (int i = 0; i < 32; ++i) std::snprintf(hex + 2 * i, 3, "%02x", mac[i]);
  fields["hash"] = hex;
  std::string out;
  for (const auto& [k, v] : fields) {
    out += (out.empty() ? "" : "&") + k + "=";
    for (unsigned char c : v) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
        out += static_cast<char>(c);
      } else {
        char e[4];
        std::snprintf(e, sizeof e, "%%%02X", c);
        out += e;
      }
    }
  }
  return out;
}

const std::string acme_token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const std::string zeta_token = "7000000001:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDzz";

/// ServeApi: acme (app.acme.test) and zeta (app.zeta.test) each with a bot; Layla (Telegram 5000000001234) is a member
/// of acme/main.
class ServeApi : public Serve {
 protected:
  ServeApi() {
    add_partner("acme", "Acme");
    add_partner("zeta", "Zeta");
    add_workspace("acme", "main", "Main");
    add_user("layla@acme.test", "Layla");
    add_workspace_member("acme/main", "layla@acme.test", "member");
    exec("UPDATE users SET telegram_id = 5000000001234 WHERE email = 'layla@acme.test'");
    for (const auto& [slug, host] : {std::pair{"acme", "app.acme.test"}, std::pair{"zeta", "app.zeta.test"}})
      exec("INSERT INTO partner_domains (partner_id, hostname, verification_token, verified_at) VALUES ('" +
           partner_id(slug) + "', '" + host + "', 'token', now())");
    EXPECT_EQ(run({"telegram", "bot", "set", "acme"}, acme_token + "\n").exit_code, 0);
    EXPECT_EQ(run({"telegram", "bot", "set", "zeta"}, zeta_token + "\n").exit_code, 0);
  }

  std::string now_text() { return std::to_string(std::time(nullptr)); }

  std::map<std::string, std::string> layla(const std::string& auth_date) {
    return {{"auth_date", auth_date},
            {"query_id", "AAH1"},
            {"user", R"({"id":5000000001234,"first_name":"Layla","language_code":"ar"})"}};
  }

  std::string api(const std::string& path, const std::string& host, const std::string& init_data) {
    Connection c(port);
    c.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: tma " + init_data + "\r\n\r\n");
    return c.response();
  }
};

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

}  // namespace
}  // namespace wfa
