#pragma once
// What the serve tests share: a raw-socket client, `wfa serve` started on a free loopback port, Telegram initData
// signed as a bot would, and two partners with their bots and hosts.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>
#include <openssl/hmac.h>

#include "pipelines/telegram/init_data.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa::serve_test {

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

inline std::string get(const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: wfa.test\r\n" + extra + "\r\n";
}

inline int status_of(const std::string& response) {
  return response.size() > 12 ? std::stoi(response.substr(9, 3)) : 0;
}

inline std::string body_of(const std::string& response) { return response.substr(response.find("\r\n\r\n") + 4); }

class Serve : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  std::string log = (dir.path() / "serve.log").string();
  pid_t pid = -1;
  int port = 0;

  Serve() { start(); }
  /// restart stops serve (kill -9) and starts it again with the fixture's env as it is now.
  void restart() {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    std::ofstream(log, std::ios::trunc).close();
    port = 0;
    start();
  }
  void start() {
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

/// sign is initData for FIELDS signed by TOKEN's bot (the algorithm checked against outside vectors in
/// tests/unit/init_data_test.cpp), URL-encoded as Telegram sends it.
inline std::string sign(std::map<std::string, std::string> fields, const std::string& token) {
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

inline const std::string acme_token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
inline const std::string zeta_token = "7000000001:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDzz";

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

}  // namespace wfa::serve_test
