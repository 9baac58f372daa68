// `wfa serve` on loopback: health, readiness, metrics, limits, malformed requests, keep-alive, the access log and a
// graceful stop, spoken to over raw sockets so every byte is the test's.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace wfa
