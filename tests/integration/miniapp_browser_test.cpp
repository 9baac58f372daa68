// The Mini App in headless Chromium against the real `wfa serve`: tests/browser/miniapp_test.py drives the page; this
// test seeds the partner, bot, user and workspaces, starts the server and runs the script.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

const std::string bot_token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

/// MiniApp: partner acme (app.acme.test, branded) with a bot; Layla (Telegram 5000000001234) is an admin of acme/main
/// and a member of acme/ops; `wfa serve` runs on a free loopback port.
class MiniApp : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  std::string log = (dir.path() / "serve.log").string();
  pid_t pid = -1;
  int port = 0;

  MiniApp() {
    add_partner("acme", "Acme");
    exec(R"(UPDATE partners SET branding = '{"company_name": "Acme Robotics", "primary_color": "#ff6600"}')");
    add_workspace("acme", "main", "Main");
    add_workspace("acme", "ops", "Operations");
    add_user("layla@acme.test", "Layla");
    add_workspace_member("acme/main", "layla@acme.test", "admin");
    add_workspace_member("acme/ops", "layla@acme.test", "member");
    exec("UPDATE users SET telegram_id = 5000000001234 WHERE email = 'layla@acme.test'");
    exec("INSERT INTO partner_domains (partner_id, hostname, verification_token, verified_at) VALUES ('" +
         partner_id("acme") + "', 'app.acme.test', 'token', now())");
    EXPECT_EQ(run({"telegram", "bot", "set", "acme"}, bot_token + "\n").exit_code, 0);
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
  ~MiniApp() override {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

TEST_F(MiniApp, RendersPermittedAgentsRunsAnActionShowsErrorsAndFollowsTheTheme) {
  for (const char* needed : {"/usr/bin/chromium", "/usr/bin/chromedriver"})
    ASSERT_TRUE(std::filesystem::exists(needed)) << needed << " is missing; run scripts/install-deps.sh";
  ASSERT_NE(port, 0);
  auto artifacts = std::filesystem::path(WFA_BINARY).parent_path() / "Testing" / "artifacts";
  std::filesystem::create_directories(artifacts);
  auto started = std::chrono::steady_clock::now();
  // Debian's python3 (with python3-selenium), not whatever python3 PATH finds first.
  auto r = run_process({"/usr/bin/python3", (test::source_dir() / "tests" / "browser" / "miniapp_test.py").string(),
                        "--server", "http://127.0.0.1:" + std::to_string(port), "--host", "app.acme.test",
                        "--bot-token", bot_token, "--telegram-id", "5000000001234", "--email", "layla@acme.test",
                        "--screenshot", (artifacts / "miniapp.png").string(), "--fake-agents"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60)) << r.out;
  std::cout << r.out;
}

}  // namespace
}  // namespace wfa
