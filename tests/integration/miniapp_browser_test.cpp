// The Mini App in headless Chromium against the real `wfa serve`: tests/browser/miniapp_test.py drives the page; this
// test seeds the partner, bot, user, workspaces, agents and calls, and checks what the page's clicks changed.
#include <chrono>
#include <filesystem>
#include <iostream>

#include "tests/integration/serve_fixture.hpp"

namespace wfa {
namespace {

using namespace serve_test;

/// MiniApp: partner acme (app.acme.test, branded) with a bot. Layla (Telegram 5000000001234) is an admin of acme/main,
/// where voice and customer_service are enabled, and a member of acme/ops, where voice and sales are enabled and only
/// voice is granted to her. acme/main has the voice agents Front desk (inactive) and After hours, and three calls.
class MiniApp : public Serve {
 protected:
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
    EXPECT_EQ(run({"telegram", "bot", "set", "acme"}, acme_token + "\n").exit_code, 0);
    exec("INSERT INTO ai_agents (workspace_id, name, provider, config, is_active) VALUES ('" +
         workspace_id("acme/main") + "', 'Front desk', 'vapi', '{}', false), ('" + workspace_id("acme/main") +
         "', 'After hours <b>bold</b>', 'vapi', '{}', true)");
    exec(
        "INSERT INTO conversations (workspace_id, agent_id, provider, external_call_id, status, started_at,"
        " duration_seconds, total_cost_micros, summary, requires_follow_up) SELECT workspace_id, id, 'vapi', 'call-' ||"
        " n, 'completed', now() - n * interval '1 hour', 125, 123333, 'summary ' || n, n = 1 FROM ai_agents,"
        " generate_series(1, 3) n WHERE name = 'Front desk'");
    for (auto [key, workspace] : {std::pair{"voice", "acme/main"}, std::pair{"customer_service", "acme/main"},
                                  std::pair{"voice", "acme/ops"}, std::pair{"sales", "acme/ops"}})
      EXPECT_EQ(run({"app-agent", "enable", key, "--workspace", workspace}).exit_code, 0);
    EXPECT_EQ(run({"app-agent", "grant", "voice", "layla@acme.test", "--workspace", "acme/ops"}).exit_code, 0);
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
                        "--port", std::to_string(port), "--host", "app.acme.test", "--bot-token", acme_token,
                        "--telegram-id", "5000000001234", "--email", "layla@acme.test", "--expect",
                        "acme/main=customer_service,voice", "--expect", "acme/ops=voice", "--screenshot",
                        (artifacts / "miniapp.png").string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60)) << r.out;
  std::cout << r.out;
  EXPECT_EQ(value("SELECT is_active FROM ai_agents WHERE name = 'Front desk'"), "t") << "the page's activate";
  EXPECT_EQ(value("SELECT follow_up_note FROM conversations WHERE follow_up_closed_at IS NOT NULL"), "called back");
  EXPECT_EQ(value("SELECT status FROM workspace_invitations WHERE email = 'omar@acme.test'"), "revoked");
}

}  // namespace
}  // namespace wfa
